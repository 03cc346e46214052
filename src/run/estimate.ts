/**
 * The wall time a sweep will take, before it trains: each batch's cost from
 * the work model of `batches.ts` (launch overhead + runs × arithmetic), at
 * the rates `deno task bench` measured on this project's 2-core machine,
 * with the batches handed out to the Workers as the sweep hands them out
 * (in order, each to the first free Worker). The table alone is rough (the
 * fused engine's SIMD kernels have since made the ring at batch 512 about
 * eight times faster than it says): `calibrate.ts` corrects it by timing
 * the plan's costliest structures here, and `estimateSweep` takes the
 * corrected seconds.
 *
 * @module
 */
import { engineFor, type EngineName } from "../engine/train.ts";
import { trainingSetup } from "../design/factors.ts";
import { type Batch, runWork } from "./batches.ts";

/**
 * Seconds per iteration of a batch, by engine, measured by `deno task bench`
 * on one core (2 December 2026; docs/performance.md): a fixed `launch` per
 * iteration plus `perWork` per unit of {@link runWork}, consensus a further
 * `consensus` times (its Hessian-vector products cost more than the work
 * model's ×2.6 says), and `rough`: the factor by which the bench's batches
 * fall either side of the table.
 */
export const ENGINE_RATES: Readonly<
  Record<EngineName, {
    readonly launch: number;
    readonly perWork: number;
    readonly consensus: number;
    readonly rough: number;
  }>
> = {
  // The seed's model at R = 16…1024 (2.4–3.0 µs), the ring at batch 512 (1.9 µs) and 64 (1.4 µs);
  // the committed ring, gaussian_grid, width and wgan_gp folders' batches took 0.75–1.5 times this.
  fused: { launch: 7e-6, perWork: 1.9e-6, consensus: 2.8, rough: 1.5 },
  // 1.2 ms a launch; 8 µs a unit on the seed's model, 1 µs on the ring's matrix products.
  reference: { launch: 1.2e-3, perWork: 3e-6, consensus: 2.4, rough: 3 },
};

/** Two Workers train about 1.7 times as fast as one (they share the memory bus). */
const PARALLEL_EFFICIENCY = 0.85;

/** Starting the Workers and their tfjs, and compiling the kernels. */
const STARTUP_SECONDS = 1.5;

/** Judging and saving a run (its row, curves and patterns), on the main thread. */
const SAVE_SECONDS_PER_RUN = 0.02;

/**
 * The predicted seconds of a batch on one core, on the engine that trains it
 * when `engine` is asked for.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { batchSeconds } from "./estimate.ts";
 * import { expandGrid } from "../design/grid.ts";
 * import { validateExperiment } from "../design/experiment.ts";
 * const runs = await expandGrid(
 *   validateExperiment({ name: "x", base: "seed", seeds: 16, iterations: 20_000 }, "x.ts"),
 * );
 * const seconds = batchSeconds({ id: 0, runs }, "fused"); // the bench: 0.045 ms an iteration
 * assert(seconds > 0.5 && seconds < 2, String(seconds));
 * assert(batchSeconds({ id: 0, runs }, "reference") > 10 * seconds);
 * ```
 */
export function batchSeconds(batch: Batch, engine: EngineName = "fused"): number {
  const [first] = batch.runs;
  const trainsOn = engineFor(trainingSetup(first.config), engine).engine;
  const rate = ENGINE_RATES[trainsOn];
  const work = batch.runs.reduce((sum, run) => sum + runWork(run), 0) *
    (first.config.consensus ? rate.consensus : 1);
  return first.config.iterations * (rate.launch + rate.perWork * work);
}

/** A sweep's predicted wall time, and how far either way it may be off (a factor). */
export interface SweepEstimate {
  readonly seconds: number;
  readonly rough: number;
}

/**
 * Each of `pool` Workers' speed on `cores` cores, as a share of a core of
 * its own: two Workers on two cores train about 1.7 times as fast as one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { workerSpeed } from "./estimate.ts";
 * assertEquals([workerSpeed(1, 2), workerSpeed(2, 2), workerSpeed(4, 2)], [1, 0.85, 0.425]);
 * ```
 */
export function workerSpeed(pool: number, cores: number = navigator.hardwareConcurrency): number {
  const busy = Math.max(1, Math.min(pool, cores));
  return busy * (busy > 1 ? PARALLEL_EFFICIENCY : 1) / Math.max(1, pool);
}

/**
 * The predicted wall time of training `batches` (in the order the sweep
 * hands them out) on `workers` Workers of a machine with `cores` cores.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { estimateSweep } from "./estimate.ts";
 * assertEquals(estimateSweep([], 2), { seconds: 0, rough: 1 });
 * ```
 */
export function estimateSweep(
  batches: readonly Batch[],
  workers: number,
  engine: EngineName = "fused",
  cores: number = navigator.hardwareConcurrency,
  secondsOf: (batch: Batch) => number = (batch) => batchSeconds(batch, engine),
): SweepEstimate {
  if (batches.length === 0) return { seconds: 0, rough: 1 };
  const pool = Math.min(workers, batches.length);
  const speed = workerSpeed(pool, cores);
  const free = new Array<number>(pool).fill(0);
  let rough = 1;
  for (const batch of batches) {
    const next = free.indexOf(Math.min(...free));
    free[next] += secondsOf(batch) / speed;
    const trainsOn = engineFor(trainingSetup(batch.runs[0].config), engine).engine;
    rough = Math.max(rough, ENGINE_RATES[trainsOn].rough);
  }
  const runs = batches.reduce((sum, batch) => sum + batch.runs.length, 0);
  return { seconds: STARTUP_SECONDS + Math.max(...free) + SAVE_SECONDS_PER_RUN * runs, rough };
}

/**
 * A duration as people read it: `45s`, `3m07s`, `2h05m`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatDuration } from "./estimate.ts";
 * assertEquals([formatDuration(44.6), formatDuration(187), formatDuration(7500)], ["45s", "3m07s", "2h05m"]);
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
    : s >= 60
    ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
    : `${s}s`;
}

/**
 * What a sweep says of its estimate: the time, how rough it is, and where
 * its rates come from (`source`, e.g. "2 of 3 structures timed here").
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { estimateNote } from "./estimate.ts";
 * assertEquals(
 *   estimateNote({ seconds: 1500, rough: 1.5 }, "2 of 3 structures timed here"),
 *   "about 25m00s (rough: ±50%; 2 of 3 structures timed here)",
 * );
 * assertEquals(
 *   estimateNote({ seconds: 1500, rough: 3 }, "the bench's rates"),
 *   "about 25m00s (rough: from a third to 3 times that; the bench's rates)",
 * );
 * ```
 */
export function estimateNote({ seconds, rough }: SweepEstimate, source: string): string {
  const range = rough <= 2
    ? `±${Math.round(100 * (rough - 1))}%`
    : `from a ${rough === 3 ? "third" : `1/${rough}`} to ${rough} times that`;
  return `about ${formatDuration(seconds)} (rough: ${range}; ${source})`;
}
