/**
 * `deno task summary [RESULTS_DIR...] [--by f,...] [--format md|csv]`:
 * convergence per configuration and per factor level, printed and written
 * as `summary.csv` and `factors.csv` in each experiment folder.
 *
 * @module
 */
import { targetNote } from "../analysis/problem_report.ts";
import { assertResultsFolders, FolderArgumentError } from "./folder_arguments.ts";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { stringify } from "@std/csv";
import { readManifest, recordedPreset, ResultsError, writeAtomically } from "../results/folder.ts";
import { budgetCurve, rankConfigurations } from "../analysis/budget.ts";
import { experimentFolders } from "../results/folders.ts";
import { readDeclaredRows, undeclaredNote } from "../results/declared.ts";
import { compareLevels, type ComparisonRequest, defaultRequests } from "../analysis/comparisons.ts";
import { comparedFactors, labelVariants, recordedVariants } from "../analysis/variants.ts";
import { measureLabels } from "../analysis/problem_measures.ts";
import { publishedSection } from "../analysis/published.ts";
import {
  assertOutcomeColumns,
  baseLevelOf,
  type RunRow,
  summariseFactors,
  summariseGroups,
  SUMMARY_FACTORS,
  sweptFactors,
} from "../analysis/summary.ts";
import {
  comparisonsCsv,
  factorsCsv,
  factorsMarkdown,
  groupsCsv,
  groupsMarkdown,
  type Table,
  whatMattered,
} from "../analysis/summary_tables.ts";
import { markdownTable } from "../core/table.ts";

