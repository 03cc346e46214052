/**
 * `deno task sweep [FILES...] [options]`: trains every run the experiment
 * files declare and writes their results; see `--help`.
 *
 * @module
 */
import { checkFeasible } from "../design/feasibility.ts";
import { lastWord } from "../analysis/last_word.ts";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { type Experiment, ExperimentError, loadExperiment } from "../design/experiment.ts";
import type { Shard } from "../design/grid.ts";
import { moveAside, readRunRows, ResultsError, WriteFailure } from "../results/folder.ts";
import { structureKey } from "../run/shards.ts";
import {
  type ExperimentPlan,
  planSweep,
  recordDefinitions,
  runSweep,
  sweepBatches,
} from "../run/sweep.ts";
import { estimateNote, estimateSweep } from "../run/estimate.ts";
import { calibrate } from "../run/calibrate.ts";
import type { Batch } from "../run/batches.ts";
import { applyOverrides } from "../run/overrides.ts";
import { definitionNote, interruptNote, progressLine, shardSummary } from "./sweep_messages.ts";

export { definitionNote, interruptNote, progressLine, shardSummary } from "./sweep_messages.ts";
import { FACTOR_COLUMNS } from "../design/factors.ts";
import { type EngineName, ENGINES } from "../engine/train.ts";
import type { BackendName } from "../engine/backend.ts";

const DEFAULT_EXPERIMENT = "experiments/quick.ts";
const SHARD_ENV = [
  "SLURM_ARRAY_TASK_ID",
  "SLURM_ARRAY_TASK_COUNT",
  "SLURM_ARRAY_TASK_MIN",
  "JOB_COMPLETION_INDEX",
  "GANSWEEP_SHARD_COUNT",
];

const USAGE = `usage: deno task sweep [FILES...] [options]

Trains every run the experiment files declare (default ${DEFAULT_EXPERIMENT})
and writes results/<name>/: runs.csv, curves/, patterns/, experiment.json.
Rerunning the same command skips finished runs; Ctrl-C first checkpoints
the batches in training (rerun to continue them) and says what is saved.

options:
  --list              print the runs (and which are finished) and how long the rest
                      will take (timed briefly here), then exit
  --only COL=V,...    only runs whose column COL is V (${FACTOR_COLUMNS.join(", ")}, seed)
  --iterations N      override the iterations of every run (new run ids), written to
                      results/<name>@iterations=N, apart from the declared folder
  --seeds N           override the seeds: 1..N (results/<name>@seeds=N)
  --out DIR           results folder (default results; the task may write only there)
  --fresh             move the experiment's old results aside (never deleted) and start over
  --workers N         training workers (default: one per core, ${navigator.hardwareConcurrency} here)
  --shard K/N         run shard K (0-based) of N; also read from SLURM_ARRAY_TASK_ID/
                      SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX with --shard-count N
                      (or GANSWEEP_SHARD_COUNT)
  --shard-count N     the number of shards, with JOB_COMPLETION_INDEX
  --max-batch N       most runs trained together in one batch (default 256)
  --checkpoint-every N  a batch in training saves a checkpoint every N iterations
                      (default 10000; 0: never) or --checkpoint-seconds S (default 60),
                      whichever comes first; a rerun continues it from there
  --progress-seconds S  a progress line on stderr at least every S seconds while batches
                      train (default 10; a terminal's line is redrawn every 0.5 s)
  --backend NAME      wasm (default) or cpu
  --engine NAME       fused (default: one tfjs kernel call per 1,000 iterations of a batch)
                      or reference (the tf-op engine the fused one is tested against)
  --quiet             end with the folders' paths only, not the experiment's short summary
  --help              this text`;

function nonNegative(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new UsageError(`${option} must be a number ≥ 0 (got "${value}")`);
  }
  return number;
}

function positiveInteger(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UsageError(`${option} must be an integer ≥ 1 (got ${JSON.stringify(value)})`);
  }
  return number;
}

