/**
 * `deno task bench [--iterations N] [--json]`: training speed of the fused
 * and the reference engine on the seed's model at R = 1, 16, 128 and 1024
 * runs (one worker), their ratio per R, and the naive tfjs port, all in the
 * same process so that the machine's noise cancels in the ratios.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { useBackend } from "../engine/backend.ts";
import type { TrainingSetup } from "../engine/setup.ts";
import { engineFor, type EngineName, ENGINES, trainBatch } from "../engine/train.ts";
import {
  engineLearningRates,
  resolveConfig,
  type RunConfig,
  trainingSetup,
} from "../design/factors.ts";
import { trainNaively } from "../bench/naive_port.ts";
import { markdownTable } from "../core/table.ts";
import { networkParameterCount } from "../nn/layers/mod.ts";
import { extrapolate, type SweepTiming, timeSweep } from "../bench/sweep_bench.ts";
import { ExperimentError, loadExperiment } from "../design/experiment.ts";
import { sensitivity } from "../bench/sensitivity.ts";

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
  /** On an engine row: the reference engine's median over the fused engine's, same R. */
  speedup_vs_reference?: number;
  /** The smallest and largest ratio of interleaved repeats. */
  speedup_min?: number;
  speedup_max?: number;
  /** On a penalised fused row: its median over the same batch's without a penalty, same run. */
  slowdown_vs_unpenalised?: number;
  /** On a width row: D's and G's parameters per run. */
  parameters?: number;
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

const USAGE = `usage: deno task bench [--iterations N] [--runs 1,16,128,1024] [--repeats 3] [--json]
       deno task bench --sweep [FILE] [--scaled N] [--engine fused|reference] [--json]
       deno task bench --sensitivity FILE [--engine fused|reference] [--iterations N] [--only …]

Times the fused and the reference engine on the seed's model at each batch
size R (one worker), in interleaved repeats, and the naive tfjs port
(tf.sequential + optimizer.minimize) as the baseline. With R = 16 among the
sizes, also wider networks, and the ring of Gaussians at its preset's size
(batch 512, 4×16 ReLU; plain and with consensus γ 1; R = 4, a fixed number
of iterations each).
--iterations N   iterations timed per fused row (default 2000; the reference
                 and R > 128: fewer, at least 100; baseline: N/5)
--runs LIST      batch sizes to time (default 1,16,128,1024)
--repeats N      timed repeats per row; the median is reported (default 3)
--json           one JSON object per line instead of a table
--sweep [FILE]   time the real runner on a scaled-down copy of FILE (default
                 experiments/grid.ts): N and 2N iterations per run on all cores,
                 N on one worker; extrapolate to FILE's full length
--scaled N       the scaled-down length (default 20000 on the fused engine,
                 2000 on the reference)
--engine NAME    the engine --sweep or --sensitivity uses (default fused)
--sensitivity FILE  trains FILE's runs twice, as seeded and with one G weight
                 moved by one float32 ulp, and counts the verdicts that change:
                 how far any change of float32 arithmetic can move its runs
                 (--iterations N: at N iterations instead of FILE's; --only as
                 the sweep's: those runs only)`;

