/**
 * The one driver both engines train under: it plans the batch, resumes it
 * from a snapshot, trains it chunk by chunk, reports progress, takes
 * snapshots by iterations or by time and assembles each run's record. An
 * engine supplies only an {@link EngineBatch}: how to train a chunk of
 * iterations, and how its batch reads and writes as numbers.
 *
 * @module
 */
import { type BatchPlan, planBatch } from "./plan.ts";
import { assembleRecords, type RecordedBlocks, type RunRecord } from "./records.ts";
import type { RunSetup, TrainingSetup } from "./setup.ts";
import { type BatchSnapshot, checkpointDue, type CheckpointOptions } from "./snapshot.ts";

/** Progress while a batch trains. */
export interface TrainProgress {
  readonly iterationsDone: number;
  readonly iterations: number;
  readonly runs: number;
}

/** Options of an engine's {@link TrainBatch}. */
export interface TrainOptions {
  /** Called after every chunk of iterations and at the end. */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** The longest chunk between progress calls and device read-backs (default 1000 iterations). */
  readonly progressEvery?: number;
  /**
   * The wall time a chunk aims at (default 5 s): a slow batch trains in
   * shorter chunks (the first is one iteration, to measure the speed), so
   * that progress and time-based snapshots are never more than about this
   * late. Chunks never change a run's numbers.
   */
  readonly chunkSeconds?: number;
  /** Take snapshots while training (none by default). */
  readonly checkpoint?: CheckpointOptions;
  /** Continue from a snapshot of the same batch instead of from the start. */
  readonly resume?: BatchSnapshot;
  /**
   * Asked after every chunk: when it says yes, the batch takes a snapshot
   * (if it takes them) and stops with {@link TrainingStopped}.
   */
  readonly stopRequested?: () => boolean;
}

/**
 * A batch stopped on request ({@link TrainOptions.stopRequested}) after
 * `iterationsDone` iterations, its snapshot saved first where it takes them.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { drive, TrainingStopped } from "./driver.ts";
 * import { referenceBatch } from "./reference/executor.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const saved: number[] = [];
 * const stopped = await assertRejects(() =>
 *   drive(
 *     referenceBatch,
 *     { ...trainingSetup(resolveConfig("book", {})), iterations: 30 },
 *     [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 *     {
 *       progressEvery: 10,
 *       stopRequested: () => true,
 *       checkpoint: { every: 1e9, seconds: 1e9, save: (s) => void saved.push(s.iterationsDone) },
 *     },
 *   ), TrainingStopped);
 * assertEquals([stopped.iterationsDone, saved], [1, [1]]);
 * ```
 */
export class TrainingStopped extends Error {
  constructor(readonly iterationsDone: number) {
    super(`stopped on request after ${iterationsDone} iterations`);
    this.name = "TrainingStopped";
  }
}

/** What an engine is: trains every run of `runs` with the shared `setup` as one batch. */
export type TrainBatch = (
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options?: TrainOptions,
) => Promise<RunRecord[]>;

/** A planned batch in one engine's hands: what the driver asks of an engine. */
export interface EngineBatch {
  /** Trains iterations `first … first + count − 1` and files their records. */
  train(first: number, count: number): void | Promise<void>;
  /** What has been recorded so far (after a chunk). */
  recorded(): RecordedBlocks;
  /** The batch after `done` iterations, as numbers. */
  snapshot(done: number): BatchSnapshot;
  /**
   * Takes up a snapshot of the same batch: its state, its random streams'
   * positions and its records.
   *
   * @throws {NetworkError} for a snapshot of another batch.
   */
  restore(snapshot: BatchSnapshot): void;
  /** Every run's final packed parameters, `R × P` each. */
  final(): Promise<{ discriminator: Float32Array; generator: Float32Array }>;
  dispose(): void;
}

/** Opens a planned batch on an engine. */
export type OpenBatch = (plan: BatchPlan, runs: readonly RunSetup[]) => EngineBatch;

/**
 * The length of the next chunk after `done` iterations: up to the next
 * multiple of `progressEvery`, shorter where the batch's measured speed says
 * it would take longer than `seconds` (at least one iteration). Before the
 * speed is known (`secondsPerIteration` undefined) the chunk is one
 * iteration: it measures the speed, so that even a batch whose 1,000
 * iterations take minutes reports progress and takes its snapshots on time.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { nextChunk } from "./driver.ts";
 * assertEquals(nextChunk(0, 5000, 1000, undefined, 5), 1); // the first chunk measures the speed
 * assertEquals(nextChunk(1, 5000, 1000, 1e-6, 5), 999);
 * assertEquals(nextChunk(1000, 5000, 1000, 0.01, 5), 500); // 10 ms an iteration: 5 s is 500
 * assertEquals(nextChunk(4900, 5000, 1000, 1e-6, 5), 100);
 * ```
 */
export function nextChunk(
  done: number,
  total: number,
  progressEvery: number,
  secondsPerIteration: number | undefined,
  seconds: number,
): number {
  const boundary = Math.min(total, (Math.floor(done / progressEvery) + 1) * progressEvery);
  const bySpeed = secondsPerIteration === undefined
    ? 1
    : Math.max(1, Math.floor(seconds / Math.max(secondsPerIteration, 1e-9)));
  return Math.min(boundary - done, bySpeed);
}

/**
 * Trains a batch on the engine `open` gives: resume, chunks, progress,
 * snapshots, records.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { drive } from "./driver.ts";
 * import { referenceBatch } from "./reference/executor.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const seen: number[] = [];
 * const [record] = await drive(
 *   referenceBatch,
 *   { ...trainingSetup(resolveConfig("book", {})), iterations: 30 },
 *   [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 *   { progressEvery: 10, onProgress: (p) => seen.push(p.iterationsDone) },
 * );
 * assertEquals([seen, record.curves.g_loss.length], [[1, 10, 20, 30], 3]);
 * ```
 */
export async function drive(
  open: OpenBatch,
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options: TrainOptions = {},
): Promise<RunRecord[]> {
  const { onProgress, progressEvery = 1000, chunkSeconds = 5, checkpoint, resume } = options;
  const plan = planBatch(setup, runs);
  const batch = open(plan, runs);
  try {
    if (resume) batch.restore(resume);
    let done = resume?.iterationsDone ?? 0;
    let lastSnapshot = { iteration: done, time: performance.now() };
    let secondsPerIteration: number | undefined;
    while (done < plan.iterations) {
      const count = nextChunk(
        done,
        plan.iterations,
        progressEvery,
        secondsPerIteration,
        chunkSeconds,
      );
      const started = performance.now();
      await batch.train(done, count);
      secondsPerIteration = (performance.now() - started) / 1000 / count;
      done += count;
      onProgress?.({ iterationsDone: done, iterations: plan.iterations, runs: plan.runs });
      const stop = done < plan.iterations && options.stopRequested?.() === true;
      if (
        checkpoint &&
        (stop || checkpointDue(checkpoint, done, plan.iterations, lastSnapshot)) &&
        done > lastSnapshot.iteration
      ) {
        await checkpoint.save(batch.snapshot(done));
        lastSnapshot = { iteration: done, time: performance.now() };
      }
      if (stop) throw new TrainingStopped(done);
    }
    return assembleRecords(plan, runs, batch.recorded(), await batch.final());
  } finally {
    batch.dispose();
  }
}
