/**
 * Runs a sweep: plans which runs still need training, packs them into
 * batches that share a network structure, trains the batches on a pool of
 * Workers (one per core), and saves every run as its batch finishes.
 *
 * @module
 */
import { prepareKernels } from "../nn/kernels/mod.ts";
import { recordedDefinition, writeManifest } from "./manifest.ts";
import type { BackendName } from "../engine/backend.ts";
import type { EngineName } from "../engine/train.ts";
import { problemOf } from "../results/judgement.ts";
import type { Experiment } from "../design/experiment.ts";
import { expandGrid, filterRuns, type PlannedRun, type Shard } from "../design/grid.ts";
import { planShards, type ShardPlan, shardRuns } from "./shards.ts";
import { type Batch, makeBatches } from "./batches.ts";
import { acquireLock, type LockHolder } from "./lock.ts";
import { PRESETS } from "../design/presets.ts";
import {
  finishedRunIds,
  prepareRunsFile,
  removeStaleTemporaries,
  type ResultsFolder,
  resultsFolder,
  runColumns,
} from "../results/folder.ts";
import { createTally, type InterruptedBatch, type SweepProgress } from "./tally.ts";
import { batchJob, openCheckpoint, saveBatch, trainOnWorker } from "./batch_job.ts";
import { FACTOR_COLUMN_DEFAULTS } from "../design/factors.ts";
import { removeCheckpoint, writeCheckpoint } from "./checkpoints.ts";

/** How long a stopped sweep waits for its Workers' checkpoints before it ends them. */
const STOP_GRACE_MS = 15_000;

export type { InterruptedBatch, RunningBatch, SweepProgress } from "./tally.ts";

/** What one experiment of a sweep has to do. */
export interface ExperimentPlan {
  readonly experiment: Experiment;
  readonly folder: ResultsFolder;
  /** The runs this process is responsible for (after --only and --shard). */
  readonly runs: readonly PlannedRun[];
  /** Those of them not yet finished. */
  readonly todo: readonly PlannedRun[];
  /** With shards: every shard's blocks and predicted cost (this one is `shard.index`). */
  readonly shards?: readonly ShardPlan[];
  /** The ids of every run the experiment declares (its whole grid, before --only and --shard). */
  readonly declared: readonly string[];
  /** How many finished runs the folder holds that the experiment no longer declares. */
  readonly undeclared: number;
  /**
   * Whether the folder's manifest records another definition than the
   * experiment's (so it is rewritten even if nothing is left to train, and
   * every table leaves the undeclared runs out).
   */
  readonly redeclare: boolean;
}

/** Options for planning a sweep. */
export interface PlanOptions {
  readonly out: string;
  readonly only?: readonly string[];
  readonly shard?: Shard;
  /**
   * The folder (under `out`) of each experiment, by name, where it is not
   * the experiment's name (`grid@iterations=2000`: see `overrides.ts`).
   */
  readonly folderNames?: Readonly<Record<string, string>>;
}

/**
 * Plans each experiment: its grid, filtered and sharded, less the runs any
 * shard has already finished, and what else its folder holds. Reads only;
 * writes nothing.
 */
export async function planSweep(
  experiments: readonly Experiment[],
  { out, only = [], shard = { index: 0, count: 1 }, folderNames = {} }: PlanOptions,
): Promise<ExperimentPlan[]> {
  const plans: ExperimentPlan[] = [];
  for (const experiment of experiments) {
    const grid = await expandGrid(experiment);
    const chosen = only.length ? filterRuns(grid, only) : grid;
    const runs = shardRuns(chosen, shard);
    const folder = resultsFolder(
      `${out}/${folderNames[experiment.name] ?? experiment.name}`,
      shard,
    );
    const finished = await finishedRunIds(folder.directory);
    const declared = new Set(grid.map((run) => run.id));
    const undeclared = [...finished].filter((id) => !declared.has(id)).length;
    const recorded = await recordedDefinition(folder.directory);
    plans.push({
      experiment,
      folder,
      runs,
      todo: runs.filter((run) => !finished.has(run.id)),
      shards: shard.count > 1 ? planShards(chosen, shard.count) : undefined,
      declared: [...declared],
      undeclared,
      redeclare: recorded !== undefined &&
        (undeclared > 0 ||
          (recorded.declared !== undefined && !sameSet(recorded.declared, declared))),
    });
  }
  return plans;
}

/** Whether two sets hold the same ids. */
function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/**
 * Records, in the manifest of each folder whose definition changed but
 * which has nothing left to train, the runs the experiment now declares (so
 * that every table leaves the others out). Folders with runs to train get
 * theirs from `runSweep`.
 */
export async function recordDefinitions(
  plans: readonly ExperimentPlan[],
  onStaleLock?: (holder: LockHolder) => void,
): Promise<void> {
  for (const plan of plans) {
    if (!plan.redeclare || plan.todo.length > 0) continue;
    const release = await acquireLock(`${plan.folder.runsFile}.lock`, onStaleLock);
    try {
      await writeManifest(manifestSubject(plan), { startedAt: new Date() });
    } finally {
      await release();
    }
  }
}