/** Reads an environment variable; undefined where it is unset or not permitted. */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The shard to run, from --shard, or from Slurm's or Kubernetes' variables. */
export function resolveShard(
  shard?: string,
  shardCount?: string,
  env: (name: string) => string | undefined = readEnv,
): Shard {
  if (shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(shard);
    if (!match || Number(match[2]) < 1 || Number(match[1]) >= Number(match[2])) {
      throw new UsageError(`--shard must be K/N with 0 ≤ K < N (got "${shard}")`);
    }
    return { index: Number(match[1]), count: Number(match[2]) };
  }
  const slurmId = env("SLURM_ARRAY_TASK_ID");
  const slurmCount = env("SLURM_ARRAY_TASK_COUNT");
  if (slurmId !== undefined && slurmCount !== undefined) {
    const index = Number(slurmId) - Number(env("SLURM_ARRAY_TASK_MIN") ?? 0);
    return checkedShard(index, Number(slurmCount), "SLURM_ARRAY_TASK_ID");
  }
  const k8sIndex = env("JOB_COMPLETION_INDEX");
  if (k8sIndex !== undefined) {
    const count = shardCount ?? env("GANSWEEP_SHARD_COUNT");
    if (count === undefined) {
      throw new UsageError(
        "JOB_COMPLETION_INDEX is set: give the number of shards with --shard-count N " +
          "or GANSWEEP_SHARD_COUNT",
      );
    }
    return checkedShard(Number(k8sIndex), Number(count), "JOB_COMPLETION_INDEX");
  }
  return { index: 0, count: 1 };
}

function checkedShard(index: number, count: number, source: string): Shard {
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) {
    throw new UsageError(`${source}: shard ${index} of ${count} is not a valid shard`);
  }
  return { index, count };
}

function checkWritable(out: string): void {
  const status = Deno.permissions.querySync({ name: "write", path: out });
  if (status.state !== "granted") {
    throw new UsageError(
      `--out ${out}: this task may write only under results/ (deno.json's ` +
        `--allow-write=results). To write to ${out}, grant it yourself:\n` +
        `  deno run --allow-read --allow-write=${out} --allow-env=${SHARD_ENV.join(",")} ` +
        `src/cli/sweep.ts ... --out ${out}`,
    );
  }
}

/**
 * How a sweep predicts its wall time: the bench's rates (`run/estimate.ts`)
 * corrected by timing the costliest structures of its batches here
 * (`run/calibrate.ts`: 0.5–3 s in all); `note` says
 * it for some of the plans, `secondsOf` weighs batches in the ETA.
 */
