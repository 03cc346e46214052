/**
 * `deno task recheck RESULTS_DIR...`: re-measures the convergence checks of
 * every finished run from its saved curves (with the experiment's
 * thresholds) and rewrites the runs files; no training. Run it when no
 * sweep is writing to the folder.
 *
 * @module
 */
import { recheckFolder } from "../recheck.ts";
import { ResultsError } from "../results.ts";
import { experimentFolders } from "../results_folders.ts";

if (import.meta.main) {
  if (Deno.args.length === 0 || Deno.args.some((arg) => arg.startsWith("-"))) {
    console.error("usage: deno task recheck RESULTS_DIR...");
    Deno.exit(Deno.args.includes("--help") ? 0 : 2);
  }
  try {
    for (const folder of await experimentFolders(Deno.args)) {
      const { runs, changed } = await recheckFolder(folder);
      console.log(`recheck: ${folder}: ${runs} runs re-measured, ${changed} verdicts changed`);
    }
  } catch (error) {
    if (!(error instanceof ResultsError) && !(error instanceof Error)) throw error;
    console.error(`recheck: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
