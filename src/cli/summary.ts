/**
 * `deno task summary [RESULTS_DIR...] [--by f,...] [--format md|csv]`:
 * convergence per configuration and per factor level, printed and written
 * as `summary.csv` and `factors.csv` in each experiment folder.
 *
 * @module
 */
import { parseStrict, runTask, UsageError } from "./args.ts";
import { stringify } from "@std/csv";
import { readRunRows, ResultsError, writeAtomically } from "../results.ts";
import { experimentFolders } from "../results_folders.ts";
import {
  assertOutcomeColumns,
  summariseFactors,
  summariseGroups,
  SUMMARY_FACTORS,
  sweptFactors,
} from "../summary.ts";
import {
  factorsCsv,
  factorsMarkdown,
  groupsCsv,
  groupsMarkdown,
  type Table,
} from "../summary_tables.ts";
import { markdownTable } from "../table.ts";

const USAGE = `usage: deno task summary [RESULTS_DIR...] [--by FACTOR,...] [--format md|csv]

For each experiment folder (default: every folder under results/, all shards):
per configuration (seeds grouped) and per factor level, how many runs learned
the pattern and how many ended at equilibrium (each with a 95% Wilson
interval), and the count of each verdict; printed, and written as summary.csv
and factors.csv in the folder.
  --by F,...     group by these factors instead of every swept one (written
                 as summary-by-F-....csv; summary.csv is left as it is)
                 (${Object.keys(SUMMARY_FACTORS).join(", ")})
  --format FMT   md (aligned Markdown tables, default) or csv`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    string: ["by", "format"],
    boolean: ["help"],
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
  const folders = await experimentFolders(args._.map(String)).catch((error) => {
    throw new UsageError(error.message);
  });
  for (const folder of folders) {
    const rows = await readRunRows(folder);
    assertOutcomeColumns(folder, rows);
    const factors = by ?? sweptFactors(rows);
    const groups = summariseGroups(rows, factors);
    const levels = summariseFactors(rows, by ?? sweptFactors(rows));
    // summary.csv and factors.csv always hold the default grouping; --by writes its own file.
    const summaryFile = by ? `summary-by-${by.join("-")}.csv` : "summary.csv";
    await writeAtomically(`${folder}/${summaryFile}`, csv(groupsCsv(groups, factors)));
    if (!by) await writeAtomically(`${folder}/factors.csv`, csv(factorsCsv(levels)));
    const name = rows[0]?.experiment ?? folder;
    if (args.format === "csv") {
      console.log(`# ${name}: ${folder}/${summaryFile}`);
      console.log(csv(groupsCsv(groups, factors)));
      console.log(`# ${name}: factors`);
      console.log(csv(factorsCsv(levels)));
      continue;
    }
    console.log(`## ${name} (${rows.length} runs, ${folder})\n`);
    console.log(md(groupsMarkdown(groups, factors)));
    if (levels.length) console.log(`\n${md(factorsMarkdown(levels))}`);
    console.log("");
  }
  return 0;
}

const csv = (table: Table) => stringify([table.header, ...table.rows]);
const md = (table: Table) => markdownTable(table.header, table.rows);

if (import.meta.main) await runTask("summary", main, [ResultsError]);
