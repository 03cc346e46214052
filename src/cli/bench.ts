/**
 * `deno task bench`: training speed of the fused and the reference engine,
 * their repeats interleaved in one process so that the machine's noise
 * cancels in the ratios: the seed's model at R = 1, 16, 128 and 1024 runs
 * (one worker), wider networks at its depth, the ring of 8 Gaussians at The
 * Numerics of GANs' size (plain, with R1, with consensus), penalised
 * batches, and the naive tfjs port. With `--before REV`, each fused row
 * against the fused engine of commit REV too (child processes in turn);
 * where `python3` has `torch`, the ring's rows against plain PyTorch.
 *
 * @module
 */
import { parseStrict, runTask, UsageError } from "./args.ts";
import { useBackend } from "../engine/backend.ts";
import { engineFor, type EngineName, ENGINES } from "../engine/train.ts";
import { resolveConfig, trainingSetup } from "../design/factors.ts";
import { trainNaively } from "../bench/naive_port.ts";
import { markdownTable } from "../core/table.ts";
import { networkParameterCount } from "../nn/layers/mod.ts";
import { extrapolate, type SweepTiming, timeSweep } from "../bench/sweep_bench.ts";
import { ExperimentError, loadExperiment } from "../design/experiment.ts";
import { sensitivity } from "../bench/sensitivity.ts";
import { type BenchCase, benchCases } from "../bench/cases.ts";
import { torchMissing, unpackRevision } from "../bench/children.ts";
import {
  kernelsPerIteration,
  type Spread,
  spread,
  timeAgainstBefore,
  timeEngines,
  timeTorchCase,
} from "../bench/timing.ts";

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
  /** On a fused row: the reference engine's median over the fused engine's, same batch. */
  speedup_vs_reference?: number;
  /** The smallest and largest ratio of interleaved repeats. */
  speedup_min?: number;
  speedup_max?: number;
  /** On a fused row with a plain row (a penalty, consensus added): its median over that row's. */
  over_plain?: number;
  /** On a fused row with `--before REV`: REV's fused engine over this one (median of pairs). */
  speedup_vs_before?: number;
  speedup_vs_before_min?: number;
  speedup_vs_before_max?: number;
  /** Why REV's engine could not train the row (a factor it does not know). */
  before_skipped?: string;
  /** On a fused row with a PyTorch step: PyTorch's ms per iteration, one run on one thread. */
  torch_ms_per_iteration?: number;
  /** PyTorch's ms per iteration over this row's ms per run-iteration. */
  torch_over_fused?: number;
  /** On a width row: D's and G's parameters per run. */
  parameters?: number;
}

/** Times `work` `repeats` times; ms per iteration: median, min and max. */
async function timeRepeats(
  repeats: number,
  iterations: number,
  work: () => unknown,
): Promise<Spread> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await work();
    times.push((performance.now() - start) / iterations);
  }
  return spread(times);
}

