/**
 * Refuses, before anything is planned or written, an experiment that cannot
 * fit in memory or in a lifetime: too many runs, curves too long to hold, or
 * more training than any machine here would finish.
 *
 * @module
 */
import { type Experiment, ExperimentError } from "./experiment.ts";
import { PRESETS } from "./presets.ts";
import { CURVE_COLUMNS } from "../engine/step.ts";

/** The most runs one experiment may declare. */
export const MAX_RUNS = 1_000_000;
/** The most bytes one run's recorded curves and outputs may take. */
export const MAX_RECORD_BYTES = 1024 ** 3;
/** The most a sweep may ask for: a year at a speed well above this machine's best. */
export const MAX_SECONDS = 365 * 24 * 3600;
/** An optimistic training speed, run-iterations per second (this 2-core machine does ~0.1× this). */
const OPTIMISTIC_SPEED = 1e6;

/** A byte count for reading: 1.2 GiB, 3.4 PiB. */
function bytes(count: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${+value.toPrecision(3)} ${units[unit]}`;
}

/**
 * Checks an experiment's size against memory and time.
 *
 * @throws {ExperimentError} with the estimate that rules it out.
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkFeasible } from "./feasibility.ts";
 * import { validateExperiment } from "./experiment.ts";
 * const huge = validateExperiment({ name: "x", base: "seed", iterations: 1e15 }, "x.ts");
 * assertThrows(() => checkFeasible(huge), Error, "would record");
 * ```
 */
export function checkFeasible(experiment: Experiment): void {
  const { file, iterations, recordEvery, patternEvery, seeds, sweep } = experiment;
  const configs = Object.values(sweep).reduce(
    (product, levels) => product * ((levels as unknown[] | undefined)?.length ?? 1),
    1,
  );
  const runs = configs * (experiment.search?.samples ?? 1) * seeds.length;
  if (runs > MAX_RUNS) {
    throw new ExperimentError(
      `${file}: seeds and sweep: ${configs.toLocaleString("en")} configurations × ` +
        `${seeds.length.toLocaleString("en")} seeds = ${runs.toLocaleString("en")} runs; ` +
        `at most ${MAX_RUNS.toLocaleString("en")} per experiment`,
    );
  }
  const width = PRESETS[experiment.base].pattern.width;
  const perRun = 4 * (Math.floor(iterations / recordEvery) * (CURVE_COLUMNS.length + 1) +
    Math.floor(iterations / patternEvery) * (width + 1));
  if (perRun > MAX_RECORD_BYTES) {
    throw new ExperimentError(
      `${file}: iterations: ${iterations.toLocaleString("en")} iterations would record ` +
        `${bytes(perRun)} per run (curves every ${recordEvery}, outputs every ${patternEvery}); ` +
        `at most ${bytes(MAX_RECORD_BYTES)}: fewer iterations, or a larger recordEvery and ` +
        `patternEvery`,
    );
  }
  const seconds = runs * iterations / OPTIMISTIC_SPEED;
  if (seconds > MAX_SECONDS) {
    throw new ExperimentError(
      `${file}: ${runs.toLocaleString("en")} runs × ${iterations.toLocaleString("en")} ` +
        `iterations would take over ${Math.round(seconds / MAX_SECONDS).toLocaleString("en")} ` +
        `years even at ${OPTIMISTIC_SPEED.toLocaleString("en")} run-iterations/s`,
    );
  }
}
