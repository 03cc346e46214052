/**
 * Seeded random numbers: every run draws from its own streams, so a run's
 * numbers never depend on which other runs share its batch.
 *
 * @module
 */

/** A source of uniform numbers in [0, 1). */
export interface Random {
  /** The next uniform number in [0, 1). */
  next(): number;
  /** Its position: the generator's four state words (for checkpoints). */
  state(): number[];
  /** Goes back (or forward) to a position `state()` gave. */
  restore(state: readonly number[]): void;
}

/** The independent streams a run draws from. */
export const STREAMS = {
  init: 1,
  data: 2,
  noise: 3,
  penalty: 4,
  spectral: 5,
  instanceNoise: 6,
  // What judges a run after training (G's samples, the Jacobian's batch): never what trained it.
  evaluation: 7,
} as const;

/**
 * A small, fast generator (sfc32) seeded from a run seed and a stream number.
 *
 * @example
 * ```ts
 * import { createRandom, STREAMS } from "./random.ts";
 * import { assertEquals } from "@std/assert";
 * const random = createRandom(42, STREAMS.data);
 * random.next(); // the same number for seed 42 on every machine
 * const position = random.state();
 * const next = random.next();
 * random.restore(position);
 * assertEquals(random.next(), next);
 * ```
 */
export function createRandom(seed: number, stream = 0): Random {
  let state = mix32((seed >>> 0) ^ 0x9e3779b9);
  state = mix32(state ^ Math.imul(stream + 1, 0x85ebca6b));
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  let a = mix32(state ^ hi);
  let b = mix32(a ^ 0x6a09e667);
  let c = mix32(b ^ 0xbb67ae85);
  let d = 1;
  const nextUint = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint();
  return {
    next: () => nextUint() / 4294967296,
    state: () => [a, b, c, d],
    restore(state) {
      [a, b, c, d] = state;
    },
  };
}

/** A uniform number in [low, high). */
export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random.next();
}

/** A standard normal number (Box–Muller; one of each pair is used). */
export function gaussian(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Fills `into` with standard normal numbers two at a time by Marsaglia's
 * polar method (u, v uniform in (−1, 1) until 0 < s = u² + v² < 1, then
 * u·√(−2 ln s / s) and v·√(−2 ln s / s)); an odd length's last number is
 * the first of a pair. About three times as fast as {@link gaussian} per
 * number (no cosine, both of each pair used): the bulk draws (G's inputs, a
 * mixture's noise) use it.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { createRandom, fillGaussian } from "./random.ts";
 * const into = new Float32Array(10_000);
 * fillGaussian(createRandom(7), into);
 * const mean = into.reduce((sum, x) => sum + x, 0) / into.length;
 * assert(Math.abs(mean) < 0.05);
 * ```
 */
export function fillGaussian(random: Random, into: Float32Array | Float64Array): void {
  for (let i = 0; i < into.length; i += 2) {
    let u = 0, v = 0, s = 0;
    do {
      u = 2 * random.next() - 1;
      v = 2 * random.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    into[i] = u * factor;
    if (i + 1 < into.length) into[i + 1] = v * factor;
  }
}

function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
