/**
 * A short calibration before a sweep: its batches' structures, costliest
 * first while a time budget lasts, train a handful of runs for a fraction of a second on
 * this machine, as it is loaded now, and the ratio of the measured time to
 * the bench's table (`estimate.ts`) corrects every batch's predicted
 * seconds (a structure not timed takes the timed ones' geometric mean).
 * The numbers trained are thrown away: nothing is written.
 *
 * @module
 */
import { type BackendName, useBackend } from "../engine/backend.ts";
import { type EngineName, trainBatch } from "../engine/train.ts";
import { engineLearningRates, trainingSetup } from "../design/factors.ts";
import { prepareKernels } from "../nn/kernels/mod.ts";
import type { Batch } from "./batches.ts";
import { batchSeconds } from "./estimate.ts";
import { structureKey } from "./shards.ts";

/** What a calibration measured: a batch's predicted seconds, and how many structures were timed. */
export interface Calibration {
  /** A batch's predicted seconds on a core of its own, corrected by the measurements. */
  readonly seconds: (batch: Batch) => number;
  /** Whether the batch's structure was timed (else it takes the timed ones' correction). */
  readonly timed: (batch: Batch) => boolean;
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  readonly engine?: EngineName;
  readonly backend?: BackendName;
  /** Seconds of timed training per structure (default 0.25). */
  readonly seconds?: number;
  /**
   * The wall time the whole calibration may take (default 1 s): structures
   * are timed costliest first until it is spent (at least one).
   */
  readonly totalSeconds?: number;
  /** The most runs of a batch trained in its calibration (default 4). */
  readonly runs?: number;
}

/**
 * Times the costliest structures of `batches` and returns the corrected
 * cost model.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { calibrate } from "./calibrate.ts";
 * import { makeBatches } from "./batches.ts";
 * import { expandGrid } from "../design/grid.ts";
 * import { validateExperiment } from "../design/experiment.ts";
 * const runs = await expandGrid(validateExperiment({ name: "x", base: "seed", seeds: 4 }, "x.ts"));
 * const batches = makeBatches(runs, 1);
 * const { seconds, timed } = await calibrate(batches, { seconds: 0.05 });
 * assert(batches.every(timed) && seconds(batches[0]) > 0);
 * ```
 */
export async function calibrate(
  batches: readonly Batch[],
  { engine = "fused", backend = "wasm", seconds = 0.25, totalSeconds = 1, runs = 4 }:
    CalibrateOptions = {},
): Promise<Calibration> {
  // The costliest batch of each structure stands for it.
  const byStructure = new Map<string, Batch>();
  for (const batch of batches) {
    const key = structureKey(batch.runs[0]);
    const known = byStructure.get(key);
    if (!known || batchSeconds(batch, engine) > batchSeconds(known, engine)) {
      byStructure.set(key, batch);
    }
  }
  const chosen = [...byStructure.entries()]
    .sort(([, a], [, b]) => batchSeconds(b, engine) - batchSeconds(a, engine));
  const ratios = new Map<string, number>();
  if (chosen.length) {
    await useBackend(backend);
    if (engine === "fused") await prepareKernels();
  }
  const started = performance.now();
  for (const [key, batch] of chosen) {
    if (ratios.size > 0 && performance.now() - started > 1000 * totalSeconds) break;
    const sample: Batch = { id: batch.id, runs: batch.runs.slice(0, runs) };
    // A structure that cannot train here keeps the table's rate (the sweep will say what fails).
    const measured = await secondsPerIteration(sample, engine, seconds).catch(() => undefined);
    if (measured === undefined || !Number.isFinite(measured) || measured <= 0) continue;
    const predicted = batchSeconds(sample, engine) / sample.runs[0].config.iterations;
    ratios.set(key, measured / predicted);
  }
  const logs = [...ratios.values()].map(Math.log);
  const fallback = logs.length ? Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length) : 1;
  return {
    seconds: (batch) =>
      batchSeconds(batch, engine) * (ratios.get(structureKey(batch.runs[0])) ?? fallback),
    timed: (batch) => ratios.has(structureKey(batch.runs[0])),
  };
}

/** A batch's measured seconds per iteration: one iteration to warm up, then about `budget` seconds. */
async function secondsPerIteration(
  batch: Batch,
  engine: EngineName,
  budget: number,
): Promise<number> {
  const [first] = batch.runs;
  const config = trainingSetup(first.config);
  const runs = batch.runs.map((run) => ({
    seed: run.seed,
    learningRates: engineLearningRates(run.config),
    optimiser: run.config.optimiser,
    penalty: run.config.penalty,
  }));
  // Chunks of one iteration, then the rest: the time between the first two reports is the rest's.
  const time = async (iterations: number) => {
    const at: number[] = [];
    await trainBatch({ ...config, iterations }, runs, {
      engine,
      progressEvery: iterations,
      chunkSeconds: 1e9,
      onProgress: () => at.push(performance.now()),
    });
    return (at[1] - at[0]) / 1000 / (iterations - 1);
  };
  await time(2); // the JIT's and the kernels' first calls
  const warm = await time(2);
  const iterations = Math.max(2, Math.min(5_000, Math.round(budget / Math.max(warm, 1e-7))));
  return time(iterations + 1);
}
