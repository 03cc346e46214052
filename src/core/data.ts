/**
 * The real data (the seed's pattern, or a toy problem's distribution: a
 * point, a mixture of Gaussians) and the generator's input, drawn per run
 * from the run's own random streams.
 *
 * @module
 */
import { createRandom, fillGaussian, type Random, STREAMS, uniform } from "./random.ts";

/** The real pattern: even slots high, odd slots low (1,0,1,0,…). */
export interface PatternSpec {
  /** Absent in the seed's and older folders' specs: a pattern. */
  readonly kind?: "pattern";
  readonly width: number;
  readonly high: readonly [number, number];
  readonly low: readonly [number, number];
}

/** The seed's pattern: width 6, high ~ U(0.8, 1.0), low ~ U(0.0, 0.2). */
export const SEED_PATTERN: PatternSpec = { width: 6, high: [0.8, 1.0], low: [0.0, 0.2] };

/** A mixture of equally weighted isotropic Gaussians (the ring and the grid of the GAN literature). */
export interface MixtureSpec {
  readonly kind: "mixture";
  readonly width: number;
  /** The modes' means, each `width` numbers. */
  readonly means: readonly (readonly number[])[];
  /** Every mode's standard deviation, > 0. */
  readonly sigma: number;
  /**
   * Stratified batches: the k-th sample of a fill is from mode k mod M (The Numerics of GANs'
   * notebook: `mus` tiled over the batch, so 64 per mode at batch 512); absent: each sample's
   * mode drawn uniformly.
   */
  readonly stratified?: boolean;
}

/** One point, every sample exactly it (the Dirac-GAN's data). */
export interface PointSpec {
  readonly kind: "point";
  readonly width: number;
  readonly at: readonly number[];
}

/** What real data is: the seed's pattern, a mixture of Gaussians or one point. */
export type DataSpec = PatternSpec | MixtureSpec | PointSpec;

/** Error for a data spec that cannot be sampled. */
export class DataError extends Error {
  override readonly name = "DataError";
}

/**
 * Checks a data spec: a mixture needs at least one mode, every mean of the
 * width and σ > 0; a point needs `width` coordinates.
 *
 * @throws {DataError} naming what is wrong.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkData } from "./data.ts";
 * assertThrows(() => checkData({ kind: "mixture", width: 2, means: [], sigma: 0.1 }));
 * ```
 */
export function checkData(spec: DataSpec): void {
  if (!Number.isInteger(spec.width) || spec.width < 1) {
    throw new DataError(`data: width ${spec.width} must be an integer ≥ 1`);
  }
  if (spec.kind === "mixture") {
    if (spec.means.length === 0) {
      throw new DataError("data: a mixture needs at least one mode (means is empty)");
    }
    if (!(Number.isFinite(spec.sigma) && spec.sigma > 0)) {
      throw new DataError(`data: a mixture's sigma must be a number > 0 (got ${spec.sigma})`);
    }
    spec.means.forEach((mean, i) => {
      if (mean.length !== spec.width || !mean.every(Number.isFinite)) {
        throw new DataError(
          `data: means[${i}] must be ${spec.width} finite numbers (got ${JSON.stringify(mean)})`,
        );
      }
    });
  }
  if (spec.kind === "point" && (spec.at.length !== spec.width || !spec.at.every(Number.isFinite))) {
    throw new DataError(`data: a point needs ${spec.width} finite coordinates`);
  }
}

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

/**
 * Fills `into` with real samples, one of `width` after another: a pattern's
 * slots uniform in their ranges; a mixture's sample a uniformly chosen mode
 * (or, stratified, the k-th sample's mode k mod M) plus σ times standard
 * normal noise; a point's the point.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sampleData } from "./data.ts";
 * import { createRandom } from "./random.ts";
 * const into = new Float32Array(2);
 * sampleData({ kind: "point", width: 1, at: [0] }, createRandom(1), into);
 * assertEquals(into, Float32Array.of(0, 0));
 * ```
 */
export function sampleData(spec: DataSpec, random: Random, into: Float32Array): void {
  if (spec.kind === "mixture") {
    const { width, means, sigma, stratified } = spec;
    const noise = new Float64Array(width);
    for (let at = 0; at < into.length; at += width) {
      const mode = stratified
        ? (at / width) % means.length
        : Math.min(means.length - 1, Math.floor(random.next() * means.length));
      const mean = means[mode];
      fillGaussian(random, noise);
      for (let i = 0; i < width; i++) into[at + i] = mean[i] + sigma * noise[i];
    }
  } else if (spec.kind === "point") {
    for (let i = 0; i < into.length; i++) into[i] = spec.at[i % spec.width];
  } else sampleReal(spec, random, into);
}

/**
 * How far one output of G is from the data: for a pattern, the mean
 * |output − the pattern's centre| over its slots; for a point, the mean
 * |output − point|; for a mixture, the Euclidean distance to the nearest mode.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { distanceToData } from "./data.ts";
 * assertEquals(distanceToData({ kind: "mixture", width: 2, means: [[0, 0], [3, 4]], sigma: 1 }, [3, 0]), 3);
 * ```
 */
export function distanceToData(spec: DataSpec, output: ArrayLike<number>): number {
  if (spec.kind === "mixture") {
    return Math.min(
      ...spec.means.map((mean) => Math.hypot(...mean.map((m, i) => output[i] - m))),
    );
  }
  const target = spec.kind === "point" ? spec.at : patternCentre(spec);
  let sum = 0;
  for (let i = 0; i < spec.width; i++) sum += Math.abs(output[i] - target[i]);
  return sum / spec.width;
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
export function realDataStream(seed: number, data: DataSpec): Stream {
  const random = createRandom(seed, STREAMS.data);
  return { fill: (into) => sampleData(data, random, into), random };
}

/** A run's stream of generator inputs (batch × input width numbers per call). */
export function generatorInputStream(seed: number, input: GeneratorInput): Stream {
  const random = createRandom(seed, STREAMS.noise);
  if (input.kind === "constant") return { fill: (into) => into.fill(input.value), random };
  return {
    fill: (into) => fillGaussian(random, into),
    random,
  };
}
