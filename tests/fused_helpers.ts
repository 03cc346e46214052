/**
 * What the fused engine's tests share: the relative error they bound.
 *
 * @module
 */

/**
 * The largest difference between `actual` and `expected`, relative to the
 * largest magnitude in `expected` (0 where both are all zeros).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { relativeError } from "./fused_helpers.ts";
 * assertEquals(relativeError([1, 2.5], [1, 2]), 0.25);
 * ```
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let largest = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    largest = Number.isNaN(difference) ? Infinity : Math.max(largest, difference);
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return largest === 0 ? 0 : largest / scale;
}
