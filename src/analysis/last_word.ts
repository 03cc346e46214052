/**
 * The sweep's last word: a screenful about a finished experiment — what
 * mattered (the largest paired differences), each level's rate of learning
 * the pattern and of ending at equilibrium (or, for a search, its best
 * configurations), and where to read on.
 *
 * @module
 */
import { markdownTable } from "../core/table.ts";
import { readManifest, recordedPreset } from "../results/folder.ts";
import { readDeclaredRows, undeclaredNote } from "../results/declared.ts";
import { rankConfigurations } from "./budget.ts";
import { compareLevels, defaultRequests } from "./comparisons.ts";
import { baseLevelOf, summariseFactors, sweptFactors } from "./summary.ts";
import { factorsMarkdown, groupsMarkdown, whatMattered } from "./summary_tables.ts";
import { targetNote } from "./problem_report.ts";
import { comparedFactors, labelVariants, recordedVariants } from "./variants.ts";
import { measureLabels } from "./problem_measures.ts";

/** How much of each table the last word shows. */
const MOST = { comparisons: 5, levels: 16, configurations: 5 };

/**
 * The short summary of a finished experiment's folder, as lines of text.
 *
 * @example
 * ```ts ignore
 * import { lastWord } from "./last_word.ts";
 * console.log((await lastWord("results/quick")).join("\n"));
 * ```
 */
export async function lastWord(folder: string): Promise<string[]> {
  const declared = await readDeclaredRows(folder);
  const undeclared = declared.undeclared;
  const manifest = await readManifest(folder);
  const preset = recordedPreset(manifest);
  const rows = labelVariants(declared.rows, recordedVariants(manifest), preset);
  const factors = sweptFactors(rows);
  const name = rows[0]?.experiment ?? folder;
  const lines = [`## ${name}: ${rows.length} runs`, ""];
  const left = undeclaredNote(folder, undeclared);
  if (left) lines.push(left, "");
  const target = targetNote(preset);
  if (target) lines.push(target, "");
  const isSearch = Boolean((manifest.experiment as { search?: unknown } | undefined)?.search);
  if (isSearch) {
    const ranked = rankConfigurations(rows, factors);
    lines.push(
      `Best ${Math.min(MOST.configurations, ranked.length)} of ${ranked.length} sampled ` +
        "configurations:",
      "",
    );
    const table = groupsMarkdown(
      ranked.slice(0, MOST.configurations),
      factors,
      measureLabels(rows),
    );
    lines.push(markdownTable(table.header, table.rows), "");
  } else {
    const comparisons = compareLevels(
      rows,
      defaultRequests(rows, (factor) => baseLevelOf(rows, factor, preset)),
    );
    if (comparisons.length) {
      lines.push("What mattered (largest differences first; * = significant after Holm):", "");
      const table = whatMattered(comparisons, MOST.comparisons, measureLabels(rows));
      lines.push(markdownTable(table.header, table.rows), "");
    }
    const levels = summariseFactors(rows, comparedFactors(rows, factors), preset);
    if (levels.length) {
      const table = factorsMarkdown(levels.slice(0, MOST.levels), measureLabels(rows));
      lines.push(markdownTable(table.header, table.rows));
      if (levels.length > MOST.levels) lines.push(`(${levels.length - MOST.levels} more levels)`);
      lines.push("");
    } else {
      const learned = rows.filter((row) => row.pattern_learned === "true").length;
      const settled = rows.filter((row) => row.ending === "equilibrium").length;
      lines.push(
        `G learned the pattern in ${learned} of ${rows.length} runs; ${settled} ended at ` +
          "equilibrium.",
        "",
      );
    }
  }
  lines.push(
    "Read next:",
    `  deno task summary ${folder}    every configuration, intervals, comparisons.csv`,
    `  deno task report ${folder}     REPORT.md with plots`,
    `  ${folder}/runs.csv             one row per run, every measured value`,
  );
  return lines;
}
