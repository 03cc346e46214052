/**
 * What a report reads from an experiment folder (its finished runs and its
 * manifest), refused in one line that names the folder, what is wrong and
 * what to do when there is nothing to report: no finished run yet (what an
 * interrupted sweep leaves), only damaged lines, a header or a manifest that
 * cannot be read, a finished run's curves or outputs missing.
 *
 * @module
 */
import {
  parseRunsText,
  readManifest,
  ResultsError,
  runsFiles,
  type Warn,
} from "../results/folder.ts";
import { readDeclaredRows } from "../results/declared.ts";
import { assertOutcomeColumns, type RunRow } from "./summary.ts";

/** A folder's finished runs and its `experiment.json`, as the report reads them. */
export interface ReportInput {
  /** The finished runs its definition declares. */
  readonly rows: RunRow[];
  readonly manifest: Record<string, unknown>;
  /** How many finished runs of an earlier definition the folder also holds (left out). */
  readonly undeclared: number;
}

/**
 * The folder's finished runs and manifest; a damaged line of a runs file is
 * reported through `warn` as the other readers do, unless no line is whole.
 *
 * @throws {ResultsError} in one line, when the folder has no finished run,
 * a runs file's header is not CSV (from `readRunRows`), its rows lack the
 * outcome columns, a run's curves or outputs are missing, or
 * `experiment.json` is not JSON.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { readReportInput } from "./report_input.ts";
 * import { ResultsError } from "../results/folder.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${folder}/runs.csv`, "run_id,seed\n");
 * await assertRejects(() => readReportInput(folder), ResultsError, "holds only its header");
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function readReportInput(
  folder: string,
  warn: Warn = (message) => console.error(`warning: ${message}`),
): Promise<ReportInput> {
  const manifest = await readManifest(folder).catch((error) => {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ResultsError(
      `${folder}: experiment.json is not JSON (${error.message}); restore it from git or ` +
        `rerun the folder's sweep`,
    );
  });
  const warnings: string[] = [];
  const { rows, undeclared } = await readDeclaredRows(
    folder,
    (message) => warnings.push(message),
  );
  if (rows.length === 0) throw new ResultsError(await noFinishedRun(folder, manifest));
  warnings.forEach(warn);
  assertOutcomeColumns(folder, rows);
  await assertRecordsPresent(folder, rows);
  return { rows, manifest, undeclared };
}

/**
 * Refuses, before a plot is written, a folder in which a finished run lacks
 * the curves or G's outputs that the report plots.
 */
async function assertRecordsPresent(folder: string, rows: readonly RunRow[]): Promise<void> {
  const missing: string[] = [];
  for (const row of rows) {
    for (const file of [`curves/${row.run_id}.csv`, `patterns/${row.run_id}.csv`]) {
      if (!(await exists(`${folder}/${file}`))) missing.push(file);
    }
  }
  if (missing.length === 0) return;
  throw new ResultsError(
    `${folder}: ${missing.length} of its runs' record files are missing (the first: ` +
      `${missing[0]}); restore them (e.g. \`git checkout ${folder}\`), or move the folder ` +
      `aside and rerun its sweep`,
  );
}

/** Why a folder has no finished run, and what to do, in one line. */
async function noFinishedRun(folder: string, manifest: Record<string, unknown>): Promise<string> {
  const file = (manifest.experiment as { file?: string } | undefined)?.file;
  const sweep = file ? `\`deno task sweep ${file}\`` : "its sweep";
  const resumes = await exists(`${folder}/checkpoints`)
    ? " (it resumes from the checkpoints/ there)"
    : "";
  const files = await runsFiles(folder);
  if (files.length === 0) {
    return `${folder}: no finished run to report (no runs.csv yet: an interrupted or ` +
      `unstarted sweep); finish it with ${sweep}${resumes}, then report`;
  }
  const damaged: string[] = [];
  for (const path of files) {
    const { rejected } = parseRunsText(await Deno.readTextFile(path), path);
    damaged.push(...rejected.map((line) => `${path}:${line.line}: ${line.reason}`));
  }
  if (damaged.length > 0) {
    return `${folder}: no finished run to report: no line of its runs file is a well-formed ` +
      `row (${damaged.length} damaged, the first ${damaged[0]}); \`deno task recheck ` +
      `${folder}\` moves them aside, then ${sweep} trains those runs again`;
  }
  const state = (await Deno.readTextFile(files[0])).trim() === ""
    ? "runs.csv is empty"
    : "runs.csv holds only its header";
  return `${folder}: no finished run to report (${state}: an interrupted sweep); finish it ` +
    `with ${sweep}${resumes}, then report`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
