/**
 * The real data (the pattern the generator should learn) and the
 * generator's input, drawn per run from the run's own random streams.
 *
 * @module
 */
import { createRandom, gaussian, type Random, STREAMS, uniform } from "./random.ts";

/** The real pattern: even slots high, odd slots low (1,0,1,0,…). */
export interface PatternSpec {
  readonly width: number;
  readonly high: readonly [number, number];
  readonly low: readonly [number, number];
}

/** The seed's pattern: width 6, high ~ U(0.8, 1.0), low ~ U(0.0, 0.2). */
export const SEED_PATTERN: PatternSpec = { width: 6, high: [0.8, 1.0], low: [0.0, 0.2] };

/** What the generator is fed: a constant (the seed's 0.5) or Gaussian noise. */
export type GeneratorInput =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "noise"; readonly width: number };

/** The width of the generator's input. */
export function inputWidth(input: GeneratorInput): number {
  return input.kind === "constant" ? 1 : input.width;
}

/**
 * The centre of each slot's range: what a perfect generator emits,
 * e.g. `[0.9, 0.1, 0.9, 0.1, 0.9, 0.1]` for the seed.
 */
export function patternCentre(pattern: PatternSpec): number[] {
  return Array.from({ length: pattern.width }, (_, i) => {
    const [low, high] = i % 2 === 0 ? pattern.high : pattern.low;
    return (low + high) / 2;
  });
}

/** Fills `into` with real samples, one pattern of `width` after another. */
export function sampleReal(pattern: PatternSpec, random: Random, into: Float32Array): void {
  for (let i = 0; i < into.length; i++) {
    const [low, high] = (i % pattern.width) % 2 === 0 ? pattern.high : pattern.low;
    into[i] = uniform(random, low, high);
  }
}

/** A stream of numbers with a position that can be saved and restored. */
export interface Stream {
  /** Fills `into` with the next numbers. */
  fill(into: Float32Array): void;
  readonly random: Random;
}

/** A run's stream of real samples (batch × width numbers per call). */
export function realDataStream(seed: number, pattern: PatternSpec): Stream {
  const random = createRandom(seed, STREAMS.data);
  return { fill: (into) => sampleReal(pattern, random, into), random };
}

/** A run's stream of generator inputs (batch × input width numbers per call). */
export function generatorInputStream(seed: number, input: GeneratorInput): Stream {
  const random = createRandom(seed, STREAMS.noise);
  if (input.kind === "constant") return { fill: (into) => into.fill(input.value), random };
  return {
    fill: (into) => {
      for (let i = 0; i < into.length; i++) into[i] = gaussian(random);
    },
    random,
  };
}
