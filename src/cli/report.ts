/**
 * `deno task report [RESULTS_DIR...]`: writes `plots/*.svg`, `REPORT.md` and `report.html`
 * into each experiment folder (default: every folder under results/). A folder with nothing
 * to report (an interrupted sweep's, a damaged one) gets one line saying why and what to do;
 * the other folders go on, and the exit code is 1.
 *
 * @module
 */
import { parseStrict, runTask } from "./args.ts";
import { writeReport } from "../analysis/report.ts";
import { ResultsError, runsFiles } from "../results/folder.ts";
import { assertResultsFolders, FolderArgumentError } from "./folder_arguments.ts";

const USAGE = `usage: deno task report [RESULTS_DIR...]

Renders each experiment folder's plots (loss curves per configuration, G's
output for a representative run of each verdict, the ablation) as SVG into
plots/, and writes REPORT.md beside them, and report.html: the same plots
interactive (hover for the data, pick a configuration, sort the table), one
file that opens offline in a browser. A folder that cannot be reported (no
finished run yet, damaged files) is named with the reason on stderr; the
others are still written, and the exit code is then 1.`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, { boolean: ["help"] });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const given = args._.map(String);
  await assertResultsFolders("report", given);
  const folders = given.length ? given : await everyExperimentFolder();
  let failed = 0;
  for (const folder of folders) {
    const problem = await reportFolder(folder);
    if (problem) {
      console.error(`report: ${problem}`);
      failed++;
    }
  }
  if (failed > 0 && folders.length > 1) {
    console.error(`report: ${failed} of ${folders.length} folders not reported (above)`);
  }
  return failed > 0 ? 1 : 0;
}

/** Writes one folder's report; returns why it could not, in one line, or undefined. */
async function reportFolder(folder: string): Promise<string | undefined> {
  if ((await runsFiles(folder)).length === 0 && !(await holdsExperiment(folder))) {
    return `${folder}: no runs.csv (or runs-shard-*.csv) here; is it an experiment's ` +
      `results folder?`;
  }
  try {
    const written = await writeReport(folder);
    const plots = written.filter((path) => path.endsWith(".svg")).length;
    console.log(`report: ${folder}/REPORT.md and ${plots} plots; ${folder}/report.html`);
    return undefined;
  } catch (error) {
    if (error instanceof ResultsError) return error.message;
    if (error instanceof Deno.errors.NotFound) {
      return `${folder}: a file the report reads is missing (${error.message}); ` +
        `\`deno task recheck ${folder}\` names every missing file`;
    }
    throw error;
  }
}

/**
 * Every folder under `root` that an experiment wrote (a runs file or an
 * `experiment*.json`, an interrupted sweep's included), but those moved aside
 * by `--fresh` (`*.old-*`), sorted.
 */
async function everyExperimentFolder(root = "results"): Promise<string[]> {
  const folders: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      const folder = `${root}/${entry.name}`;
      if (!entry.isDirectory || /\.old-/.test(entry.name)) continue;
      if ((await runsFiles(folder)).length || (await holdsExperiment(folder))) {
        folders.push(folder);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (folders.length === 0) {
    throw new ResultsError(`${root}: no experiment results yet (deno task sweep makes some)`);
  }
  return folders.sort();
}

/** Whether a folder holds an experiment's manifest (`experiment.json` or a shard's). */
async function holdsExperiment(folder: string): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (entry.isFile && /^experiment(-shard-\d+-of-\d+)?\.json$/.test(entry.name)) return true;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return false;
}

if (import.meta.main) await runTask("report", main, [ResultsError, FolderArgumentError]);
