/**
 * Small statistics for summaries: proportions with Wilson intervals, and
 * quantiles, means with t intervals.
 *
 * @module
 */
// jStat: a small, dependency-free statistics library (its Student-t inverse is checked in the example below).
// @deno-types="./jstat.d.ts"
import jStat from "jstat";

/** A proportion `k / n` with its 95% Wilson score interval. */
export interface Proportion {
  readonly successes: number;
  readonly trials: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The 95% Wilson score interval of `successes` out of `trials`.
 *
 * @example
 * ```ts
 * import { wilson } from "./statistics.ts";
 * wilson(8, 10); // { rate: 0.8, low: 0.490…, high: 0.943… }
 * ```
 */
export function wilson(successes: number, trials: number, z = 1.959963984540054): Proportion {
  if (trials === 0) return { successes, trials, rate: NaN, low: NaN, high: NaN };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))) / denominator;
  return {
    successes,
    trials,
    rate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}

/**
 * The `q` quantile (0…1) of some numbers, interpolating linearly between
 * order statistics (R's type 7, numpy's default); NaN for none.
 *
 * @example
 * ```ts
 * import { quantile } from "./statistics.ts";
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The median and interquartile range (Q3 − Q1) of some numbers. */
export function medianAndIqr(values: readonly number[]): { median: number; iqr: number } {
  return { median: quantile(values, 0.5), iqr: quantile(values, 0.75) - quantile(values, 0.25) };
}

/** A mean with its 95% t interval. */
export interface MeanInterval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly count: number;
}

/**
 * The mean of `values` (NaNs left out) with its 95% Student-t interval
 * (jStat's t quantile); the interval is the mean itself for one value.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { meanInterval } from "./statistics.ts";
 * const { mean, high } = meanInterval([1, 2, 3, 4]);
 * // s = 1.291, t(0.975, 3) = 3.182: 2.5 + 3.182 · 1.291 / 2.
 * assertAlmostEquals(high, mean + 3.182446305 * Math.sqrt(5 / 3) / 2, 1e-6);
 * ```
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  const finite = values.filter((value) => !Number.isNaN(value));
  const count = finite.length;
  const mean = finite.reduce((a, b) => a + b, 0) / count;
  if (count < 2) return { mean, low: mean, high: mean, count };
  const variance = finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (count - 1);
  const half = jStat.studentt.inv(0.975, count - 1) * Math.sqrt(variance / count);
  return { mean, low: mean - half, high: mean + half, count };
}
