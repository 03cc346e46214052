/**
 * A batch's life on a Worker: the job it is sent, its checkpoint (where it
 * lives, the fingerprint it must carry, the snapshot to resume from), the
 * Worker's messages, and the judgement and saving of its runs when it ends.
 *
 * @module
 */
import { ENGINE_VERSION } from "../engine/version.ts";
import type { BackendName } from "../engine/backend.ts";
import { engineFor, type EngineName } from "../engine/train.ts";
import type { BatchSnapshot } from "../engine/snapshot.ts";
import { thresholdsFor } from "../results/checks.ts";
import { judgeRun, judgeTraining } from "../results/judgement.ts";
import type { PlannedRun } from "../design/grid.ts";
import { PRESETS } from "../design/presets.ts";
import { trainingSetup } from "../design/factors.ts";
import { type ResultsFolder, saveRun } from "../results/folder.ts";
import type { Batch } from "./batches.ts";
import { batchFingerprint, checkpointPath, readCheckpoint } from "./checkpoints.ts";
import type { BatchJob, WorkerMessage } from "./worker.ts";

/** What a batch's checkpoint needs of a sweep's options. */
export interface CheckpointOptions {
  readonly engine?: EngineName;
  readonly checkpoint?: { readonly every: number; readonly seconds: number };
  readonly onNotice?: (message: string) => void;
}

/**
 * Where a batch's checkpoint lives, the fingerprint it must carry, and the
 * snapshot to resume from if one is there (a snapshot resumes only on the
 * engine, and the engine version, that took it: their float32 arithmetic
 * differs).
 */
export async function openCheckpoint(
  job: BatchJob,
  batch: Batch,
  folder: ResultsFolder,
  { engine = "fused", checkpoint, onNotice }: CheckpointOptions,
): Promise<{ path: string; fingerprint: string; resume?: BatchSnapshot }> {
  const trainsOn = engineFor(trainingSetup(job.config), engine).engine;
  const fingerprint = await batchFingerprint(
    { ...job.config, engine: trainsOn, engineVersion: ENGINE_VERSION },
    job.runs,
  );
  const path = await checkpointPath(folder.directory, batch.runs.map((run) => run.id));
  const resume = (checkpoint?.every ?? 10_000) > 0
    ? await readCheckpoint(path, fingerprint, (message) => onNotice?.(message))
    : undefined;
  if (resume) {
    onNotice?.(
      `a batch of ${batch.runs.length} runs resumes from its checkpoint at iteration ` +
        resume.iterationsDone.toLocaleString("en"),
    );
  }
  return { path, fingerprint, resume };
}

/** Judges and saves each trained run to every folder that declares it; counts the rows written. */
export async function saveBatch(
  batch: Batch,
  message: Extract<WorkerMessage, { type: "done" }>,
  twins: ReadonlyMap<string, readonly PlannedRun[]>,
  folderOf: ReadonlyMap<PlannedRun, ResultsFolder>,
  columnsOf: ReadonlyMap<ResultsFolder, readonly string[]>,
  savedIn: Map<ResultsFolder, number>,
): Promise<number> {
  let saved = 0;
  for (const [index, trained] of batch.runs.entries()) {
    const record = message.records[index];
    const { width } = PRESETS[trained.config.base].pattern;
    // The problem's judgement and the check from theory depend on the run alone: made once.
    const training = judgeTraining(trained.config, record, trained.seed);
    for (const run of twins.get(trained.id)!) {
      const thresholds = thresholdsFor(run.config.loss, run.experiment.checks);
      const { checks, columns, samples } = judgeRun(
        run.config,
        record,
        run.seed,
        thresholds,
        training,
      );
      const folder = folderOf.get(run)!;
      await saveRun(
        folder,
        run,
        record,
        checks,
        {
          runs: batch.runs.length,
          wallSeconds: message.wallSeconds,
        },
        width,
        { columns: columnsOf.get(folder), judgement: columns, samples },
      );
      savedIn.set(folder, (savedIn.get(folder) ?? 0) + 1);
      saved++;
    }
  }
  return saved;
}

/** The job a Worker trains for a batch. */
export function batchJob(
  batch: Batch,
  backend: BackendName,
  engine: EngineName,
  checkpoint?: { every: number; seconds: number },
): BatchJob {
  const [first] = batch.runs;
  return {
    batch: batch.id,
    backend,
    engine,
    config: first.config,
    runs: batch.runs.map((run) => ({
      seed: run.seed,
      lr: run.config.lr,
      optimiser: run.config.optimiser,
      penalty: run.config.penalty,
    })),
    checkpoint,
  };
}

/** Trains a job on a Worker: its last message, or undefined if the Worker was ended (`abandoned`). */
export function trainOnWorker(
  worker: Worker,
  job: BatchJob,
  onProgress: (iterationsDone: number) => void,
  onCheckpoint: (snapshot: BatchSnapshot) => void,
  abandoned: Promise<undefined>,
): Promise<WorkerMessage | undefined> {
  return new Promise((resolve) => {
    worker.onmessage = ({ data }: MessageEvent<WorkerMessage>) => {
      if (data.type === "progress") onProgress(data.iterationsDone);
      else if (data.type === "checkpoint") onCheckpoint(data.snapshot);
      else resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      resolve({ type: "error", batch: job.batch, message: event.message });
    };
    abandoned.then(resolve);
    worker.postMessage(job);
  });
}