/** What a plan's manifest describes. */
function manifestSubject(plan: ExperimentPlan) {
  return {
    experiment: plan.experiment,
    folder: plan.folder,
    planned: plan.runs.length,
    declared: plan.declared,
  };
}

/** Options for running a sweep. */
export interface RunOptions {
  readonly workers: number;
  readonly backend?: BackendName;
  /** The engine to train on (default fused; batches it cannot train go to the reference). */
  readonly engine?: EngineName;
  readonly maxBatchRuns?: number;
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Called with a message for each batch that failed. */
  readonly onError?: (message: string) => void;
  /** Resolves when the sweep should stop early (Ctrl-C): finished runs are kept. */
  readonly stop?: Promise<void>;
  /** Called when a lock left by a sweep that is no longer running is taken over. */
  readonly onStaleLock?: (holder: LockHolder) => void;
  /**
   * Checkpoints of batches in training: every this many iterations or
   * seconds, whichever first (default 10,000 and 60); none if `every` is 0.
   */
  readonly checkpoint?: { readonly every: number; readonly seconds: number };
  /**
   * How often (seconds) progress should come at least: a batch's chunks aim
   * at half this, 0.1–5 s (default 10).
   */
  readonly progressSeconds?: number;
  /**
   * A batch's predicted seconds on a core of its own (default the bench's
   * rates, `estimate.ts`; a calibration's, `calibrate.ts`): its weight in the ETA.
   */
  readonly batchSeconds?: (batch: Batch) => number;
  /** Says what a sweep does that a person should know (a batch resumed, a checkpoint ignored). */
  readonly onNotice?: (message: string) => void;
}

/** What a sweep did. */
export interface SweepOutcome {
  readonly trained: number;
  readonly failedBatches: number;
  readonly stopped: boolean;
  /** Each experiment's runs file, its runs (after --only and --shard) and how many are finished. */
  readonly folders: readonly { runsFile: string; runs: number; finished: number }[];
  /** When stopped: the batches that were in training. */
  readonly running: readonly InterruptedBatch[];
  readonly backend?: string;
  /** The engines that trained the batches, e.g. `fused` or `fused, reference`. */
  readonly engine?: string;
  readonly tfjs?: string;
}

/**
 * Trains every run still to do and saves each as its batch finishes.
 */
export async function runSweep(
  plans: readonly ExperimentPlan[],
  options: RunOptions,
): Promise<SweepOutcome> {
  const startedAt = new Date();
  const releases: (() => Promise<void>)[] = [];
  // Here, not in each worker, the one line that says the fused engine runs its plain loops.
  if ((options.engine ?? "fused") === "fused" && plans.some((plan) => plan.todo.length)) {
    await prepareKernels();
  }
  try {
    for (const plan of plans) {
      if (plan.todo.length === 0) continue;
      await Deno.mkdir(plan.folder.directory, { recursive: true });
      releases.push(await acquireLock(`${plan.folder.runsFile}.lock`, options.onStaleLock));
    }
    return await trainAndSave(plans, options, startedAt);
  } finally {
    for (const release of releases) await release();
  }
}

