/**
 * `deno task recheck RESULTS_DIR...`: judges every finished run again with
 * the thresholds in the folder's experiment.json and rewrites the runs files
 * in this version's columns; no training. With full curves each run is
 * measured again from them; with thinned curves (committed results) each
 * run is re-labelled from the measured values its row holds. Run it when no
 * sweep is writing to the folder.
 *
 * @module
 */
import { assertResultsFolders, FolderArgumentError } from "./folder_arguments.ts";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { recheckFolder } from "../results/recheck.ts";
import { ResultsError } from "../results/folder.ts";
import { experimentFolders } from "../results/folders.ts";

const USAGE = `usage: deno task recheck RESULTS_DIR...

Judges every finished run of each folder again with the thresholds in its
experiment.json (edit experiment.checks there) and rewrites its runs files:
measured again from the curves, or re-labelled from runs.csv's measured
values where the curves were thinned. Nothing is trained.`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, { boolean: ["help"] });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args._.length === 0) throw new UsageError("name at least one results folder");
  await assertResultsFolders("recheck", args._.map(String));
  const folders = await experimentFolders(args._.map(String)).catch((error) => {
    throw new UsageError(error.message);
  });
  for (const folder of folders) {
    const { runs, changed, mode } = await recheckFolder(folder);
    const how = mode === "re-labelled"
      ? "re-labelled from runs.csv's measured values (curves thinned)"
      : "re-measured";
    console.log(`recheck: ${folder}: ${runs} runs ${how}, ${changed} verdicts changed`);
  }
  return 0;
}

if (import.meta.main) await runTask("recheck", main, [ResultsError, FolderArgumentError]);
