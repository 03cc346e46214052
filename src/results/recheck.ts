/**
 * Re-measures the convergence checks of finished runs from their saved
 * curves, e.g. after the thresholds or the checks themselves changed,
 * without training again.
 *
 * @module
 */
import { stringify } from "@std/csv";
import { checkRun, type CheckThresholds, type Ending, judge, thresholdsFor } from "./checks.ts";
import { problemOf, problemOutcome } from "./judgement.ts";
import type { Recording } from "../engine/records.ts";
import { CURVE_COLUMNS } from "../engine/step.ts";
import { upgradeManifests } from "./upgrade_manifest.ts";
import { FACTOR_COLUMN_DEFAULTS } from "../design/factors.ts";
import type { LossName } from "../kinds/losses/mod.ts";
import { type PresetName, PRESETS } from "../design/presets.ts";
import {
  CHECK_COLUMNS,
  checkValuesOfRow,
  formatValue,
  outcomeColumns,
  parseRunsText,
  readManifest,
  readNumericCsv,
  recordedPreset,
  ResultsError,
  runColumns,
  runsFiles,
  type Warn,
  writeAtomically,
} from "./folder.ts";

/** Rebuilds what training recorded for a run from its curve and pattern files. */
export async function readRecord(
  folder: string,
  runId: string,
  divergedAt: string,
): Promise<Recording> {
  const read = async (path: string) => {
    try {
      return await readNumericCsv(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new ResultsError(`${path}: missing, so run ${runId} cannot be measured again`);
    }
  };
  const curves = await read(`${folder}/curves/${runId}.csv`);
  const patterns = await read(`${folder}/patterns/${runId}.csv`);
  const column = (name: string) => {
    const index = curves.header.indexOf(name);
    // Curve files written before the penalty column have none: no penalty.
    if (index < 0 && name === "penalty") return new Float32Array(curves.rows.length);
    return Float32Array.from(curves.rows, (row) => row[index]);
  };
  return {
    curveIterations: curves.rows.map((row) => row[0]),
    curves: Object.fromEntries(
      CURVE_COLUMNS.map((name) => [name, column(name)]),
    ) as Recording["curves"],
    patternIterations: patterns.rows.map((row) => row[0]),
    patterns: Float32Array.from(patterns.rows.flatMap((row) => row.slice(1))),
    divergedAt: divergedAt === "" ? null : Number(divergedAt),
  };
}

/** What a recheck of one folder did. */
export interface RecheckSummary {
  readonly runs: number;
  /** Runs whose combined verdict changed. */
  readonly changed: number;
  /**
   * `re-measured` from full curves, or `re-labelled` from the measured values
   * in the runs files (thinned curves cannot be measured again).
   */
  readonly mode: "re-measured" | "re-labelled";
}

/**
 * Judges every run of a results folder (all shards) again with the
 * experiment's thresholds and rewrites its runs files in this version's
 * columns, and its manifest in this version's format. With full curves it
 * measures each run again from them; with thinned curves it re-labels each
 * run from the values its row holds.
 *
 * @example
 * ```ts ignore
 * import { recheckFolder } from "./recheck.ts";
 * const { runs, changed, mode } = await recheckFolder("results/book");
 * console.log(`${runs} runs ${mode}, ${changed} verdicts changed`);
 * ```
 */
export async function recheckFolder(
  folder: string,
  warn: Warn = (message) => console.error(`warning: ${message}`),
): Promise<RecheckSummary> {
  const manifest = await readManifest(folder);
  const mode = manifest.thinned ? "re-labelled" : "re-measured";
  // The pattern the runs were judged against, as the folder records it (today's preset only for a
  // folder whose experiment.json records none).
  const preset = recordedPreset(manifest);
  if (!preset) warn(`${folder}/experiment.json records no preset; using today's`);
  const custom = ((manifest.experiment as Record<string, unknown>)?.checks ?? {}) as Partial<
    CheckThresholds
  >;
  let runs = 0;
  let changed = 0;
  for (const file of await runsFiles(folder)) {
    const { rows, rejected } = parseRunsText(await Deno.readTextFile(file));
    if (rejected.length) {
      // The rewritten file keeps well-formed rows only; the others are kept for a person to read.
      const kept = rejected.map((bad) => `# line ${bad.line}: ${bad.reason}\n${bad.text}\n`);
      await Deno.writeTextFile(`${file}.rejected`, kept.join(""), { append: true });
      for (const bad of rejected) {
        warn(
          `${file}:${bad.line}: not a well-formed row (${bad.reason}); moved to ${file}.rejected`,
        );
      }
    }
    if (rows.length === 0) continue;
    const judgedAs = preset ?? PRESETS[rows[0].base as PresetName];
    const pattern = judgedAs.pattern;
    // A toy problem's own judgement needs G's final weights, which a folder does not keep: it
    // stays as the sweep wrote it, and still decides the shared "did it learn?" answer.
    const problem = problemOf(judgedAs);
    const columns = runColumns(pattern.width, problem.columns);
    const updated: string[][] = [];
    for (const row of rows) {
      const loss = row.loss as LossName;
      const thresholds = thresholdsFor(loss, custom);
      const next: Record<string, string> = { ...FACTOR_COLUMN_DEFAULTS, ...row };
      if (mode === "re-measured") {
        const record = await readRecord(folder, row.run_id, row.diverged_at ?? "");
        const checks = checkRun(record, loss, pattern, thresholds);
        for (const name of CHECK_COLUMNS) next[name] = formatValue(checks.values[name]);
        Object.assign(next, outcomeColumns(checks));
      } else {
        Object.assign(
          next,
          outcomeColumns(judge(checkValuesOfRow(row), loss, thresholds)),
        );
      }
      if (problem.verdictColumn) {
        const own = row[problem.verdictColumn];
        const outcome = problemOutcome(next.ending as Ending, {
          learned: own === "converged",
          verdict: own,
        });
        Object.assign(next, outcomeColumns(outcome));
      }
      if (next.verdict !== row.verdict) changed++;
      updated.push(columns.map((name) => next[name] ?? ""));
      runs++;
    }
    await writeAtomically(file, stringify([columns, ...updated]));
  }
  // The manifest is brought to this version's format too (it declares the runs the folder holds).
  await upgradeManifests(folder);
  return { runs, changed, mode };
}
