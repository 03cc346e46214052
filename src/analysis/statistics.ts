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

/** A difference of means with its 95% t interval and a two-sided t test. */
export interface MeanDifference {
  /** Mean of `b` minus mean of `a` (the mean of the paired differences when paired). */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
  readonly p: number;
  readonly test: "paired t" | "Welch t";
}

const twoSided = (t: number, dof: number) =>
  Number.isFinite(t) ? 2 * (1 - jStat.studentt.cdf(Math.abs(t), dof)) : 0;

/**
 * The paired t interval and test of `b − a` over pairs (NaN pairs left
 * out); where every difference is the same, the interval is that value and
 * p is 1 for no difference, else 0.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { pairedT } from "./statistics.ts";
 * // Differences 1, 2, 3, 4: mean 2.5, s = 1.291, t = 3.873 on 3 degrees of freedom.
 * const { difference, p } = pairedT([0, 0, 0, 0], [1, 2, 3, 4]);
 * assertAlmostEquals(difference, 2.5, 1e-12);
 * assertAlmostEquals(p, 0.030466, 1e-5);
 * ```
 */
export function pairedT(a: readonly number[], b: readonly number[]): MeanDifference {
  const differences = a.map((x, i) => b[i] - x).filter((d) => !Number.isNaN(d));
  const { mean, low, high, count } = meanInterval(differences);
  const sd = Math.sqrt(
    differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / Math.max(1, count - 1),
  );
  const p = count < 2 ? NaN : sd === 0 ? (mean === 0 ? 1 : 0) : twoSided(
    mean / (sd / Math.sqrt(count)),
    count - 1,
  );
  return { difference: mean, low, high, p, test: "paired t" };
}

/**
 * Welch's t interval and test of mean(b) − mean(a) (NaNs left out), with
 * the Welch–Satterthwaite degrees of freedom.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { welchT } from "./statistics.ts";
 * // R: t.test(c(3, 4, 5, 6), c(1, 2, 3, 4)) gives t = 2.1909, df = 6, p = 0.07098.
 * const { difference, p } = welchT([1, 2, 3, 4], [3, 4, 5, 6]);
 * assertAlmostEquals(difference, 2, 1e-12);
 * assertAlmostEquals(p, 0.07098, 1e-4);
 * ```
 */
export function welchT(a: readonly number[], b: readonly number[]): MeanDifference {
  const summary = (values: readonly number[]): SampleSummary => {
    const finite = values.filter((v) => !Number.isNaN(v));
    const mean = finite.reduce((sum, v) => sum + v, 0) / finite.length;
    const variance = finite.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (finite.length - 1);
    return { mean, sd: Math.sqrt(variance), count: finite.length };
  };
  return welchTFromSummaries(summary(a), summary(b));
}

/** A sample described by its summary statistics: mean, standard deviation, count. */
export interface SampleSummary {
  readonly mean: number;
  /** The sample standard deviation (n − 1 in the denominator). */
  readonly sd: number;
  readonly count: number;
}

/**
 * Welch's t interval and test of mean(b) − mean(a) from summary statistics
 * alone (a paper's mean ± sd over n runs), with the Welch–Satterthwaite
 * degrees of freedom; NaN where either sample has fewer than two values.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { welchTFromSummaries } from "./statistics.ts";
 * // The same samples as welchT's example (means 2.5 and 4.5, sd √(5/3) each, n 4):
 * // R's t.test(c(3, 4, 5, 6), c(1, 2, 3, 4)) gives t = 2.1909, df = 6, p = 0.07098.
 * const sd = Math.sqrt(5 / 3);
 * const { difference, p } = welchTFromSummaries(
 *   { mean: 2.5, sd, count: 4 },
 *   { mean: 4.5, sd, count: 4 },
 * );
 * assertAlmostEquals(difference, 2, 1e-12);
 * assertAlmostEquals(p, 0.07098, 1e-4);
 * ```
 */
export function welchTFromSummaries(a: SampleSummary, b: SampleSummary): MeanDifference {
  const difference = b.mean - a.mean;
  if (a.count < 2 || b.count < 2) {
    return { difference: NaN, low: NaN, high: NaN, p: NaN, test: "Welch t" };
  }
  const [shareA, shareB] = [a.sd ** 2 / a.count, b.sd ** 2 / b.count];
  const se = Math.sqrt(shareA + shareB);
  if (se === 0) {
    return {
      difference,
      low: difference,
      high: difference,
      p: difference === 0 ? 1 : 0,
      test: "Welch t",
    };
  }
  const dof = (shareA + shareB) ** 2 /
    (shareA ** 2 / (a.count - 1) + shareB ** 2 / (b.count - 1));
  const half = jStat.studentt.inv(0.975, dof) * se;
  return {
    difference,
    low: difference - half,
    high: difference + half,
    p: twoSided(difference / se, dof),
    test: "Welch t",
  };
}
