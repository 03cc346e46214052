/**
 * The end-to-end sweep benchmark: a scaled-down copy of an experiment
 * (fewer iterations) run through the real runner at two lengths, fitted to
 * `wall = start-up + per-iteration × iterations` and extrapolated to the
 * experiment's full length; and the same copy on one worker, for the
 * speed-up of more workers.
 *
 * @module
 */
import { loadExperiment } from "../design/experiment.ts";
import { planSweep, runSweep } from "../run/sweep.ts";
import type { EngineName } from "../engine/train.ts";

/** One timed sweep. */
export interface SweepTiming {
  readonly iterations: number;
  readonly workers: number;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly runIterationsPerSecond: number;
  /** The largest resident memory of the process seen during the sweep, in MiB. */
  readonly peakMiB: number;
}

/** Runs `file` with `iterations` per run on `workers` workers (and `engine`) into a scratch folder. */
export async function timeSweep(
  file: string,
  iterations: number,
  workers: number,
  scratch: string,
  engine: EngineName = "fused",
): Promise<SweepTiming> {
  const experiment = { ...(await loadExperiment(file)), iterations };
  const out = `${scratch}/w${workers}-i${iterations}`;
  const start = performance.now();
  const plans = await planSweep([experiment], { out });
  let peak = Deno.memoryUsage().rss;
  const outcome = await runSweep(plans, {
    workers,
    engine,
    onProgress: () => (peak = Math.max(peak, Deno.memoryUsage().rss)),
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const runs = plans.reduce((sum, plan) => sum + plan.todo.length, 0);
  if (outcome.trained !== runs) throw new Error(`only ${outcome.trained} of ${runs} runs trained`);
  return {
    iterations,
    workers,
    runs,
    wallSeconds,
    runIterationsPerSecond: (runs * iterations) / wallSeconds,
    peakMiB: Math.max(peak, Deno.memoryUsage().rss) / 2 ** 20,
  };
}

/**
 * Fits `wall = a + b × iterations` through two timings and predicts the wall
 * time at `iterations`.
 */
export function extrapolate(short: SweepTiming, long: SweepTiming, iterations: number): number {
  const perIteration = (long.wallSeconds - short.wallSeconds) /
    (long.iterations - short.iterations);
  const startUp = short.wallSeconds - perIteration * short.iterations;
  return startUp + perIteration * iterations;
}
