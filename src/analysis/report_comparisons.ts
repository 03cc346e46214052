/**
 * REPORT.md's and report.html's "What mattered": the comparisons `deno task
 * summary` makes (the base level of each swept factor against each other
 * level, or each variant against the first; none for a search), ranked as
 * the summary ranks them, with their tests and Holm-adjusted p.
 *
 * @module
 */
import { recordedPreset } from "../results/folder.ts";
import { compareLevels, defaultRequests } from "./comparisons.ts";
import { measureLabels } from "./problem_measures.ts";
import { baseLevelOf, type RunRow } from "./summary.ts";
import { type Table, whatMattered } from "./summary_tables.ts";

/** How many of the ranked comparisons the report shows (all are in comparisons.csv). */
export const REPORT_COMPARISONS = 10;

/** The report's "What mattered": the table and how many comparisons it was ranked from. */
export interface ReportComparisons {
  /** The top {@link REPORT_COMPARISONS} rows of the summary's table. */
  readonly table: Table;
  /** How many comparisons the Holm correction ran over (every row of comparisons.csv). */
  readonly total: number;
  /** Whether some comparison is of a toy problem's own measure (a difference of means). */
  readonly means: boolean;
}

/**
 * The comparisons of a folder's runs as the summary makes them, ranked, the
 * first {@link REPORT_COMPARISONS} as a table; undefined for a search (its
 * levels are its samples) and where nothing can be compared (one level).
 * `rows` are labelled by their variants (`labelVariants`), as the summary's.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { reportComparisons } from "./report_comparisons.ts";
 * const row = (loss: string, seed: number, learned: boolean) => ({
 *   run_id: `${loss}${seed}`, base: "seed", loss, seed: String(seed),
 *   pattern_learned: String(learned), ending: learned ? "equilibrium" : "discriminator_wins",
 *   verdict: learned ? "converged" : "discriminator_wins",
 * });
 * const rows = [1, 2, 3, 4].flatMap((seed) => [row("bce", seed, false), row("mse", seed, true)]);
 * const found = reportComparisons(rows, {})!;
 * assertEquals(found.table.rows[0].slice(1, 3), ["loss", "mse vs bce"]);
 * assertEquals(reportComparisons(rows, { experiment: { search: {} } }), undefined);
 * ```
 */
export function reportComparisons(
  rows: readonly RunRow[],
  manifest: Record<string, unknown>,
): ReportComparisons | undefined {
  if ((manifest.experiment as { search?: unknown } | undefined)?.search) return undefined;
  const preset = recordedPreset(manifest);
  const comparisons = compareLevels(
    rows,
    defaultRequests(rows, (factor) => baseLevelOf(rows, factor, preset)),
  );
  if (comparisons.length === 0) return undefined;
  return {
    table: whatMattered(comparisons, REPORT_COMPARISONS, measureLabels(rows)),
    total: comparisons.length,
    means: comparisons.some((c) => c.kind === "mean"),
  };
}

/**
 * The sentence that introduces the table: how it is ranked, what the star
 * means, and where every comparison is; in Markdown, or as plain text (for
 * report.html).
 *
 * @example
 * ```ts
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * import { comparisonsNote } from "./report_comparisons.ts";
 * const compared = { table: { header: [], rows: Array(10).fill([]) }, total: 24, means: false };
 * assertStringIncludes(comparisonsNote(compared), "The first 10 of the 24 comparisons");
 * assertStringIncludes(comparisonsNote(compared), "[`comparisons.csv`](comparisons.csv)");
 * assertEquals(comparisonsNote(compared).includes("measures first"), false);
 * assertStringIncludes(comparisonsNote({ ...compared, means: true }), "measures first, by p");
 * assertEquals(comparisonsNote(compared, "text").includes("`"), false);
 * ```
 */
export function comparisonsNote(
  { table, total, means }: ReportComparisons,
  format: "md" | "text" = "md",
): string {
  const shown = table.rows.length;
  const code = (text: string) => (format === "md" ? `\`${text}\`` : text);
  const csv = format === "md" ? "[`comparisons.csv`](comparisons.csv)" : "comparisons.csv";
  return `${shown === total ? `All ${total}` : `The first ${shown} of the ${total}`} ` +
    `comparisons, as ${code("deno task summary")} ranks them (` +
    (means
      ? "the problem's own measures first, by p, then the rates by the size of their difference"
      : "the largest differences first") +
    "): each level against the base level (each " +
    "variant against the first), paired by seed where the runs pair up; * = significant after " +
    `Holm's correction over all of them. Every comparison, with raw and adjusted p, is in ${csv} ` +
    `(written by ${code("deno task summary")}).`;
}