async function trainAndSave(
  plans: readonly ExperimentPlan[],
  options: RunOptions,
  startedAt: Date,
): Promise<SweepOutcome> {
  const { workers, backend = "wasm", engine = "fused", maxBatchRuns = 256, onError } = options;
  const { every = 10_000, seconds = 60 } = options.checkpoint ?? {};
  const checkpoint = every > 0 ? { every, seconds } : undefined;
  const todo = plans.flatMap((plan) => plan.todo);
  const folderOf = new Map<PlannedRun, ResultsFolder>();
  const columnsOf = new Map<ResultsFolder, readonly string[]>();
  for (const plan of plans) {
    for (const run of plan.todo) folderOf.set(run, plan.folder);
    if (plan.todo.length === 0) continue;
    const stale = await removeStaleTemporaries(plan.folder.directory);
    if (stale) {
      options.onNotice?.(
        `removed ${stale} temporary files an interrupted write left in ${plan.folder.directory}`,
      );
    }
    const preset = PRESETS[plan.experiment.base];
    const columns = runColumns(preset.pattern.width, problemOf(preset).columns);
    const kept = await prepareRunsFile(plan.folder, columns, plan.todo.map((run) => run.columns));
    const leftOut = columns.filter((column) => !kept.includes(column));
    if (leftOut.length) {
      const [factors, measured] = [
        leftOut.filter((column) => column in FACTOR_COLUMN_DEFAULTS),
        leftOut.filter((column) => !(column in FACTOR_COLUMN_DEFAULTS)),
      ];
      const defaults = FACTOR_COLUMN_DEFAULTS as Record<string, string>;
      options.onNotice?.(
        `${plan.folder.runsFile} keeps the columns of the version that began it: the new rows ` +
          `leave out ${
            [
              ...factors.map((column) => `${column} (${defaults[column]} in every run)`),
              ...(measured.length ? [`${measured.join(", ")} (not measured)`] : []),
            ].join(", ")
          }; \`deno task recheck ${plan.folder.directory}\` rewrites it with them`,
      );
    }
    columnsOf.set(plan.folder, kept);
    await writeManifest(manifestSubject(plan), { startedAt });
  }
  const twins = twinsOf(todo);
  const batches = makeBatches([...twins.values()].map(([first]) => first), workers, maxBatchRuns);
  const tally = createTally(batches, todo.length, startedAt, options);
  let stopped = false;
  const queue = [...batches];
  const pool = Array.from(
    { length: Math.min(workers, batches.length) },
    () => new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" }),
  );
  // Ctrl-C: every Worker takes a checkpoint at the end of its chunk (a few seconds at most) and
  // stops; one that has not stopped in STOP_GRACE_MS is ended, and its last checkpoint stands.
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  let abandon: () => void = () => {};
  const abandoned = new Promise<undefined>((resolve) => (abandon = () => resolve(undefined)));
  let grace: ReturnType<typeof setTimeout> | undefined;
  options.stop?.then(() => {
    stopped = true;
    queue.length = 0;
    Atomics.store(stopFlag, 0, 1);
    grace = setTimeout(() => {
      for (const worker of pool) worker.terminate();
      abandon();
    }, STOP_GRACE_MS);
  });
  const serve = async (worker: Worker): Promise<void> => {
    while (queue.length > 0 && !stopped) {
      const batch = queue.shift()!;
      const job = {
        ...batchJob(batch, backend, engine, checkpoint),
        // Never under 0.1 s: chunks of a few iterations would slow a fast batch down.
        chunkSeconds: Math.max(0.1, Math.min(5, (options.progressSeconds ?? 10) / 2)),
        stop: stopFlag,
      };
      const folder = folderOf.get(batch.runs[0])!;
      const saved = await openCheckpoint(job, batch, folder, options);
      if (stopped) return;
      tally.started(batch, folder, saved.resume?.iterationsDone);
      let writing = Promise.resolve();
      const message = await trainOnWorker(worker, { ...job, resume: saved.resume }, (done) => {
        tally.progress(batch, done);
      }, (snapshot) => {
        writing = writing
          .then(() => writeCheckpoint(saved.path, snapshot, saved.fingerprint))
          .then(() => tally.checkpointed(batch, snapshot.iterationsDone));
      }, abandoned);
      await writing;
      // A batch that finished is saved, stopped or not; one stopped keeps its checkpoint.
      if (!message || message.type === "stopped") return;
      if (stopped && message.type !== "done") return;
      if (message.type === "error") {
        tally.failed(batch);
        onError?.(
          `batch of ${batch.runs.length} runs (first ${batch.runs[0].id}): ${message.message}`,
        );
        continue;
      }
      if (message.type !== "done") continue;
      const rows = await saveBatch(batch, message, twins, folderOf, columnsOf, tally.saved);
      await removeCheckpoint(saved.path);
      tally.finished(batch, message, rows);
    }
  };
  try {
    await Promise.all(pool.map(serve));
  } finally {
    clearTimeout(grace);
    for (const worker of pool) worker.terminate();
  }
  for (const plan of plans) {
    if (plan.todo.length > 0) {
      await writeManifest(manifestSubject(plan), {
        startedAt,
        finishedAt: new Date(),
        ...tally.versions(),
      });
    }
  }
  return {
    ...tally.outcome(),
    stopped,
    folders: plans.map((plan) => ({
      runsFile: plan.folder.runsFile,
      runs: plan.runs.length,
      finished: plan.runs.length - plan.todo.length + (tally.saved.get(plan.folder) ?? 0),
    })),
    running: stopped ? tally.running() : [],
  };
}

/**
 * A run declared by several experiments (the same configuration and seed)
 * trains once and is saved to each of their folders: the runs to train by
 * id, each with every experiment's copy.
 */
function twinsOf(todo: readonly PlannedRun[]): Map<string, PlannedRun[]> {
  const twins = new Map<string, PlannedRun[]>();
  for (const run of todo) twins.set(run.id, [...(twins.get(run.id) ?? []), run]);
  return twins;
}

/**
 * The batches a sweep of `plans` trains, in the order it hands them out
 * (what {@link runSweep} trains with the same workers and `maxBatchRuns`).
 */
export function sweepBatches(
  plans: readonly ExperimentPlan[],
  workers: number,
  maxBatchRuns = 256,
): Batch[] {
  const twins = twinsOf(plans.flatMap((plan) => plan.todo));
  return makeBatches([...twins.values()].map(([first]) => first), workers, maxBatchRuns);
}