async function benchSweep(
  file: string,
  scaled: number,
  engine: EngineName,
  json: boolean,
): Promise<void> {
  const full = (await loadExperiment(file)).iterations;
  const workers = navigator.hardwareConcurrency;
  const scratch = `results/.bench-${Deno.pid}`;
  try {
    const one = await timeSweep(file, scaled, 1, scratch, engine);
    const short = await timeSweep(file, scaled, workers, scratch, engine);
    const long = await timeSweep(file, 2 * scaled, workers, scratch, engine);
    const predicted = extrapolate(short, long, full);
    const rows = [
      { name: `${engine}: sweep ${file} scaled to ${scaled} iterations, 1 worker`, timing: one },
      {
        name: `${engine}: sweep ${file} scaled to ${scaled} iterations, ${workers} workers`,
        timing: short,
      },
      {
        name: `${engine}: sweep ${file} scaled to ${2 * scaled} iterations, ${workers} workers`,
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

/** The penalised batches the bench times beside the plain one (the seed's model, its rates). */
const PENALISED = [
  { label: "WGAN-GP λ 10", config: resolveConfig("seed", { penalty: { gradientPenalty: 10 } }) },
  { label: "R1 γ 1", config: resolveConfig("seed", { penalty: { r1: 1 } }) },
];
/** The batch sizes the penalised rows are timed at. */
const PENALISED_RUNS = [16, 128];

/** Wider networks at the seed's depth (D 2 hidden layers, G 3), timed at R = 16. */
const WIDTHS = [3, 16, 64].map((width) => {
  const config = resolveConfig("seed", {
    hidden: { d: [width, width], g: [width, width, width] },
  });
  const setup = trainingSetup(config);
  const parameters = [setup.discriminator, setup.generator]
    .reduce((sum, layers) => sum + networkParameterCount(layers), 0);
  return { label: `hidden width ${width} (${parameters} parameters)`, config, parameters };
});

/**
 * The toy problems at their presets' sizes, timed at R = 4 for a fixed number of iterations
 * (a ring iteration is ~500× the seed's work): the ring (batch 512, D and G 4×16 ReLU) plain
 * and with consensus γ 1, and at the committed experiments' batch of 64.
 */
const PROBLEM_ROWS = [
  {
    label: "ring, preset size (batch 512)",
    config: resolveConfig("ring", {}),
    fused: 60,
    reference: 15,
  },
  {
    label: "ring, batch 64 (the committed experiments')",
    config: resolveConfig("ring", { batchSize: 64 }),
    fused: 400,
    reference: 60,
  },
  {
    label: "ring, preset size, consensus γ 1",
    config: resolveConfig("ring", { consensus: 1 }),
    fused: 10,
    reference: 5,
  },
];
/** The runs the toy problems' rows train together. */
const PROBLEM_RUNS = 4;

function seedSetup(iterations: number, config: RunConfig = SEED_CONFIG): TrainingSetup {
  return { ...trainingSetup(config), iterations };
}

function runsOf(count: number) {
  return Array.from({ length: count }, (_, seed) => ({
    seed,
    learningRates: engineLearningRates(SEED_CONFIG),
  }));
}

/** Kernels one engine iteration launches, recording included (averaged over 100). */
export async function kernelsPerIteration(runs: number, engine: EngineName): Promise<number> {
  const profile = await tf.profile(async () => {
    await trainBatch(seedSetup(100), runsOf(runs), { engine });
  });
  return profile.kernels.length / 100;
}

/** Iterations timed for an engine at R runs: fewer where an iteration is slow. */
function iterationsFor(engine: EngineName, runs: number, iterations: number): number {
  const scale = (engine === "reference" ? 1 / 10 : 1) * Math.min(1, 128 / runs);
  return Math.max(100, Math.round(iterations * scale));
}

/**
 * Both engines at R runs, their repeats interleaved; the fused row carries the ratio. `config`
 * (default the seed's) names a penalised batch in `label`.
 */
async function timeEngines(
  runs: number,
  iterations: number,
  repeats: number,
  config: RunConfig = SEED_CONFIG,
  label = "",
  lengths: Record<EngineName, number> = {
    fused: iterationsFor("fused", runs, iterations),
    reference: iterationsFor("reference", runs, iterations),
  },
): Promise<BenchRow[]> {
  const times: Record<EngineName, number[]> = { fused: [], reference: [] };
  for (const engine of ["fused", "reference"] as const) {
    await trainBatch(seedSetup(Math.min(100, lengths[engine]), config), runsOf(runs), {
      engine,
    });
  }
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const engine of ["fused", "reference"] as const) {
      const start = performance.now();
      await trainBatch(seedSetup(lengths[engine], config), runsOf(runs), { engine });
      times[engine].push((performance.now() - start) / lengths[engine]);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const ratios = times.reference.map((time, k) => time / times.fused[k]);
  const rows: BenchRow[] = [];
  for (const engine of ["fused", "reference"] as const) {
    const ms = median(times[engine]);
    rows.push({
      name: `${engine} engine R=${runs}${label ? `, ${label}` : ""}`,
      runs,
      iterations: lengths[engine],
      ms_per_iteration: ms,
      run_iterations_per_second: (runs * 1000) / ms,
      ms_per_iteration_min: Math.min(...times[engine]),
      ms_per_iteration_max: Math.max(...times[engine]),
      repeats,
      kernels_per_iteration: label ? undefined : await kernelsPerIteration(runs, engine),
      ...(engine === "fused"
        ? {
          speedup_vs_reference: median(times.reference) / ms,
          speedup_min: Math.min(...ratios),
          speedup_max: Math.max(...ratios),
        }
        : {}),
    });
  }
  return rows;
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
    collect: ["only"],
    string: ["iterations", "runs", "repeats", "scaled", "engine", "sensitivity"],
    default: { runs: "1,16,128,1024", repeats: "3", engine: "fused" },
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const engine = ENGINES.find((name) => name === args.engine);
  if (!engine) throw new UsageError(`--engine must be ${ENGINES.join(" or ")}`);
  if (args.sensitivity !== undefined) {
    await useBackend();
    const iterations = args.iterations === undefined ? undefined : Number(args.iterations);
    if (iterations !== undefined && !(Number.isInteger(iterations) && iterations >= 10)) {
      throw new UsageError("--iterations must be an integer ≥ 10");
    }
    const file = String(args.sensitivity);
    const result = await sensitivity(file, engine, {
      iterations,
      only: ((args.only ?? []) as string[]).map(String),
    });
    if (args.json) console.log(JSON.stringify({ name: `sensitivity ${file}`, engine, ...result }));
    else {
      console.log(
        `${file} on the ${engine} engine: moving one G weight by one float32 ulp changes ` +
          `${result.verdictsChanged} of ${result.runs} verdicts ` +
          `(${result.patternsChanged} answers to "did G learn the pattern?")`,
      );
    }
    return 0;
  }
  if (args.sweep) {
    const scaled = Number(args.scaled ?? (engine === "fused" ? 20_000 : 2_000));
    if (!Number.isInteger(scaled) || scaled < 10) {
      throw new UsageError("--scaled must be an integer ≥ 10");
    }
    await benchSweep(String(args._[0] ?? "experiments/grid.ts"), scaled, engine, args.json);
    return 0;
  }
  const iterations = Number(args.iterations ?? 2000);
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
  for (const runs of sizes) (await timeEngines(runs, iterations, repeats)).forEach(report);
  // Wider networks: how run-iterations/s scale with the parameter count.
  if (sizes.includes(16)) {
    for (const { label, config, parameters } of WIDTHS) {
      const timed = await timeEngines(16, iterations, repeats, config, label);
      timed.forEach((row) => (row.parameters = parameters));
      timed.forEach(report);
    }
  }
  // The toy problems at their presets' sizes.
  if (sizes.includes(16)) {
    for (const { label, config, fused, reference } of PROBLEM_ROWS) {
      const timed = await timeEngines(PROBLEM_RUNS, iterations, repeats, config, label, {
        fused,
        reference,
      });
      timed.forEach(report);
    }
  }
  // Penalised batches: fused vs reference, and against the same batch without a penalty.
  for (const runs of sizes.filter((r) => PENALISED_RUNS.includes(r))) {
    const plain = rows.find((row) => row.name === `fused engine R=${runs}`)!;
    for (const { label, config } of PENALISED) {
      const timed = await timeEngines(runs, iterations, repeats, config, label);
      timed[0].slowdown_vs_unpenalised = timed[0].ms_per_iteration / plain.ms_per_iteration;
      timed.forEach(report);
    }
  }
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
        "fused vs reference (min–max)",
        "penalised / plain (fused)",
      ],
      rows.map((row) => [
        row.name,
        String(row.runs),
        String(row.iterations),
        row.ms_per_iteration.toFixed(3),
        `${row.ms_per_iteration_min.toFixed(3)}–${row.ms_per_iteration_max.toFixed(3)}`,
        row.run_iterations_per_second.toFixed(0),
        row.kernels_per_iteration?.toFixed(row.kernels_per_iteration < 1 ? 4 : 1) ?? "-",
        row.speedup_vs_reference
          ? `${row.speedup_vs_reference.toFixed(1)}× (${row.speedup_min!.toFixed(1)}–${
            row.speedup_max!.toFixed(1)
          })`
          : "-",
        row.slowdown_vs_unpenalised ? `${row.slowdown_vs_unpenalised.toFixed(2)}×` : "-",
      ]),
    ));
    const reasons = [SEED_CONFIG, ...PENALISED.map((p) => p.config)]
      .map((config) => engineFor(trainingSetup(config)).reason)
      .filter(Boolean);
    console.log(
      reasons.length
        ? `batches that would fall back to the reference engine: ${reasons.join("; ")}`
        : "no batch falls back to the reference engine: every loss, optimiser, layer kind and " +
          "penalty (weight clip, WGAN-GP, R1, R2) has a fused form",
    );
  }
  return 0;
}

if (import.meta.main) await runTask("bench", main, [ExperimentError]);
