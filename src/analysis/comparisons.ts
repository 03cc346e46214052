/**
 * Comparisons between the levels of a factor, for each outcome measure: the
 * difference in rates with its interval, a test, and Holm's correction over
 * every comparison of a table; plus a test of the whole verdict
 * distribution. Runs pair up when every run of one level has exactly one
 * run of the other with the same seed and the same level of every other
 * factor (as a grid's do): then the difference and test are paired.
 *
 * @module
 */
import { VERDICTS } from "../results/checks.ts";
import {
  type Difference,
  fisherExact,
  holm,
  mcnemarExact,
  newcombe,
  newcombePaired,
} from "./contingency.ts";
import {
  isOutcome,
  levelsOf,
  type RunRow,
  SUMMARY_FACTORS,
  sweptFactors,
  VARIANT,
} from "./summary.ts";
import { comparedFactors, determinedBy } from "./variants.ts";
import { measureValues, problemTerms } from "./problem_measures.ts";
import { meanInterval, pairedT, welchT } from "./statistics.ts";

/** The outcomes compared, each a yes or no per run. */
export const MEASURES: Readonly<
  Record<string, { label: string; holds: (row: RunRow) => boolean }>
> = {
  pattern_learned: {
    label: "learned the pattern",
    holds: (row) => row.pattern_learned === "true",
  },
  equilibrium: { label: "ended at equilibrium", holds: (row) => row.ending === "equilibrium" },
  d_wins_or_explodes: {
    label: "D wins or G explodes",
    holds: (row) => row.ending === "discriminator_wins" || row.ending === "diverged",
  },
  oscillating: { label: "oscillating", holds: (row) => row.ending === "oscillating" },
  no_equilibrium: {
    label: "steady off equilibrium",
    holds: (row) => row.ending === "no_equilibrium",
  },
};

/** The measure name of the test of the whole verdict distribution. */
export const DISTRIBUTION = "verdict_distribution";

/** One comparison: level `b` against level `a` of a factor, for one measure. */
export interface Comparison {
  readonly factor: string;
  readonly a: string;
  readonly b: string;
  /**
   * A key of {@link MEASURES} (a rate), {@link DISTRIBUTION}, or a toy
   * problem's measure column (a mean, e.g. `modes_captured`).
   */
  readonly measure: string;
  /** "rate": counts and a difference of rates; "mean": a difference of means. */
  readonly kind: "rate" | "mean";
  /** The means of a "mean" comparison (NaN for a rate). */
  readonly meanA: number;
  readonly meanB: number;
  readonly countA: number;
  readonly nA: number;
  readonly countB: number;
  readonly nB: number;
  /** Rate of `b` minus rate of `a`, with its 95% interval (NaN for the distribution). */
  readonly difference: Difference;
  readonly test: string;
  readonly p: number;
  /** Holm-adjusted over every comparison of the table. */
  readonly pAdjusted: number;
  readonly paired: boolean;
}

/** A comparison to make: two levels of a factor. */
export interface ComparisonRequest {
  readonly factor: string;
  readonly a: string;
  readonly b: string;
}

/**
 * The pairs of runs, level `a` with level `b`, that share the seed and every
 * other factor's level (when comparing variants, but the factors the
 * variants set); undefined unless every run has exactly one
 * partner.
 */
export function pairRuns(
  rowsA: readonly RunRow[],
  rowsB: readonly RunRow[],
  factor: string,
): [RunRow, RunRow][] | undefined {
  if (rowsA.length !== rowsB.length) return undefined;
  const both = [...rowsA, ...rowsB];
  const others = Object.keys(SUMMARY_FACTORS).filter((f) =>
    f !== factor && !isOutcome(f) && !(factor === VARIANT && determinedBy(both, factor, f))
  );
  const key = (row: RunRow) =>
    JSON.stringify([row.base, row.seed, ...others.map((f) => SUMMARY_FACTORS[f](row))]);
  const partners = new Map<string, RunRow[]>();
  for (const row of rowsB) partners.set(key(row), [...(partners.get(key(row)) ?? []), row]);
  const pairs: [RunRow, RunRow][] = [];
  for (const row of rowsA) {
    const found = partners.get(key(row));
    if (!found || found.length !== 1) return undefined;
    pairs.push([row, found[0]]);
  }
  return new Set(pairs.map(([, b]) => b)).size === pairs.length ? pairs : undefined;
}

/**
 * The default comparisons: the base level (or the first) against each other
 * level; where runs carry variants, each variant against the first declared
 * in place of the factors the variants set.
 */
export function defaultRequests(
  rows: readonly RunRow[],
  baseLevel: (factor: string) => string | undefined,
): ComparisonRequest[] {
  return comparedFactors(rows, sweptFactors(rows)).flatMap((factor) => {
    const levels = levelsOf(rows, factor);
    const base = baseLevel(factor);
    const a = base !== undefined && levels.includes(base) ? base : levels[0];
    return levels.filter((level) => level !== a).map((b) => ({ factor, a, b }));
  });
}

