/**
 * `deno task bench [--iterations N] [--json]`: training speed of the engine
 * on the seed's model at R = 1, 16 and 128 runs (one worker), against the
 * naive tfjs port in the same process.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { useBackend } from "../backend.ts";
import { trainBatch, type TrainingSetup } from "../engine.ts";
import { engineLearningRates, resolveConfig, trainingSetup } from "../factors.ts";
import { trainNaively } from "../bench/naive_port.ts";
import { markdownTable } from "../table.ts";
import { extrapolate, type SweepTiming, timeSweep } from "../bench/sweep_bench.ts";
import { loadExperiment } from "../experiment.ts";

/** One benchmark measurement. */
export interface BenchRow {
  name: string;
  runs: number;
  iterations: number;
  /** The median over the repeats. */
  ms_per_iteration: number;
  run_iterations_per_second: number;
  /** The fastest and slowest repeat, to show how noisy the machine was. */
  ms_per_iteration_min: number;
  ms_per_iteration_max: number;
  repeats: number;
  kernels_per_iteration?: number;
}

/** Times `work` `repeats` times; ms per iteration: median, min and max. */
async function timeRepeats(
  repeats: number,
  iterations: number,
  work: () => unknown,
): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await work();
    times.push((performance.now() - start) / iterations);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1)! };
}

const USAGE = `usage: deno task bench [--iterations N] [--runs 1,16,128] [--repeats 3] [--json]
       deno task bench --sweep [FILE] [--scaled N] [--json]

Times the engine on the seed's model at each batch size R (one worker) and
the naive tfjs port (tf.sequential + optimizer.minimize) as the baseline.
--iterations N   iterations timed per engine row (default 2000; baseline: N/5)
--runs LIST      batch sizes to time (default 1,16,128)
--repeats N      timed repeats per row; the median is reported (default 3)
--json           one JSON object per line instead of a table
--sweep [FILE]   time the real runner on a scaled-down copy of FILE (default
                 experiments/grid.ts): N and 2N iterations per run on all cores,
                 N on one worker; extrapolate to FILE's full length
--scaled N       the scaled-down length (default 2000)`;

