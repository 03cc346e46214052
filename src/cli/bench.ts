/**
 * `deno task bench [--iterations N] [--json]`: training speed of the engine
 * on the seed's model at R = 1, 16 and 128 runs (one worker), against the
 * naive tfjs port in the same process.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "@std/cli/parse-args";
import { useBackend } from "../backend.ts";
import { trainBatch, type TrainingSetup } from "../engine.ts";
import { engineLearningRates, resolveConfig, trainingSetup } from "../factors.ts";
import { trainNaively } from "../bench/naive_port.ts";
import { markdownTable } from "../table.ts";

/** One benchmark measurement. */
export interface BenchRow {
  name: string;
  runs: number;
  iterations: number;
  ms_per_iteration: number;
  run_iterations_per_second: number;
  kernels_per_iteration?: number;
}

const USAGE = `usage: deno task bench [--iterations N] [--runs 1,16,128] [--json]

Times the engine on the seed's model at each batch size R (one worker) and
the naive tfjs port (tf.sequential + optimizer.minimize) as the baseline.
--iterations N   iterations timed per engine row (default 2000; baseline: N/5)
--runs LIST      batch sizes to time (default 1,16,128)
--json           one JSON object per line instead of a table`;

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

async function timeEngine(runs: number, iterations: number): Promise<BenchRow> {
  await trainBatch(seedSetup(Math.min(200, iterations)), runsOf(runs));
  const start = performance.now();
  await trainBatch(seedSetup(iterations), runsOf(runs));
  const ms = (performance.now() - start) / iterations;
  return {
    name: `engine R=${runs}`,
    runs,
    iterations,
    ms_per_iteration: ms,
    run_iterations_per_second: (runs * 1000) / ms,
    kernels_per_iteration: await kernelsPerIteration(runs),
  };
}

function timeBaseline(iterations: number): BenchRow {
  trainNaively(Math.min(50, iterations));
  const start = performance.now();
  trainNaively(iterations);
  const ms = (performance.now() - start) / iterations;
  return {
    name: "baseline naive tfjs port (tf.sequential + minimize)",
    runs: 1,
    iterations,
    ms_per_iteration: ms,
    run_iterations_per_second: 1000 / ms,
  };
}

if (import.meta.main) {
  const args = parseArgs(Deno.args, {
    boolean: ["json", "help"],
    string: ["iterations", "runs"],
    default: { iterations: "2000", runs: "1,16,128" },
    unknown: (flag: string) => {
      if (!flag.startsWith("-")) return true;
      console.error(`bench: unknown option ${flag}\n\n${USAGE}`);
      Deno.exit(2);
    },
  });
  if (args.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const iterations = Number(args.iterations);
  const sizes: number[] = String(args.runs).split(",").map(Number);
  if (!Number.isInteger(iterations) || iterations < 10 || sizes.some((r) => !(r >= 1))) {
    console.error(`bench: --iterations must be an integer ≥ 10 and --runs positive integers`);
    Deno.exit(2);
  }
  const backend = await useBackend();
  const rows: BenchRow[] = [];
  const report = (row: BenchRow) => {
    rows.push(row);
    if (args.json) console.log(JSON.stringify({ ...row, backend }));
  };
  for (const runs of sizes) report(await timeEngine(runs, iterations));
  report(timeBaseline(Math.max(10, Math.round(iterations / 5))));
  if (!args.json) {
    console.log(`backend ${backend}, ${navigator.hardwareConcurrency} cores, one worker`);
    console.log(markdownTable(
      ["name", "runs", "iterations", "ms / iteration", "run-iterations / s", "kernels / iteration"],
      rows.map((row) => [
        row.name,
        String(row.runs),
        String(row.iterations),
        row.ms_per_iteration.toFixed(3),
        row.run_iterations_per_second.toFixed(0),
        row.kernels_per_iteration?.toFixed(1) ?? "-",
      ]),
    ));
  }
}
