/**
 * A training Worker: each has its own tfjs (the wasm backend is
 * single-threaded, so one Worker per core is how a sweep uses the machine).
 *
 * Messages in: {@link BatchJob}. Messages out: {@link WorkerMessage}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendName, useBackend } from "../engine/backend.ts";
import type { RunRecord } from "../engine/records.ts";
import type { BatchSnapshot } from "../engine/snapshot.ts";
import { engineLearningRates, type RunConfig, trainingSetup } from "../design/factors.ts";
import { engineFor, type EngineName, trainBatch } from "../engine/train.ts";
import { TrainingStopped } from "../engine/driver.ts";

/** One batch to train: runs sharing a configuration but for seeds and learning rates. */
export interface BatchJob {
  readonly batch: number;
  readonly backend: BackendName;
  /** The engine asked for (the reference trains batches the fused engine cannot). */
  readonly engine: EngineName;
  /** The batch's shared configuration (learning rates come per run). */
  readonly config: RunConfig;
  readonly runs: readonly {
    readonly seed: number;
    readonly lr: RunConfig["lr"];
    /** The run's own optimiser settings and penalty (they may differ within a batch). */
    readonly optimiser: RunConfig["optimiser"];
    readonly penalty?: RunConfig["penalty"];
  }[];
  /** Snapshots every this many iterations or seconds, whichever first (none if absent). */
  readonly checkpoint?: { readonly every: number; readonly seconds: number };
  /** Continue from this snapshot of the batch. */
  readonly resume?: BatchSnapshot;
  /** The wall time a chunk of iterations aims at (the driver's default if absent). */
  readonly chunkSeconds?: number;
  /**
   * A flag the sweep shares with every Worker (an `Int32Array` on a
   * `SharedArrayBuffer`): 1 asks the batch to take a checkpoint at the end
   * of its chunk and stop.
   */
  readonly stop?: Int32Array;
}

/** What a Worker reports. */
export type WorkerMessage =
  | { type: "progress"; batch: number; iterationsDone: number }
  | { type: "checkpoint"; batch: number; snapshot: BatchSnapshot }
  | {
    type: "done";
    batch: number;
    records: RunRecord[];
    wallSeconds: number;
    backend: string;
    /** The engine that trained the batch. */
    engine: EngineName;
    tfjs: string;
  }
  | { type: "error"; batch: number; message: string }
  /** Stopped on request, its checkpoint (if it takes them) sent first. */
  | { type: "stopped"; batch: number; iterationsDone: number };

const scope = self as unknown as {
  onmessage: (event: MessageEvent<BatchJob>) => void;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
};

scope.onmessage = async ({ data: job }) => {
  try {
    const backend = await useBackend(job.backend);
    const started = performance.now();
    const setup = trainingSetup(job.config);
    const { engine } = engineFor(setup, job.engine);
    const records = await trainBatch(
      setup,
      job.runs.map((run) => ({
        seed: run.seed,
        learningRates: engineLearningRates({ ...job.config, lr: run.lr }),
        optimiser: run.optimiser,
        penalty: run.penalty,
      })),
      {
        engine,
        onProgress: ({ iterationsDone }) =>
          scope.postMessage({ type: "progress", batch: job.batch, iterationsDone }),
        resume: job.resume,
        chunkSeconds: job.chunkSeconds,
        stopRequested: job.stop && (() => Atomics.load(job.stop!, 0) === 1),
        checkpoint: job.checkpoint && {
          ...job.checkpoint,
          save: (snapshot) => scope.postMessage({ type: "checkpoint", batch: job.batch, snapshot }),
        },
      },
    );
    const transfer = records.flatMap((r) => [
      ...Object.values(r.curves).map((a) => a.buffer),
      r.patterns.buffer,
    ]);
    scope.postMessage({
      type: "done",
      batch: job.batch,
      records,
      wallSeconds: (performance.now() - started) / 1000,
      backend,
      engine,
      tfjs: tf.version.tfjs,
    }, transfer as Transferable[]);
  } catch (error) {
    if (error instanceof TrainingStopped) {
      scope.postMessage({
        type: "stopped",
        batch: job.batch,
        iterationsDone: error.iterationsDone,
      });
      return;
    }
    scope.postMessage({
      type: "error",
      batch: job.batch,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
};