async function estimator(
  plans: readonly ExperimentPlan[],
  { workers, maxBatchRuns, engine, backend }: {
    workers: number;
    maxBatchRuns?: number;
    engine: EngineName;
    backend: BackendName;
  },
): Promise<{
  note: (chosen: readonly ExperimentPlan[]) => string;
  secondsOf?: (batch: Batch) => number;
}> {
  const all = sweepBatches(plans, workers, maxBatchRuns);
  const table = estimateSweep(all, workers, engine);
  const calibration = all.length
    ? await calibrate(all, {
      engine,
      backend,
      // About 2% of the predicted time, 0.5–3 s in all, 0.1–0.25 s a structure (shorter
      // measurements are mostly noise).
      totalSeconds: Math.max(0.5, Math.min(3, 0.02 * table.seconds)),
      seconds: Math.max(0.1, Math.min(0.25, 0.02 * table.seconds / Math.min(4, all.length))),
    })
    : undefined;
  const secondsOf = calibration?.seconds;
  const note = (chosen: readonly ExperimentPlan[]) => {
    const batches = sweepBatches(chosen, workers, maxBatchRuns);
    const predicted = estimateSweep(batches, workers, engine, undefined, secondsOf);
    // Structures, as the batches of the same structure: timed or not alike.
    const structures = new Map(batches.map((batch) => [structureKey(batch.runs[0]), batch]));
    const timed = [...structures.values()].filter((batch) => calibration?.timed(batch)).length;
    const everyOne = timed === structures.size;
    return estimateNote(
      { ...predicted, rough: everyOne ? 1.5 : Math.max(2, predicted.rough) },
      timed === 0
        ? "the bench's rates"
        : everyOne
        ? "every structure timed here"
        : `${timed} of ${structures.size} structures timed here`,
    );
  };
  return { note, secondsOf };
}

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    boolean: ["list", "fresh", "help", "quiet"],
    string: [
      "only",
      "iterations",
      "seeds",
      "out",
      "workers",
      "shard",
      "shard-count",
      "max-batch",
      "backend",
      "engine",
      "checkpoint-every",
      "checkpoint-seconds",
      "progress-seconds",
    ],
    collect: ["only"],
    default: { out: "results", backend: "wasm", engine: "fused" },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const iterations = positiveInteger(args.iterations, "--iterations");
  const seeds = positiveInteger(args.seeds, "--seeds");
  const workers = positiveInteger(args.workers, "--workers") ?? navigator.hardwareConcurrency;
  const maxBatchRuns = positiveInteger(args["max-batch"], "--max-batch");
  const checkpoint = {
    every: nonNegative(args["checkpoint-every"], "--checkpoint-every") ?? 10_000,
    seconds: nonNegative(args["checkpoint-seconds"], "--checkpoint-seconds") ?? 60,
  };
  const progressSeconds = nonNegative(args["progress-seconds"], "--progress-seconds") ?? 10;
  if (args.backend !== "wasm" && args.backend !== "cpu") {
    throw new UsageError(`--backend must be wasm or cpu (got "${args.backend}")`);
  }
  const engine = ENGINES.find((name) => name === args.engine);
  if (!engine) {
    throw new UsageError(`--engine must be ${ENGINES.join(" or ")} (got "${args.engine}")`);
  }
  const shard = resolveShard(args.shard, args["shard-count"]);
  if (args.fresh && shard.count > 1) {
    throw new UsageError("--fresh cannot be used with shards: another shard may be writing");
  }
  const out = String(args.out).replace(/\/+$/, "") || ".";
  const files = args._.length ? args._.map(String) : [DEFAULT_EXPERIMENT];
  const experiments: Experiment[] = [];
  // --iterations and --seeds make other runs than the file declares: they go to a folder of their own.
  const folderNames: Record<string, string> = {};
  for (const file of files) {
    const { experiment, folderName } = applyOverrides(await loadExperiment(file), {
      iterations,
      seeds,
    });
    experiments.push(experiment);
    folderNames[experiment.name] = folderName;
  }
  for (const experiment of experiments) checkFeasible(experiment);
  const names = experiments.map((e) => e.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new UsageError(`two experiment files are both named "${twice}"`);
  const only = (args.only as string[] | undefined) ?? [];
  let plans = await planSweep(experiments, { out, only, shard, folderNames });
  const estimating = { workers, maxBatchRuns, engine, backend: args.backend as BackendName };
  if (args.list) {
    const { note: estimate } = await estimator(plans, estimating);
    for (const plan of plans) {
      const done = plan.runs.length - plan.todo.length;
      console.log(
        `# ${plan.experiment.name}: ${plan.runs.length} runs (${done} finished) → ` +
          `${plan.folder.directory}` +
          (plan.todo.length
            ? `; the ${plan.todo.length} to train: ${estimate([plan])} on ${workers} ` +
              `worker${workers === 1 ? "" : "s"}`
            : ""),
      );
      const note = definitionNote(plan, `${out}/${plan.experiment.name}`);
      if (note) console.log(`# ${note}`);
      if (plan.shards) console.log(shardSummary(plan.shards, shard));
      console.log(["run_id", ...FACTOR_COLUMNS, "seed", "iterations", "finished"].join("\t"));
      const todo = new Set(plan.todo);
      for (const run of plan.runs) {
        console.log(
          [
            run.id,
            ...FACTOR_COLUMNS.map((c) => run.columns[c]),
            run.seed,
            run.config.iterations,
            todo.has(run) ? "no" : "yes",
          ].join("\t"),
        );
      }
    }
    return 0;
  }
  checkWritable(out);
  if (args.fresh) {
    for (const plan of plans) {
      const moved = await moveAside(plan.folder.directory);
      if (moved) console.error(`sweep: moved the old ${plan.folder.directory} aside to ${moved}`);
    }
    plans = await planSweep(experiments, { out, only, shard, folderNames });
  }
  const { note: estimate, secondsOf } = await estimator(plans, estimating);
  for (const plan of plans) {
    const skipped = plan.runs.length - plan.todo.length;
    const shardNote = shard.count > 1 ? ` (shard ${shard.index} of ${shard.count})` : "";
    // One experiment's line says how long it will take; several share the workers: a line after.
    const alone = plans.length === 1 && plan.todo.length ? `; ${estimate(plans)}` : "";
    console.error(
      `sweep: ${plan.experiment.name}${shardNote}: ${plan.runs.length} runs, ` +
        (skipped ? `${skipped} already finished (skipped), ` : "") +
        `${plan.todo.length} to train → ${plan.folder.directory}${alone}`,
    );
    const note = definitionNote(plan, `${out}/${plan.experiment.name}`);
    if (note) console.error(`sweep: ${plan.experiment.name}: ${note}`);
  }
  await recordDefinitions(plans);
  const todo = plans.reduce((sum, plan) => sum + plan.todo.length, 0);
  if (plans.length > 1 && todo > 0) console.error(`sweep: all ${plans.length}: ${estimate(plans)}`);
  if (todo === 0) {
    console.error("sweep: nothing to train; every run is finished (--fresh starts over)");
    return 0;
  }
  let interrupt: () => void = () => {};
  const stop = new Promise<void>((resolve) => (interrupt = resolve));
  // A terminal's Ctrl-C reaches `deno task` and this process both, and deno task passes its own
  // on: the first stops the sweep, and what was saved is said once, when it has stopped.
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    interrupt();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  const interactive = Deno.stderr.isTerminal();
  // The first line after one interval: a short sweep says only its last.
  let lastPrint = Date.now();
  const outcome = await runSweep(plans, {
    workers,
    backend: args.backend,
    engine,
    maxBatchRuns,
    checkpoint,
    progressSeconds,
    batchSeconds: secondsOf,
    onNotice: (message) => console.error(`\nsweep: ${message}`),
    stop,
    onError: (message) => console.error(`\nsweep: a batch failed: ${message}`),
    onStaleLock: (holder) =>
      console.error(
        `sweep: taking over a lock left by process ${holder.pid} (started ${holder.started_at}), ` +
          "which is no longer running",
      ),
    onProgress: (progress) => {
      const now = Date.now();
      const finished = progress.runsDone === progress.runsTotal;
      if (interrupted) return;
      if (!finished && now - lastPrint < (interactive ? 500 : 1000 * progressSeconds)) return;
      lastPrint = now;
      const line = progressLine(progress);
      if (interactive) Deno.stderr.writeSync(new TextEncoder().encode(`\r${line}\x1b[K`));
      else console.error(line);
    },
  }).catch(async (error) => {
    if (!(error instanceof WriteFailure)) throw error;
    Deno.removeSignalListener("SIGINT", onSignal);
    if (interactive) console.error("");
    const saved = await Promise.all(
      plans.map(async (plan) =>
        `${plan.folder.runsFile} (${
          (await readRunRows(plan.folder.directory).catch(() => [])).length
        } runs)`
      ),
    );
    throw new WriteFailure(
      error.path,
      `${error.message.replace(/^cannot write \S+ \([^)]*\): /, "")}. The runs finished ` +
        `before it are safe in ${saved.join(", ")}; nothing half-written is left. Free space ` +
        "(or make the folder writable) and rerun the same command: it trains only what is " +
        "missing",
    );
  });
  Deno.removeSignalListener("SIGINT", onSignal);
  if (interactive) console.error("");
  if (outcome.stopped) {
    console.error(interruptNote(outcome));
    return 130;
  }
  for (const plan of plans) {
    console.error(
      `sweep: results in ${plan.folder.directory}/ (${
        plan.folder.runsFile.split("/").at(-1)
      }, curves/, patterns/)`,
    );
  }
  if (outcome.failedBatches > 0) {
    console.error(`sweep: ${outcome.failedBatches} batches failed; rerun to retry them`);
    return 1;
  }
  if (!args.quiet) {
    for (const plan of plans) {
      const folder = plan.folder.directory;
      if (shard.count > 1) {
        console.log(
          `${plan.experiment.name}: once every shard is done, deno task summary ${folder}`,
        );
      } else console.log(`\n${(await lastWord(folder)).join("\n")}`);
    }
  }
  return 0;
}

if (import.meta.main) {
  await runTask("sweep", main, [
    ExperimentError,
    ResultsError,
    Deno.errors.NotCapable,
    Deno.errors.PermissionDenied,
  ]);
}
