/**
 * Re-measures the convergence checks of finished runs from their saved
 * curves, e.g. after the thresholds or the checks themselves changed,
 * without training again.
 *
 * @module
 */
import { parse, stringify } from "@std/csv";
import { checkRun, type CheckThresholds, DEFAULT_THRESHOLDS } from "./checks.ts";
import { CURVE_COLUMNS, type RunRecord } from "./engine.ts";
import type { LossName } from "./losses.ts";
import { type PresetName, PRESETS } from "./presets.ts";
import {
  CHECK_COLUMNS,
  formatValue,
  readManifest,
  readNumericCsv,
  ResultsError,
  runColumns,
  runsFiles,
  writeAtomically,
} from "./results.ts";

/** Rebuilds what training recorded for a run from its curve and pattern files. */
export async function readRecord(
  folder: string,
  runId: string,
  divergedAt: string,
): Promise<RunRecord> {
  const curves = await readNumericCsv(`${folder}/curves/${runId}.csv`);
  const patterns = await readNumericCsv(`${folder}/patterns/${runId}.csv`);
  const column = (name: string) => {
    const index = curves.header.indexOf(name);
    return Float32Array.from(curves.rows, (row) => row[index]);
  };
  return {
    seed: NaN,
    curveIterations: curves.rows.map((row) => row[0]),
    curves: Object.fromEntries(
      CURVE_COLUMNS.map((name) => [name, column(name)]),
    ) as RunRecord["curves"],
    patternIterations: patterns.rows.map((row) => row[0]),
    patterns: Float32Array.from(patterns.rows.flatMap((row) => row.slice(1))),
    divergedAt: divergedAt === "" ? null : Number(divergedAt),
    finalParameters: { discriminator: new Float32Array(), generator: new Float32Array() },
  };
}

/**
 * Re-measures every run of a results folder (all shards) with the
 * experiment's thresholds and rewrites its runs files; returns how many
 * verdicts changed.
 *
 * @throws {ResultsError} if the curves were thinned (the checks need every record).
 */
export async function recheckFolder(folder: string): Promise<{ runs: number; changed: number }> {
  const manifest = await readManifest(folder);
  if (manifest.thinned) {
    throw new ResultsError(
      `${folder}: its curves were thinned (experiment.json "thinned"); the checks need full curves`,
    );
  }
  const custom = ((manifest.experiment as Record<string, unknown>)?.checks ?? {}) as Partial<
    CheckThresholds
  >;
  let runs = 0;
  let changed = 0;
  for (const file of await runsFiles(folder)) {
    const text = await Deno.readTextFile(file);
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    const rows = parse(complete, { skipFirstRow: true }) as Record<string, string>[];
    if (rows.length === 0) continue;
    const columns = runColumns(PRESETS[rows[0].base as PresetName].pattern.width);
    const updated: string[][] = [];
    for (const row of rows) {
      const loss = row.loss as LossName;
      const record = await readRecord(folder, row.run_id, row.diverged_at ?? "");
      const checks = checkRun(
        record,
        loss,
        PRESETS[row.base as PresetName].pattern,
        { ...DEFAULT_THRESHOLDS[loss], ...custom },
      );
      const next: Record<string, string> = { ...row, verdict: checks.verdict };
      for (const name of CHECK_COLUMNS) next[name] = formatValue(checks.values[name]);
      if (next.verdict !== row.verdict) changed++;
      updated.push(columns.map((name) => next[name] ?? ""));
      runs++;
    }
    await writeAtomically(file, stringify([columns, ...updated]));
  }
  return { runs, changed };
}