/**
 * Every requested comparison, for each measure and for the whole verdict
 * distribution, with Holm's correction over all of them; in a toy
 * problem's folder also for each of its measures (a difference of means:
 * paired t where the runs pair up, else Welch's).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { compareLevels } from "./comparisons.ts";
 * const row = (loss: string, seed: number, ending: string) => ({
 *   base: "seed", loss, seed: String(seed), ending, pattern_learned: "false",
 *   verdict: ending === "equilibrium" ? "equilibrium_only" : ending,
 * });
 * const rows = [1, 2, 3, 4].flatMap((seed) => [
 *   row("bce", seed, "equilibrium"),
 *   row("mse", seed, "discriminator_wins"),
 * ]);
 * const [first] = compareLevels(rows, [{ factor: "loss", a: "bce", b: "mse" }]);
 * assertEquals([first.measure, first.paired, first.test], ["pattern_learned", true, "McNemar exact"]);
 * ```
 */
export function compareLevels(
  rows: readonly RunRow[],
  requests: readonly ComparisonRequest[],
): Comparison[] {
  const unadjusted: Omit<Comparison, "pAdjusted">[] = [];
  for (const { factor, a, b } of requests) {
    const read = SUMMARY_FACTORS[factor];
    const rowsA = rows.filter((row) => read(row) === a);
    const rowsB = rows.filter((row) => read(row) === b);
    if (rowsA.length === 0 || rowsB.length === 0) continue;
    const pairs = pairRuns(rowsA, rowsB, factor);
    for (const [measure, { holds }] of Object.entries(MEASURES)) {
      const countA = rowsA.filter(holds).length;
      const countB = rowsB.filter(holds).length;
      const common = {
        factor,
        a,
        b,
        measure,
        kind: "rate" as const,
        meanA: NaN,
        meanB: NaN,
        countA,
        nA: rowsA.length,
        countB,
        nB: rowsB.length,
      };
      if (pairs) {
        let both = 0, onlyB = 0, onlyA = 0, neither = 0;
        for (const [x, y] of pairs) {
          const [inA, inB] = [holds(x), holds(y)];
          if (inA && inB) both++;
          else if (inB) onlyB++;
          else if (inA) onlyA++;
          else neither++;
        }
        unadjusted.push({
          ...common,
          difference: newcombePaired(both, onlyB, onlyA, neither),
          test: "McNemar exact",
          p: mcnemarExact(onlyB, onlyA),
          paired: true,
        });
      } else {
        const table = [[countB, rowsB.length - countB], [countA, rowsA.length - countA]];
        unadjusted.push({
          ...common,
          difference: newcombe(countB, rowsB.length, countA, rowsA.length),
          test: "Fisher exact",
          p: fisherExact(table).p,
          paired: false,
        });
      }
    }
    for (const { column } of problemTerms(rows)?.measures ?? []) {
      const [valuesA, valuesB] = pairs
        ? [pairs.map(([x]) => x), pairs.map(([, y]) => y)].map((g) => measureValues(g, column))
        : [measureValues(rowsA, column), measureValues(rowsB, column)];
      const tested = pairs ? pairedT(valuesA, valuesB) : welchT(valuesA, valuesB);
      // Fewer than two values on a side (a measure not measured, every run diverged): no test.
      if (Number.isNaN(tested.p)) continue;
      unadjusted.push({
        factor,
        a,
        b,
        measure: column,
        kind: "mean",
        meanA: meanInterval(valuesA).mean,
        meanB: meanInterval(valuesB).mean,
        countA: NaN,
        nA: rowsA.length,
        countB: NaN,
        nB: rowsB.length,
        difference: { difference: tested.difference, low: tested.low, high: tested.high },
        test: tested.test,
        p: tested.p,
        paired: Boolean(pairs),
      });
    }
    const present = VERDICTS.filter((v) => rows.some((row) => row.verdict === v));
    const counts = (group: readonly RunRow[]) =>
      present.map((v) => group.filter((row) => row.verdict === v).length);
    const exact = fisherExact([counts(rowsA), counts(rowsB)], { seed: 1 });
    unadjusted.push({
      factor,
      a,
      b,
      measure: DISTRIBUTION,
      kind: "rate",
      meanA: NaN,
      meanB: NaN,
      countA: rowsA.length,
      nA: rowsA.length,
      countB: rowsB.length,
      nB: rowsB.length,
      difference: { difference: NaN, low: NaN, high: NaN },
      test: exact.method === "exact"
        ? "Fisher–Freeman–Halton exact"
        : `Fisher–Freeman–Halton Monte Carlo (${exact.tables} tables, seed 1)`,
      p: exact.p,
      paired: false,
    });
  }
  const adjusted = holm(unadjusted.map((c) => c.p));
  return unadjusted.map((c, i) => ({ ...c, pAdjusted: adjusted[i] }));
}