async function benchSweep(file: string, scaled: number, json: boolean): Promise<void> {
  const full = (await loadExperiment(file)).iterations;
  const workers = navigator.hardwareConcurrency;
  const scratch = `results/.bench-${Deno.pid}`;
  try {
    const one = await timeSweep(file, scaled, 1, scratch);
    const short = await timeSweep(file, scaled, workers, scratch);
    const long = await timeSweep(file, 2 * scaled, workers, scratch);
    const predicted = extrapolate(short, long, full);
    const rows = [
      { name: `sweep ${file} scaled to ${scaled} iterations, 1 worker`, timing: one },
      { name: `sweep ${file} scaled to ${scaled} iterations, ${workers} workers`, timing: short },
      {
        name: `sweep ${file} scaled to ${2 * scaled} iterations, ${workers} workers`,
        timing: long,
      },
    ];
    const speedup = short.runIterationsPerSecond / one.runIterationsPerSecond;
    if (json) {
      for (const { name, timing } of rows) console.log(JSON.stringify({ name, ...timing }));
      console.log(JSON.stringify({
        name: `sweep ${file} extrapolated to ${full} iterations, ${workers} workers`,
        iterations: full,
        workers,
        runs: short.runs,
        predicted_wall_seconds: predicted,
        workers_speedup: speedup,
      }));
      return;
    }
    const row = (name: string, t: SweepTiming) => [
      name,
      String(t.runs),
      t.wallSeconds.toFixed(1),
      Math.round(t.runIterationsPerSecond).toLocaleString("en"),
      t.peakMiB.toFixed(0),
    ];
    console.log(markdownTable(
      ["sweep", "runs", "wall s", "run-iterations / s", "peak RSS MiB"],
      [
        ...rows.map(({ name, timing }) => row(name, timing)),
        [
          `extrapolated to ${full} iterations, ${workers} workers`,
          String(short.runs),
          predicted.toFixed(0),
          "-",
          "-",
        ],
      ],
    ));
    console.log(`${workers} workers / 1 worker throughput: ${speedup.toFixed(2)}×`);
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

const SEED_CONFIG = resolveConfig("seed", {});

function seedSetup(iterations: number): TrainingSetup {
  return { ...trainingSetup(SEED_CONFIG), iterations };
}

function runsOf(count: number) {
  return Array.from({ length: count }, (_, seed) => ({
    seed,
    learningRates: engineLearningRates(SEED_CONFIG),
  }));
}

/** Kernels one engine iteration launches, recording included (averaged over 100). */
export async function kernelsPerIteration(runs: number): Promise<number> {
  const profile = await tf.profile(async () => {
    await trainBatch(seedSetup(100), runsOf(runs));
  });
  return profile.kernels.length / 100;
}

async function timeEngine(runs: number, iterations: number, repeats: number): Promise<BenchRow> {
  await trainBatch(seedSetup(Math.min(200, iterations)), runsOf(runs));
  const time = await timeRepeats(
    repeats,
    iterations,
    () => trainBatch(seedSetup(iterations), runsOf(runs)),
  );
  return {
    name: `engine R=${runs}`,
    runs,
    iterations,
    ms_per_iteration: time.median,
    run_iterations_per_second: (runs * 1000) / time.median,
    ms_per_iteration_min: time.min,
    ms_per_iteration_max: time.max,
    repeats,
    kernels_per_iteration: await kernelsPerIteration(runs),
  };
}

async function timeBaseline(iterations: number, repeats: number): Promise<BenchRow> {
  trainNaively(Math.min(50, iterations));
  const time = await timeRepeats(repeats, iterations, () => trainNaively(iterations));
  return {
    name: "baseline naive tfjs port (tf.sequential + minimize)",
    runs: 1,
    iterations,
    ms_per_iteration: time.median,
    run_iterations_per_second: 1000 / time.median,
    ms_per_iteration_min: time.min,
    ms_per_iteration_max: time.max,
    repeats,
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    boolean: ["json", "help", "sweep"],
    string: ["iterations", "runs", "repeats", "scaled"],
    default: { iterations: "2000", runs: "1,16,128", repeats: "3", scaled: "2000" },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.sweep) {
    const scaled = Number(args.scaled);
    if (!Number.isInteger(scaled) || scaled < 10) {
      throw new UsageError("--scaled must be an integer ≥ 10");
    }
    await benchSweep(String(args._[0] ?? "experiments/grid.ts"), scaled, args.json);
    return 0;
  }
  const iterations = Number(args.iterations);
  const repeats = Number(args.repeats);
  const sizes: number[] = String(args.runs).split(",").map(Number);
  if (
    !Number.isInteger(iterations) || iterations < 10 || sizes.some((r) => !(r >= 1)) ||
    !Number.isInteger(repeats) || repeats < 1
  ) {
    throw new UsageError(
      "--iterations must be an integer ≥ 10, --runs positive integers, --repeats ≥ 1",
    );
  }
  const backend = await useBackend();
  const rows: BenchRow[] = [];
  const report = (row: BenchRow) => {
    rows.push(row);
    if (args.json) console.log(JSON.stringify({ ...row, backend }));
  };
  for (const runs of sizes) report(await timeEngine(runs, iterations, repeats));
  report(await timeBaseline(Math.max(10, Math.round(iterations / 5)), repeats));
  if (!args.json) {
    console.log(`backend ${backend}, ${navigator.hardwareConcurrency} cores, one worker`);
    console.log(markdownTable(
      [
        "name",
        "runs",
        "iterations",
        "ms / iteration (median)",
        "min–max",
        "run-iterations / s",
        "kernels / iteration",
      ],
      rows.map((row) => [
        row.name,
        String(row.runs),
        String(row.iterations),
        row.ms_per_iteration.toFixed(3),
        `${row.ms_per_iteration_min.toFixed(3)}–${row.ms_per_iteration_max.toFixed(3)}`,
        row.run_iterations_per_second.toFixed(0),
        row.kernels_per_iteration?.toFixed(1) ?? "-",
      ]),
    ));
  }
  return 0;
}

if (import.meta.main) await runTask("bench", main);
