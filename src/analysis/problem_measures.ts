/**
 * A toy problem's own answer in the summaries: the problem a folder's runs
 * solve, its verdicts and the measures its judgement writes (modes
 * captured, the distance to the Dirac-GAN's equilibrium, …).
 *
 * @module
 */
import { type PresetName, PRESETS } from "../design/presets.ts";
import { PROBLEM_KINDS, type ProblemMeasure } from "../design/problems/mod.ts";
/** A row of `runs.csv`, keyed by column (as summary.ts reads it). */
type RunRow = Readonly<Record<string, string>>;

/** What the summaries report in a toy problem's terms. */
export interface ProblemTerms {
  /** The problem's name, e.g. "ring". */
  readonly name: string;
  /** The runs.csv column of its verdict, e.g. `mixture_verdict`. */
  readonly verdictColumn: string;
  readonly verdicts: readonly string[];
  readonly measures: readonly ProblemMeasure[];
}

/**
 * The problem the runs solve, where it has its own verdict and measures
 * (undefined for the seed's pattern and for rows without the columns).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { problemTerms } from "./problem_measures.ts";
 * const ring = problemTerms([{ base: "ring", mixture_verdict: "converged", modes_captured: "8" }]);
 * assertEquals(ring?.measures[0].column, "modes_captured");
 * assertEquals(problemTerms([{ base: "seed" }]), undefined);
 * ```
 */
export function problemTerms(rows: readonly RunRow[]): ProblemTerms | undefined {
  const base = rows[0]?.base as PresetName | undefined;
  const name = base && base in PRESETS
    ? (PRESETS[base] as { problem?: string }).problem
    : undefined;
  const kind = name
    ? (PROBLEM_KINDS as Record<string, (typeof PROBLEM_KINDS)[keyof typeof PROBLEM_KINDS]>)[name]
    : undefined;
  if (!kind || !("verdictColumn" in kind) || !kind.verdictColumn) return undefined;
  if (rows.some((row) => row[kind.verdictColumn!] === undefined)) return undefined;
  return {
    name: name!,
    verdictColumn: kind.verdictColumn,
    verdicts: kind.verdicts,
    measures: "measures" in kind ? kind.measures ?? [] : [],
  };
}

/** A measure's values over rows, as numbers (an empty cell is NaN). */
export const measureValues = (rows: readonly RunRow[], column: string): number[] =>
  rows.map((row) => (row[column] === undefined || row[column] === "" ? NaN : Number(row[column])));

/**
 * The labels of the runs' problem measures by column, for table headers
 * (empty for the seed's pattern).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { measureLabels } from "./problem_measures.ts";
 * const rows = [{ base: "dirac", dirac_verdict: "converged", distance_to_equilibrium: "0" }];
 * assertEquals(measureLabels(rows), { distance_to_equilibrium: "distance to (0, 0)" });
 * ```
 */
export function measureLabels(rows: readonly RunRow[]): Record<string, string> {
  return Object.fromEntries(
    (problemTerms(rows)?.measures ?? []).map(({ column, label }) => [column, label]),
  );
}
