/**
 * `deno task diff BEFORE AFTER`: whether a rerun reproduces a results
 * folder: the runs both hold, the verdicts that changed, the runs whose
 * measured numbers moved (and by how much).
 *
 * @module
 */
import { assertResultsFolders, FolderArgumentError } from "./folder_arguments.ts";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { readRunRows } from "../results/folder.ts";
import { experimentFolders } from "../results/folders.ts";
import { diffRuns } from "../results/diff.ts";

const USAGE = `usage: deno task diff BEFORE_DIR AFTER_DIR [--tolerance T]

Compares two results folders of one experiment run id by run id: the runs
both hold (and, over them, how many learned the pattern and how each ended on
either side), every run whose verdict, pattern_learned or ending differs (listed),
and how many runs' measured values (runs.csv's check columns and G's output)
moved by more than T relative (default 1e-3; |a − b| / max(1, |b|)).
Exits 1 if an outcome differs or a run of BEFORE is missing from AFTER.`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    boolean: ["help"],
    string: ["tolerance"],
    default: { tolerance: "1e-3" },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args._.length !== 2) throw new UsageError("name two results folders: BEFORE and AFTER");
  const tolerance = Number(args.tolerance);
  if (!(tolerance >= 0)) {
    throw new UsageError(`--tolerance must be a number ≥ 0 (got ${args.tolerance})`);
  }
  await assertResultsFolders("diff", args._.map(String));
  const [before, after] = await experimentFolders(args._.map(String)).catch((error) => {
    throw new UsageError(error.message);
  });
  const [rows, rerun] = [await readRunRows(before), await readRunRows(after)];
  const diff = diffRuns(rows, rerun, tolerance);
  console.log(`${before} → ${after}: ${diff.both} runs in both`);
  // Tallies over the runs both folders hold, so that a partial rerun compares like with like.
  const shared = new Set(
    rerun.map((row) => row.run_id).filter((id) => rows.some((r) => r.run_id === id)),
  );
  const tally = (of: Record<string, string>[], column: string) =>
    Object.entries(Object.groupBy(of.filter((row) => shared.has(row.run_id)), (row) => row[column]))
      .map(([value, group]) => `${value} ${group!.length}`).sort().join(", ");
  console.log(
    `  learned the pattern: ${tally(rows, "pattern_learned")} → ${tally(rerun, "pattern_learned")}`,
  );
  console.log(`  endings: ${tally(rows, "ending")} → ${tally(rerun, "ending")}`);
  console.log(`  identical to the digit: ${diff.identical}`);
  console.log(`  measured values moved by more than ${tolerance}: ${diff.moved.length}`);
  const runsChanged = (column: string) =>
    new Set(diff.changed.filter((c) => c.column === column).map((c) => c.runId)).size;
  console.log(`  verdict changed: ${runsChanged("verdict")} runs`);
  console.log(`  "did G learn the pattern?" changed: ${runsChanged("pattern_learned")} runs`);
  const byRun = Map.groupBy(diff.changed, (c) => c.runId);
  for (const [runId, changes] of byRun) {
    const row = rows.find((r) => r.run_id === runId)!;
    const what = changes.map((c) => `${c.column} ${c.before} → ${c.after}`).join("; ");
    console.log(
      `    ${runId} (${row.loss}, ${row.optimiser}, lr ${row.lr_d}/${row.lr_g}, ` +
        `${row.normalisation}, ${row.penalty}, seed ${row.seed}): ${what}`,
    );
  }
  if (diff.onlyBefore.length) console.log(`  missing from ${after}: ${diff.onlyBefore.length}`);
  if (diff.onlyAfter.length) console.log(`  only in ${after}: ${diff.onlyAfter.length}`);
  return diff.changed.length === 0 && diff.onlyBefore.length === 0 ? 0 : 1;
}

if (import.meta.main) await runTask("diff", main, [FolderArgumentError]);
