/**
 * A sweep's tally while it trains: how far each batch has come, the ETA
 * weighted by each batch's predicted cost, the runs saved, and the batches
 * a stop would leave checkpointed.
 *
 * @module
 */
import type { EngineName } from "../engine/train.ts";
import type { ResultsFolder } from "../results/folder.ts";
import type { Batch } from "./batches.ts";
import { batchSeconds, workerSpeed } from "./estimate.ts";
import { type BatchStanding, etaSeconds } from "./eta.ts";
import type { WorkerMessage } from "./worker.ts";

/** A batch in training: how far it has come. */
export interface RunningBatch {
  readonly runs: number;
  readonly iterationsDone: number;
  readonly iterations: number;
}

/** How far a sweep has come. */
export interface SweepProgress {
  readonly runsDone: number;
  readonly runsTotal: number;
  readonly runIterationsDone: number;
  readonly runIterationsTotal: number;
  readonly elapsedSeconds: number;
  /** The batches in training now, in the order the sweep hands batches out. */
  readonly running: readonly RunningBatch[];
  /**
   * The seconds still to go: the measured speed (in the batches' predicted
   * cost, so a costly batch half done counts for more than a cheap one
   * finished), blended at the start with the speed the estimate assumed; never less
   * than the longest batch's remaining work on one Worker.
   */
  readonly etaSeconds: number;
}

/** A batch in training when the sweep was stopped. */
export interface InterruptedBatch {
  readonly runs: number;
  readonly iterationsDone: number;
  /** The iteration its checkpoint on disk holds (none yet if absent). */
  readonly checkpointAt?: number;
  /** The folder its checkpoint is in. */
  readonly checkpoints: string;
}

/** What the tally needs of a sweep's options. */
export interface TallyOptions {
  readonly workers: number;
  readonly engine?: EngineName;
  readonly onProgress?: (progress: SweepProgress) => void;
  /** A batch's predicted seconds on a core of its own (default the bench's rates). */
  readonly batchSeconds?: (batch: Batch) => number;
}

/**
 * A sweep's running counts: runs saved, batches failed, progress, which
 * engines trained; and which batches are running, for the message on Ctrl-C.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { createTally } from "./tally.ts";
 * const tally = createTally([], 0, new Date(), { workers: 2 });
 * assertEquals(tally.outcome().trained, 0);
 * assertEquals(tally.running(), []);
 * ```
 */
export function createTally(
  batches: readonly Batch[],
  runsTotal: number,
  startedAt: Date,
  { onProgress, engine = "fused", workers, batchSeconds: secondsOf }: TallyOptions,
) {
  const progressOf = new Map<number, number>();
  const resumedAt = new Map<number, number>();
  const finishedIds = new Set<number>();
  // Each batch's predicted seconds on a core of its own (the bench's rates): its weight.
  const cost = new Map(
    batches.map((batch) => [batch.id, secondsOf?.(batch) ?? batchSeconds(batch, engine)]),
  );
  const iterationsOf = (batch: Batch) => batch.runs[0].config.iterations;
  const runIterationsTotal = batches.reduce(
    (sum, batch) => sum + batch.runs.length * iterationsOf(batch),
    0,
  );
  const pool = Math.min(workers, batches.length);
  let runsDone = 0;
  let failedBatches = 0;
  let versions: { backend?: string; tfjs?: string; engine?: string } = {};
  const engines = new Set<string>();
  const report = () => {
    if (!onProgress) return;
    const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;
    let runIterationsDone = 0;
    const standings: BatchStanding[] = [];
    for (const batch of batches) {
      const total = iterationsOf(batch);
      const done = finishedIds.has(batch.id) ? total : progressOf.get(batch.id) ?? 0;
      runIterationsDone += done * batch.runs.length;
      standings.push({
        cost: cost.get(batch.id)!,
        done: done / total,
        trained: (done - (resumedAt.get(batch.id) ?? 0)) / total,
      });
    }
    onProgress({
      runsDone,
      runsTotal,
      runIterationsDone,
      runIterationsTotal,
      elapsedSeconds,
      running: batches.filter((b) => progressOf.has(b.id)).map((batch) => ({
        runs: batch.runs.length,
        iterationsDone: progressOf.get(batch.id)!,
        iterations: iterationsOf(batch),
      })),
      etaSeconds: etaSeconds(standings, elapsedSeconds, pool, pool * workerSpeed(pool)),
    });
  };
  const checkpointAt = new Map<number, number>();
  const folderOfBatch = new Map<number, ResultsFolder>();
  return {
    /** Runs saved in this sweep, by folder. */
    saved: new Map<ResultsFolder, number>(),
    /** A batch begins in `folder`, from a checkpoint at `from` iterations or from the start. */
    started(batch: Batch, folder: ResultsFolder, from?: number) {
      resumedAt.set(batch.id, from ?? 0);
      progressOf.set(batch.id, from ?? 0);
      folderOfBatch.set(batch.id, folder);
      if (from !== undefined) checkpointAt.set(batch.id, from);
    },
    /** A checkpoint of the batch at `iteration` is written. */
    checkpointed(batch: Batch, iteration: number) {
      checkpointAt.set(batch.id, iteration);
    },
    progress(batch: Batch, done: number) {
      progressOf.set(batch.id, done);
      report();
    },
    failed(batch: Batch) {
      failedBatches++;
      progressOf.delete(batch.id);
    },
    /** A batch's runs are saved, `rows` rows in all (a run to every folder that declares it). */
    finished(batch: Batch, message: Extract<WorkerMessage, { type: "done" }>, rows: number) {
      engines.add(message.engine);
      versions = {
        backend: message.backend,
        tfjs: message.tfjs,
        engine: [...engines].sort().join(", "),
      };
      runsDone += rows;
      finishedIds.add(batch.id);
      progressOf.delete(batch.id);
      report();
    },
    /** The batches in training now, and the iteration each has a checkpoint of. */
    running: (): InterruptedBatch[] =>
      batches.filter((batch) => progressOf.has(batch.id)).map((batch) => ({
        runs: batch.runs.length,
        iterationsDone: progressOf.get(batch.id)!,
        checkpointAt: checkpointAt.get(batch.id),
        checkpoints: `${folderOfBatch.get(batch.id)!.directory}/checkpoints`,
      })),
    versions: () => versions,
    outcome: () => ({ trained: runsDone, failedBatches, ...versions }),
  };
}