const USAGE = `usage: deno task bench [--iterations N] [--runs 1,16,128,1024] [--repeats 3]
                        [--before REV] [--json]
       deno task bench --sweep [FILE] [--scaled N] [--engine fused|reference] [--json]
       deno task bench --sensitivity FILE [--engine fused|reference] [--iterations N] [--only …]

Times the fused and the reference engine on the seed's model at each batch
size R (one worker), in interleaved repeats, and the naive tfjs port
(tf.sequential + optimizer.minimize). With R = 16 among the sizes, also
wider networks (R = 16) and the ring of 8 Gaussians at The Numerics of GANs'
size (batch 512, 4×16 ReLU; R = 4, a fixed number of iterations each):
the preset's step plain, with R1 and with consensus γ 1; their own step (one
z for both players) plain and with consensus γ 10; batch 64. Where python3
has torch, the ring's rows against the same step in plain PyTorch (one run,
one thread; put an optimised BLAS first on LD_LIBRARY_PATH to time it
fairly).
--iterations N   iterations timed per fused row of the seed's model (default
                 2000; the reference and R > 128: fewer, at least 100;
                 the naive port: N/5)
--runs LIST      batch sizes to time (default 1,16,128,1024)
--repeats N      timed repeats per row; the median is reported (default 3)
--before REV     also time each fused row on the fused engine of commit REV
                 (unpacked by git archive; child processes, in turn)
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

/**
 * Iterations timed for an engine at R runs of the seed's model: about the
 * same time per row (more where an iteration is quick, up to 16×; fewer
 * where it is slow), at least 100.
 */
function iterationsFor(engine: EngineName, runs: number, iterations: number): number {
  const scale = (engine === "reference" ? 1 / 10 : 1) * Math.min(16, Math.max(1 / 8, 128 / runs));
  return Math.max(100, Math.round(iterations * scale));
}

/** The parameters per run of a case's networks. */
function parametersOf(item: BenchCase): number {
  const setup = trainingSetup(resolveConfig(item.preset, item.levels));
  return networkParameterCount(setup.discriminator) + networkParameterCount(setup.generator);
}

/** Times one case: both engines; with `before`, against that engine; with PyTorch, against it. */
async function benchCase(
  item: BenchCase,
  options: {
    readonly iterations: number;
    readonly repeats: number;
    readonly before?: string;
    readonly torch: boolean;
    readonly done: readonly BenchRow[];
  },
): Promise<BenchRow[]> {
  const { repeats } = options;
  const lengths = item.iterations ?? {
    fused: iterationsFor("fused", item.runs, options.iterations),
    reference: iterationsFor("reference", item.runs, options.iterations),
  };
  const times = await timeEngines(item, lengths, repeats);
  const rows = (["fused", "reference"] as const).map((engine): BenchRow => {
    const time = times[engine];
    return {
      name: `${engine}: ${item.name}`,
      runs: item.runs,
      iterations: lengths[engine],
      ms_per_iteration: time.median,
      run_iterations_per_second: (item.runs * 1000) / time.median,
      ms_per_iteration_min: time.min,
      ms_per_iteration_max: time.max,
      repeats,
      ...(item.name.includes("width") ? { parameters: parametersOf(item) } : {}),
    };
  });
  const fused = rows[0];
  fused.speedup_vs_reference = times.reference.median / times.fused.median;
  [fused.speedup_min, fused.speedup_max] = [times.ratio.min, times.ratio.max];
  if (item.seedModel) {
    for (const row of rows) {
      row.kernels_per_iteration = await kernelsPerIteration(
        item,
        row.name.split(":")[0] as EngineName,
      );
    }
  }
  const plain = item.plain && options.done.find((row) => row.name === `fused: ${item.plain}`);
  if (plain) fused.over_plain = fused.ms_per_iteration / plain.ms_per_iteration;
  if (options.before) {
    const before = await timeAgainstBefore(item, options.before, lengths.fused, repeats);
    if (before instanceof Error) fused.before_skipped = before.message;
    else {
      fused.speedup_vs_before = before.median;
      [fused.speedup_vs_before_min, fused.speedup_vs_before_max] = [before.min, before.max];
    }
  }
  if (options.torch) {
    const torch = await timeTorchCase(item, Math.max(20, lengths.fused), repeats);
    if (torch instanceof Error) throw torch;
    if (torch) {
      fused.torch_ms_per_iteration = torch.median;
      fused.torch_over_fused = torch.median / (fused.ms_per_iteration / item.runs);
    }
  }
  return rows;
}

async function timeNaivePort(iterations: number, repeats: number): Promise<BenchRow> {
  trainNaively(Math.min(50, iterations));
  const time = await timeRepeats(repeats, iterations, () => trainNaively(iterations));
  return {
    name: "naive tfjs port (tf.sequential + minimize), the seed's model",
    runs: 1,
    iterations,
    ms_per_iteration: time.median,
    run_iterations_per_second: 1000 / time.median,
    ms_per_iteration_min: time.min,
    ms_per_iteration_max: time.max,
    repeats,
  };
}

/** A ratio and its spread as a cell: `4.6× (4.1–5.0)`. */
const ratioCell = (median?: number, min?: number, max?: number) =>
  median === undefined
    ? "-"
    : `${median.toFixed(1)}×${min === undefined ? "" : ` (${min.toFixed(1)}–${max!.toFixed(1)})`}`;

/** The rows as one markdown table. */
function benchTable(rows: readonly BenchRow[]): string {
  return markdownTable(
    [
      "name",
      "runs",
      "iterations",
      "ms / iteration (median)",
      "min–max",
      "run-iterations / s",
      "kernels / iteration",
      "fused vs reference (min–max)",
      "over its plain row (fused)",
      "fused vs before (min–max)",
      "PyTorch ms / iteration (one run)",
      "PyTorch / fused per run-iteration",
    ],
    rows.map((row) => [
      row.name,
      String(row.runs),
      String(row.iterations),
      row.ms_per_iteration.toFixed(3),
      `${row.ms_per_iteration_min.toFixed(3)}–${row.ms_per_iteration_max.toFixed(3)}`,
      row.run_iterations_per_second.toFixed(0),
      row.kernels_per_iteration?.toFixed(row.kernels_per_iteration < 1 ? 4 : 1) ?? "-",
      ratioCell(row.speedup_vs_reference, row.speedup_min, row.speedup_max),
      row.over_plain ? `${row.over_plain.toFixed(2)}×` : "-",
      row.before_skipped
        ? "(not in REV)"
        : ratioCell(row.speedup_vs_before, row.speedup_vs_before_min, row.speedup_vs_before_max),
      row.torch_ms_per_iteration?.toFixed(3) ?? "-",
      ratioCell(row.torch_over_fused),
    ]),
  );
}

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    boolean: ["json", "help", "sweep"],
    collect: ["only"],
    string: ["iterations", "runs", "repeats", "scaled", "engine", "sensitivity", "before"],
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
  const scratch = `results/.bench-${Deno.pid}`;
  try {
    const before = args.before === undefined
      ? undefined
      : await unpackRevision(String(args.before), `${scratch}/before`);
    const missingTorch = await torchMissing();
    const rows: BenchRow[] = [];
    for (const item of benchCases(sizes)) {
      const timed = await benchCase(item, {
        iterations,
        repeats,
        before,
        torch: !missingTorch,
        done: rows,
      });
      rows.push(...timed);
      if (args.json) timed.forEach((row) => console.log(JSON.stringify({ ...row, backend })));
    }
    const naive = await timeNaivePort(Math.max(10, Math.round(iterations / 5)), repeats);
    rows.push(naive);
    if (args.json) console.log(JSON.stringify({ ...naive, backend }));
    if (!args.json) {
      console.log(`backend ${backend}, ${navigator.hardwareConcurrency} cores, one worker`);
      console.log(benchTable(rows));
      if (missingTorch) console.log(`PyTorch rows skipped: ${missingTorch}`);
      for (const row of rows.filter((row) => row.before_skipped)) {
        console.log(`${row.name}: not timed on ${args.before}: ${row.before_skipped}`);
      }
      const reasons = benchCases(sizes)
        .map((item) => engineFor(trainingSetup(resolveConfig(item.preset, item.levels))).reason)
        .filter(Boolean);
      console.log(
        reasons.length
          ? `batches that would fall back to the reference engine: ${reasons.join("; ")}`
          : "no batch falls back to the reference engine: every loss, optimiser, layer kind, " +
            "penalty and scheme timed has a fused form",
      );
    }
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
  return 0;
}

if (import.meta.main) await runTask("bench", main, [ExperimentError]);