const USAGE = `usage: deno task summary [RESULTS_DIR...] [--by FACTOR,...] [--format md|csv]
                         [--compare FACTOR=A,B ...]

For each experiment folder (default: every folder under results/, all shards):
per configuration (seeds grouped) and per factor level, how many runs learned
the pattern and how many ended at equilibrium (each with a 95% Wilson
interval), and the count of each verdict; printed, and written as summary.csv
and factors.csv in the folder. First, "what mattered": the comparisons of
factor levels ranked by effect size (the base level against each other level
by default), each with its difference, 95% interval, test (paired where the
runs pair up by seed) and Holm-adjusted p; all of them in comparisons.csv.
  --by F,...     group by these factors instead of every swept one (written
                 as summary-by-F-....csv; summary.csv is left as it is)
                 (${Object.keys(SUMMARY_FACTORS).join(", ")})
  --format FMT   md (aligned Markdown tables, default) or csv (the summary table alone on stdout)
  --across       pool the folders into one summary (a run several folders hold
                 counts once; --by groups by any factor they share); printed only
  --compare F=A,B  compare level B of factor F against level A instead of the
                 defaults (repeat for more; levels as the tables spell them)`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    string: ["by", "format", "compare"],
    collect: ["compare"],
    boolean: ["help", "across"],
    default: { format: "md" },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.format !== "md" && args.format !== "csv") {
    throw new UsageError(`--format must be md or csv (got "${args.format}")`);
  }
  const by = args.by ? String(args.by).split(",").filter(Boolean) : undefined;
  const unknown = by?.find((factor) => !(factor in SUMMARY_FACTORS));
  if (unknown) {
    throw new UsageError(
      `--by: unknown factor "${unknown}"; allowed: ${Object.keys(SUMMARY_FACTORS).join(", ")}`,
    );
  }
  await assertResultsFolders("summary", args._.map(String));
  const folders = await experimentFolders(args._.map(String)).catch((error) => {
    throw new UsageError(error.message);
  });
  const sources: { folder: string; rows: RunRow[]; write: boolean; leftOut: string[] }[] = [];
  for (const folder of folders) {
    // Only the runs the folder's definition declares; runs of an earlier one are left out, said once.
    const { rows: read, undeclared } = await readDeclaredRows(folder);
    assertOutcomeColumns(folder, read);
    const manifest = await readManifest(folder);
    const rows = args.across
      ? read
      : labelVariants(read, recordedVariants(manifest), recordedPreset(manifest));
    const note = undeclaredNote(folder, undeclared);
    sources.push({ folder, rows, write: !args.across, leftOut: note ? [note] : [] });
  }
  if (args.across) {
    // One pool: a run (the same id) that several folders hold counts once.
    const pooled = new Map<string, RunRow>();
    for (const { rows } of sources) for (const row of rows) pooled.set(row.run_id, row);
    sources.splice(0, sources.length, {
      folder: `across ${folders.join(", ")}`,
      rows: [...pooled.values()],
      write: false,
      leftOut: sources.flatMap(({ leftOut }) => leftOut),
    });
  }
  for (const { folder, rows, write, leftOut } of sources) {
    const factors = by ?? sweptFactors(rows);
    const groups = summariseGroups(rows, factors);
    const manifest = write ? await readManifest(folder) : {};
    const levels = summariseFactors(
      rows,
      by ?? comparedFactors(rows, sweptFactors(rows)),
      recordedPreset(manifest),
    );
    // summary.csv and factors.csv always hold the default grouping; --by writes its own file.
    const summaryFile = by ? `summary-by-${by.join("-")}.csv` : "summary.csv";
    if (write) {
      await writeAtomically(`${folder}/${summaryFile}`, csv(groupsCsv(groups, factors)));
      if (!by) await writeAtomically(`${folder}/factors.csv`, csv(factorsCsv(levels)));
    }
    const name = write ? rows[0]?.experiment ?? folder : "pooled";
    const isSearch = Boolean((manifest.experiment as { search?: unknown } | undefined)?.search);
    const compare = args.compare as string[] | undefined;
    // A search's levels are its samples: ranked below, not compared level against level.
    const requests = compare?.length
      ? compare.map((text) => parseCompare(text, rows))
      : isSearch
      ? []
      : defaultRequests(rows, (factor) => baseLevelOf(rows, factor, recordedPreset(manifest)));
    const comparisons = compareLevels(rows, requests);
    if (write && !by) {
      await writeAtomically(`${folder}/comparisons.csv`, csv(comparisonsCsv(comparisons)));
    }
    const ranked = isSearch ? rankConfigurations(rows, factors) : [];
    const budget = budgetCurve(ranked);
    if (isSearch && !by) {
      await writeAtomically(`${folder}/search.csv`, csv(groupsCsv(ranked, factors)));
      await writeAtomically(
        `${folder}/budget.csv`,
        csv({
          header: ["samples", "expected_best_pattern_learned", "expected_best_equilibrium"],
          rows: budget.map((p) => [
            String(p.samples),
            String(+p.patternLearned.toPrecision(6)),
            String(+p.equilibrium.toPrecision(6)),
          ]),
        }),
      );
    }
    // Published values beside the measured ones, where the experiment declares them (published.csv).
    const published = write && !by ? await publishedSection(folder, rows, manifest) : undefined;
    if (args.format === "csv") {
      // stdout holds the CSV alone (for pandas, R, a pipe); where it came from goes to stderr.
      console.error(
        `# ${name}: ${folder}/${summaryFile}` +
          (write && !by ? ` (per factor level: ${folder}/factors.csv)` : ""),
      );
      for (const note of leftOut) console.error(`# ${note}`);
      console.log(csv(groupsCsv(groups, factors)).trimEnd());
      continue;
    }
    console.log(`## ${name} (${rows.length} runs, ${folder})\n`);
    for (const note of leftOut) console.log(`${note}\n`);
    const target = targetNote(recordedPreset(manifest));
    if (target) console.log(`${target}\n`);
    if (comparisons.length) {
      console.log(
        "What mattered (largest differences first; * = significant after Holm's correction " +
          `over all ${comparisons.length} comparisons` +
          (write ? ` in ${folder}/comparisons.csv):\n` : "):\n"),
      );
      console.log(md(whatMattered(comparisons, 8, measureLabels(rows))));
      console.log("");
    }
    if (published) console.log(`${published}\n`);
    if (isSearch) {
      console.log(
        `Best of ${ranked.length} sampled configurations (all in ${folder}/search.csv):\n`,
      );
      console.log(md(groupsMarkdown(ranked.slice(0, 10), factors, measureLabels(rows))));
      const at = [1, 5, 10, 20, ranked.length].filter((k, i, all) =>
        k <= ranked.length && all.indexOf(k) === i
      );
      console.log(
        `\nExpected best rate of learning the pattern within a budget of k configurations: ${
          at.map((k) => `k=${k}: ${(100 * budget[k - 1].patternLearned).toFixed(0)}%`).join(", ")
        } (${folder}/budget.csv)\n`,
      );
    } else console.log(md(groupsMarkdown(groups, factors, measureLabels(rows))));
    if (levels.length) console.log(`\n${md(factorsMarkdown(levels, measureLabels(rows)))}`);
    console.log("");
  }
  return 0;
}

/** `F=A,B` of --compare, checked against the rows' factors and levels. */
function parseCompare(text: string, rows: readonly RunRow[]): ComparisonRequest {
  const split = text.indexOf("=");
  const factor = text.slice(0, split);
  const levels = text.slice(split + 1).split(",");
  if (split < 0 || !(factor in SUMMARY_FACTORS) || levels.length !== 2) {
    throw new UsageError(
      `--compare: "${text}" must be FACTOR=A,B with FACTOR one of: ${
        Object.keys(SUMMARY_FACTORS).join(", ")
      }`,
    );
  }
  const present = new Set(rows.map(SUMMARY_FACTORS[factor]));
  const missing = levels.find((level) => !present.has(level));
  if (missing !== undefined) {
    throw new UsageError(
      `--compare: no run has ${factor} "${missing}"; its levels here: ${[...present].join(", ")}`,
    );
  }
  return { factor, a: levels[0], b: levels[1] };
}

const csv = (table: Table) => stringify([table.header, ...table.rows]);
const md = (table: Table) => markdownTable(table.header, table.rows);

if (import.meta.main) await runTask("summary", main, [ResultsError, FolderArgumentError]);
