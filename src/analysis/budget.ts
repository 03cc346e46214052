/**
 * Reading a random search: its configurations ranked by how often they
 * learned the pattern over seeds, and the expected best rate when only k of
 * the N sampled configurations are tried (Lucic et al. 2018's protocol for
 * comparing models at a budget).
 *
 * @module
 */
import { type GroupSummary, type RunRow, summariseGroups } from "./summary.ts";

/**
 * The expected maximum of `k` values drawn without replacement from
 * `values`: with the values sorted ascending, the i-th (1-based) is the
 * maximum of a random k-subset with probability C(i − 1, k − 1) / C(N, k).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { expectedBest } from "./budget.ts";
 * // Of 1, 2, 3 drawn two at a time: max 2 once, 3 twice → 8/3.
 * assertAlmostEquals(expectedBest([3, 1, 2], 2), 8 / 3, 1e-12);
 * ```
 */
export function expectedBest(values: readonly number[], k: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (k < 1 || k > n) return NaN;
  // C(i − 1, k − 1) / C(n, k) for i = k..n, built up by ratios to stay in range.
  let weight = 1;
  for (let j = 0; j < k; j++) weight *= (k - j) / (n - j); // C(k-1, k-1) / C(n, k)
  let expected = 0;
  for (let i = k; i <= n; i++) {
    expected += weight * sorted[i - 1];
    weight *= i / (i - k + 1); // C(i, k − 1) / C(i − 1, k − 1)
  }
  return expected;
}

/** One point of the budget curve. */
export interface BudgetPoint {
  readonly samples: number;
  /** Expected best rate of learning the pattern over seeds. */
  readonly patternLearned: number;
  /** Expected best rate of ending at equilibrium. */
  readonly equilibrium: number;
}

/**
 * The budget curve of a search: for k = 1…N configurations tried, the
 * expected best rate.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { budgetCurve } from "./budget.ts";
 * const groups = [0, 0.5].map((rate) => ({
 *   patternLearned: { rate }, equilibrium: { rate: 1 - rate },
 * })) as never;
 * assertEquals(budgetCurve(groups).map((p) => p.patternLearned), [0.25, 0.5]);
 * ```
 */
export function budgetCurve(groups: readonly GroupSummary[]): BudgetPoint[] {
  const pattern = groups.map((g) => g.patternLearned.rate);
  const equilibrium = groups.map((g) => g.equilibrium.rate);
  return groups.map((_, i) => ({
    samples: i + 1,
    patternLearned: expectedBest(pattern, i + 1),
    equilibrium: expectedBest(equilibrium, i + 1),
  }));
}

/**
 * A search's configurations (its swept and searched factors' levels), best
 * first: by the rate of learning the pattern, then of ending at equilibrium.
 */
export function rankConfigurations(
  rows: readonly RunRow[],
  factors: readonly string[],
): GroupSummary[] {
  return summariseGroups(rows, factors).sort((a, b) =>
    b.patternLearned.rate - a.patternLearned.rate ||
    b.patternLearned.low - a.patternLearned.low ||
    b.equilibrium.rate - a.equilibrium.rate
  );
}
