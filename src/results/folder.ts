/**
 * The results folder of an experiment: one row per finished run in
 * `runs.csv`, each run's curves and G outputs in files of their own, and
 * `experiment.json` describing the whole.
 *
 * Nothing is lost or duplicated: a run's files are written under a temporary
 * name and renamed, and only then is its row appended; a torn last row (a
 * crash mid-append) is cut off before the file is read or appended to.
 *
 * @module
 */
import { parse, stringify } from "@std/csv";
import type { CheckResult, CheckValues, Outcome } from "./checks.ts";
import type { RunRecord } from "../engine/records.ts";
import { FACTOR_COLUMN_DEFAULTS, FACTOR_COLUMNS } from "../design/factors.ts";
import { appendableColumns } from "./appendable_columns.ts";
import { asWriteFailure, ResultsError, type Warn } from "./errors.ts";
import { writeAtomically } from "./files.ts";
import { curvesCsv, formatValue, outputColumns, patternsCsv, samplesCsv } from "./record_files.ts";

export { ResultsError, type Warn, WriteFailure } from "./errors.ts";
export { moveAside, removeStaleTemporaries, writeAtomically } from "./files.ts";
export {
  curvesCsv,
  formatValue,
  outputColumns,
  outputColumnsOf,
  patternsCsv,
  readNumericCsv,
  samplesCsv,
} from "./record_files.ts";
import type { PlannedRun, Shard } from "../design/grid.ts";
import type { Preset } from "../design/presets.ts";

/** The measured columns of `runs.csv`, in order. */
export const CHECK_COLUMNS: readonly (keyof CheckValues)[] = [
  "d_loss_real_mean",
  "d_loss_real_sd",
  "d_loss_fake_mean",
  "d_loss_fake_sd",
  "g_loss_mean",
  "g_loss_sd",
  "d_real_mean",
  "d_fake_mean",
  "equilibrium_error",
  "d_fake_error",
  "pattern_error",
  "pattern_ordered_fraction",
  "pattern_ordered",
  "loss_sd_max",
  "g_output_max_abs",
  "diverged_at",
];

/** The columns of `runs.csv` that say what a run came to. */
export const OUTCOME_COLUMNS = ["verdict", "pattern_learned", "ending"] as const;

/**
 * The convergence check's columns (`engine/jacobian.ts`), after the columns
 * every earlier version wrote; empty for networks too large to check.
 */
export const JACOBIAN_COLUMNS = [
  "gradient_field_norm",
  "jacobian_max_real",
  "update_spectral_radius",
  "locally_stable",
] as const;

/**
 * Every column of `runs.csv` for data of `width`: the shared ones, the
 * convergence check's, then the problem's own (`problemColumns`).
 */
export function runColumns(width: number, problemColumns: readonly string[] = []): string[] {
  return [...sharedColumns(width), ...JACOBIAN_COLUMNS, ...problemColumns];
}

/** The columns every version of runs.csv has had (an older file's header is exactly these). */
function sharedColumns(width: number): string[] {
  return [
    "run_id",
    "experiment",
    "base",
    ...FACTOR_COLUMNS,
    "seed",
    "iterations",
    "status",
    ...OUTCOME_COLUMNS,
    ...CHECK_COLUMNS,
    ...outputColumns(width),
    "batch_runs",
    "batch_wall_seconds",
    "finished_at",
  ];
}

/** Where one experiment's (or one shard's) results go. */
export interface ResultsFolder {
  readonly directory: string;
  /** This process's rows: `runs.csv`, or `runs-shard-K-of-N.csv` for a shard. */
  readonly runsFile: string;
  /** `experiment.json`, or `experiment-shard-K-of-N.json` for a shard. */
  readonly manifestFile: string;
}

/** The files a (sharded) sweep writes in `directory`. */
export function resultsFolder(directory: string, shard?: Shard): ResultsFolder {
  const suffix = shard && shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : "";
  return {
    directory,
    runsFile: `${directory}/runs${suffix}.csv`,
    manifestFile: `${directory}/experiment${suffix}.json`,
  };
}

/** Every `runs*.csv` in a results folder (all shards), sorted. */
export async function runsFiles(directory: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isFile && /^runs(-shard-\d+-of-\d+)?\.csv$/.test(entry.name)) {
        files.push(`${directory}/${entry.name}`);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files.sort();
}

/** By default, warnings go to stderr. */
const toStderr: Warn = (message) => console.error(`warning: ${message}`);

