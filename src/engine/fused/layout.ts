/**
 * Between the layout the rest of the suite speaks (samples run after run,
 * `[R, B, width]`; each run's packed parameters, `[R, P]`) and the fused
 * engine's (`nn/kernels/kind.ts`: features, `[width, R·B]`; parameters
 * `[P, R]`). The engine converts at its edges: a chunk's state, the samples
 * its sources draw, what it records and what a field is given.
 *
 * @module
 */

/**
 * Samples `[R·B, width]` (run after run, sample after sample) as features
 * `[width, R·B]`, into `into` (made when absent).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { toFeatures } from "./layout.ts";
 * // Two samples of width 3 → three rows of two columns.
 * assertEquals(toFeatures(Float32Array.of(1, 2, 3, 4, 5, 6), 3), Float32Array.of(1, 4, 2, 5, 3, 6));
 * ```
 */
export function toFeatures(
  samples: ArrayLike<number>,
  width: number,
  into: Float32Array = new Float32Array(samples.length),
): Float32Array {
  const columns = samples.length / width;
  // In blocks of columns, so that each row is written in runs (rows a power of two apart share
  // the cache's sets).
  for (let start = 0; start < columns; start += BLOCK) {
    const end = Math.min(columns, start + BLOCK);
    for (let i = 0; i < width; i++) {
      const row = i * columns;
      for (let c = start; c < end; c++) into[row + c] = samples[c * width + i];
    }
  }
  return into;
}

/** Columns a transposition takes at a time. */
const BLOCK = 64;

/**
 * Features `[width, R·B]` as samples `[R·B, width]`, into `into` (made when absent).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { toSamples } from "./layout.ts";
 * assertEquals(toSamples(Float32Array.of(1, 4, 2, 5, 3, 6), 3), Float32Array.of(1, 2, 3, 4, 5, 6));
 * ```
 */
export function toSamples(
  features: ArrayLike<number>,
  width: number,
  into: Float32Array = new Float32Array(features.length),
): Float32Array {
  const columns = features.length / width;
  for (let start = 0; start < columns; start += BLOCK) {
    const end = Math.min(columns, start + BLOCK);
    for (let i = 0; i < width; i++) {
      const row = i * columns;
      for (let c = start; c < end; c++) into[c * width + i] = features[row + c];
    }
  }
  return into;
}

/**
 * Each run's packed parameters `[R, P]` in the fused layout `[P, R]`, into
 * `into` (made when absent): the same transposition as {@link toFeatures}
 * with the runs as the columns.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { toParameterMajor } from "./layout.ts";
 * assertEquals(toParameterMajor(Float32Array.of(1, 2, 3, 4), 2), Float32Array.of(1, 3, 2, 4));
 * ```
 */
export function toParameterMajor(
  runMajor: ArrayLike<number>,
  parameters: number,
  into?: Float32Array,
): Float32Array {
  return toFeatures(runMajor, parameters, into);
}

/**
 * Parameters in the fused layout `[P, R]` as each run's packed vector `[R, P]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { toRunMajor } from "./layout.ts";
 * assertEquals(toRunMajor(Float32Array.of(1, 3, 2, 4), 2), Float32Array.of(1, 2, 3, 4));
 * ```
 */
export function toRunMajor(
  parameterMajor: ArrayLike<number>,
  parameters: number,
  into?: Float32Array,
): Float32Array {
  return toSamples(parameterMajor, parameters, into);
}