/** A line of a runs file that is not a well-formed row. */
export interface RejectedLine {
  /** 1-based, the header being line 1. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/**
 * One runs file's complete rows, keyed by column. A torn last line (a crash
 * mid-append) is left out silently; any other line that is not a
 * well-formed row (a stray write, a bad merge, a hand edit) is left out and
 * reported with its line number.
 *
 * @throws {ResultsError} naming `file` when its header is not CSV.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseRunsText } from "./folder.ts";
 * const { rows, rejected } = parseRunsText("run_id,seed\n0123456789ab,1\noops\n");
 * assertEquals([rows.length, rejected[0].line], [1, 3]);
 * ```
 */
export function parseRunsText(
  text: string,
  file = "runs.csv",
): { columns: string[]; rows: Record<string, string>[]; rejected: RejectedLine[] } {
  const lines = completeLines(text).split("\n");
  lines.pop(); // the empty string after the last newline
  const rows: Record<string, string>[] = [];
  const rejected: RejectedLine[] = [];
  if (lines.length === 0) return { columns: [], rows, rejected };
  let columns: string[];
  try {
    columns = (parse(lines[0]) as string[][])[0] ?? [];
  } catch (error) {
    throw new ResultsError(
      `${file}: its header is not CSV (${(error as Error).message}); move the file aside ` +
        `and rerun the sweep`,
    );
  }
  lines.slice(1).forEach((line, index) => {
    const number = index + 2;
    let fields: string[];
    try {
      fields = (parse(line) as string[][])[0] ?? [];
    } catch (error) {
      rejected.push({ line: number, text: line, reason: `not CSV (${(error as Error).message})` });
      return;
    }
    if (fields.length !== columns.length) {
      rejected.push({
        line: number,
        text: line,
        reason: `${fields.length} fields where the header has ${columns.length}`,
      });
      return;
    }
    const row = Object.fromEntries(columns.map((column, i) => [column, fields[i]]));
    if (!/^[0-9a-f]{12}$/.test(row.run_id ?? "")) {
      rejected.push({ line: number, text: line, reason: `run_id "${row.run_id}" is not a run id` });
      return;
    }
    rows.push(row);
  });
  return { columns, rows, rejected };
}

/**
 * Every well-formed row of every `runs*.csv` in a folder (all shards), as
 * objects keyed by column, one per run id; a damaged line is reported
 * through `warn` and left out (its run counts as not finished).
 */
export async function readRunRows(
  directory: string,
  warn: Warn = toStderr,
): Promise<Record<string, string>[]> {
  const rows = new Map<string, Record<string, string>>();
  for (const file of await runsFiles(directory)) {
    const parsed = parseRunsText(await Deno.readTextFile(file), file);
    for (const bad of parsed.rejected) {
      warn(`${file}:${bad.line}: not a well-formed row (${bad.reason}); skipped`);
    }
    for (const row of parsed.rows) {
      // A run appears once even if two files hold it (e.g. a shard and an unsharded rerun).
      if (!rows.has(row.run_id)) rows.set(row.run_id, row);
    }
  }
  return [...rows.values()];
}

/** The ids of the runs already finished in a folder (all shards). */
export async function finishedRunIds(directory: string): Promise<Set<string>> {
  return new Set((await readRunRows(directory)).map((row) => row.run_id));
}

function completeLines(text: string): string {
  const end = text.lastIndexOf("\n");
  return end < 0 ? "" : text.slice(0, end + 1);
}

/**
 * Makes this process's runs file ready to append to: creates it with its
 * header, or cuts off a torn last line, and checks its header. Returns the
 * columns to write rows in: `columns` for a new file; for a file an earlier
 * version began, its own columns, never rewritten (see
 * `appendable_columns.ts`: the measured columns it lacks are left out of
 * the new rows, and a factor column it lacks only while every run to be
 * appended, whose factor columns are `runs`, is at that factor's old
 * default).
 *
 * @throws {ResultsError} if the file's columns cannot take the new rows.
 */
export async function prepareRunsFile(
  folder: ResultsFolder,
  columns: string[],
  runs: readonly Readonly<Record<string, string>>[],
): Promise<string[]> {
  await Deno.mkdir(`${folder.directory}/curves`, { recursive: true });
  await Deno.mkdir(`${folder.directory}/patterns`, { recursive: true });
  let text: string;
  try {
    text = await Deno.readTextFile(folder.runsFile);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await writeAtomically(folder.runsFile, stringify([columns]));
    return columns;
  }
  const complete = completeLines(text);
  if (complete.length !== text.length) {
    await Deno.truncate(folder.runsFile, new TextEncoder().encode(complete).length);
  }
  const header = (parse(complete.slice(0, complete.indexOf("\n") + 1)) as string[][])[0] ?? [];
  if (header.join(",") === columns.join(",")) return columns;
  const jacobian = columns.indexOf(JACOBIAN_COLUMNS[0]);
  const appendable = appendableColumns(header, {
    current: columns,
    // The convergence check's and the problems' columns come after every earlier version's.
    measured: jacobian < 0 ? [] : columns.slice(jacobian),
    defaults: FACTOR_COLUMN_DEFAULTS as Record<string, string>,
  }, runs);
  if (appendable.ok) return [...appendable.columns];
  throw new ResultsError(
    `${folder.runsFile}: cannot take this version's rows: ${appendable.problem}; bring it up ` +
      `to date with \`deno task recheck ${folder.directory}\`, or start over with --fresh ` +
      `(the old folder is kept beside it)`,
  );
}

/** Timing of the batch a run trained in. */
export interface BatchTiming {
  readonly runs: number;
  readonly wallSeconds: number;
}

/**
 * Saves one finished run: its curve and pattern files first (each written
 * under a temporary name, then renamed), then its row, appended whole.
 */
export async function saveRun(
  folder: ResultsFolder,
  run: PlannedRun,
  record: RunRecord,
  checks: CheckResult,
  batch: BatchTiming,
  width: number,
  { columns = runColumns(width), judgement = {}, samples }: {
    /** The runs file's columns (as `prepareRunsFile` returned them). */
    readonly columns?: readonly string[];
    /** The convergence check's and the problem's columns, as text. */
    readonly judgement?: Readonly<Record<string, string>>;
    /** Samples of the final G to keep in `samples/<run>.csv` (`n × width`). */
    readonly samples?: Float32Array;
  } = {},
): Promise<void> {
  await writeAtomically(`${folder.directory}/curves/${run.id}.csv`, curvesCsv(record));
  if (samples) {
    await Deno.mkdir(`${folder.directory}/samples`, { recursive: true });
    await writeAtomically(`${folder.directory}/samples/${run.id}.csv`, samplesCsv(samples, width));
  }
  await writeAtomically(`${folder.directory}/patterns/${run.id}.csv`, patternsCsv(record, width));
  const lastOutput = Array.from(
    { length: width },
    (_, i) => record.patterns[(record.patternIterations.length - 1) * width + i],
  );
  const values: Record<string, string | number> = {
    run_id: run.id,
    experiment: run.experiment.name,
    base: run.config.base,
    ...run.columns,
    seed: run.seed,
    iterations: run.config.iterations,
    status: record.divergedAt === null ? "finished" : "diverged",
    ...outcomeColumns(checks),
    ...Object.fromEntries(CHECK_COLUMNS.map((c) => [c, formatValue(checks.values[c])])),
    ...Object.fromEntries(outputColumns(width).map((c, i) => [c, formatValue(lastOutput[i])])),
    batch_runs: batch.runs,
    batch_wall_seconds: batch.wallSeconds.toFixed(2),
    finished_at: new Date().toISOString(),
    ...judgement,
  };
  const row = columns.map((column) => values[column] ?? "");
  const before = (await Deno.stat(folder.runsFile)).size;
  try {
    await Deno.writeTextFile(folder.runsFile, stringify([row.map(String)]), { append: true });
  } catch (error) {
    // A row written in part is cut off again: runs.csv keeps whole rows only.
    await Deno.truncate(folder.runsFile, before).catch(() => {});
    throw asWriteFailure(folder.runsFile, error);
  }
}

/**
 * The measured values of a `runs.csv` row, read back as numbers (the
 * verdict is a function of them and the thresholds: see `judge`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkValuesOfRow } from "./folder.ts";
 * const values = checkValuesOfRow({ pattern_error: "0.04", pattern_ordered: "true", diverged_at: "" });
 * assertEquals([values.pattern_error, values.pattern_ordered, values.diverged_at], [0.04, true, ""]);
 * ```
 */
export function checkValuesOfRow(row: Readonly<Record<string, string>>): CheckValues {
  const read = (column: keyof CheckValues) => {
    const text = row[column] ?? "";
    if (column === "pattern_ordered") return text === "true";
    if (column === "diverged_at") return text === "" ? "" : Number(text);
    return text === "" ? NaN : Number(text);
  };
  return Object.fromEntries(CHECK_COLUMNS.map((c) => [c, read(c)])) as unknown as CheckValues;
}

/** The outcome columns of a row as `runs.csv` writes them. */
export function outcomeColumns(
  outcome: Outcome,
): Record<typeof OUTCOME_COLUMNS[number], string> {
  return {
    verdict: outcome.verdict,
    pattern_learned: String(outcome.patternLearned),
    ending: outcome.ending,
  };
}

/**
 * An experiment folder's manifest: `experiment.json`, or the first shard's
 * (`experiment-shard-K-of-N.json`); `{}` if there is none.
 */
export async function readManifest(folder: string): Promise<Record<string, unknown>> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (/^experiment(-shard-\d+-of-\d+)?\.json$/.test(entry.name)) names.push(entry.name);
  }
  names.sort();
  return names.length ? JSON.parse(await Deno.readTextFile(`${folder}/${names[0]}`)) : {};
}

/**
 * The preset a results folder was trained from, as its `experiment.json`
 * records it (networks, pattern, length, every factor's default), so that
 * analysis reads the folder rather than today's presets; undefined for a
 * manifest that records none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { recordedPreset } from "./folder.ts";
 * import { PRESETS } from "../design/presets.ts";
 * assertEquals(recordedPreset({ preset: PRESETS.book })?.pattern.width, 4);
 * assertEquals(recordedPreset({}), undefined);
 * ```
 */
export function recordedPreset(manifest: Record<string, unknown>): Preset | undefined {
  const preset = manifest.preset as Partial<Preset> | undefined;
  const complete = preset && typeof preset.pattern?.width === "number" &&
    typeof preset.factors === "object" && typeof preset.iterations === "number";
  return complete ? preset as Preset : undefined;
}
