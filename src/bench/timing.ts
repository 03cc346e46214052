/**
 * The bench's timings of one case: both engines in this process, their
 * repeats interleaved so that the machine's noise falls on both alike; the
 * fused engine of this checkout and of an earlier one in child processes,
 * interleaved the same way; PyTorch's step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { engineLearningRates, resolveConfig, trainingSetup } from "../design/factors.ts";
import type { EngineName } from "../engine/train.ts";
import { trainBatch } from "../engine/train.ts";
import type { BenchCase } from "./cases.ts";
import { REPO_ROOT, timeChild, timeTorch } from "./children.ts";

/** Median, fastest and slowest of some timings. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The median, smallest and largest of `values`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { spread } from "./timing.ts";
 * assertEquals(spread([3, 1, 2]), { median: 2, min: 1, max: 3 });
 * ```
 */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted.at(-1)! };
}

/** A case's batch on one engine for `iterations`. */
function trainCase(item: BenchCase, engine: EngineName, iterations: number) {
  const config = resolveConfig(item.preset, item.levels);
  const runs = Array.from({ length: item.runs }, (_, seed) => ({
    seed,
    learningRates: engineLearningRates(config),
  }));
  return trainBatch({ ...trainingSetup(config), iterations }, runs, { engine });
}

/** Both engines' ms per iteration over `repeats` interleaved repeats, and the ratios of each pair. */
export interface EngineTimes {
  readonly fused: Spread;
  readonly reference: Spread;
  /** reference / fused, repeat by repeat. */
  readonly ratio: Spread;
}

/**
 * Times a case on both engines, `lengths` iterations each, after a quarter
 * of that untimed on each (compiled and tiered up).
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { timeEngines } from "./timing.ts";
 * import { useBackend } from "../engine/backend.ts";
 * await useBackend();
 * const item = { name: "seed", preset: "seed", levels: {}, runs: 2 } as const;
 * const times = await timeEngines(item, { fused: 20, reference: 10 }, 1);
 * assert(times.fused.median > 0 && times.reference.median > 0);
 * ```
 */
export async function timeEngines(
  item: BenchCase,
  lengths: { readonly fused: number; readonly reference: number },
  repeats: number,
): Promise<EngineTimes> {
  const times: Record<EngineName, number[]> = { fused: [], reference: [] };
  for (const engine of ["fused", "reference"] as const) {
    // A quarter of the timed length first, untimed: compiled and tiered up.
    await trainCase(item, engine, Math.max(10, Math.round(lengths[engine] / 4)));
  }
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const engine of ["fused", "reference"] as const) {
      const start = performance.now();
      await trainCase(item, engine, lengths[engine]);
      times[engine].push((performance.now() - start) / lengths[engine]);
    }
  }
  return {
    fused: spread(times.fused),
    reference: spread(times.reference),
    ratio: spread(times.reference.map((time, k) => time / times.fused[k])),
  };
}

/**
 * Kernels one iteration of a seed's-model case launches on an engine,
 * recording included (averaged over 100 iterations).
 */
export async function kernelsPerIteration(item: BenchCase, engine: EngineName): Promise<number> {
  const profile = await tf.profile(async () => {
    await trainCase(item, engine, 100);
  });
  return profile.kernels.length / 100;
}

/**
 * This checkout's fused engine against the one at `beforeRoot`, each in a
 * child process, `repeats` times in turn: before / now, median and spread of
 * the pairs; or the reason the earlier engine cannot train the case.
 */
export async function timeAgainstBefore(
  item: BenchCase,
  beforeRoot: string,
  iterations: number,
  repeats: number,
): Promise<Spread | Error> {
  const request = {
    preset: item.preset,
    levels: item.levels,
    runs: item.runs,
    iterations,
    engine: "fused" as const,
  };
  const ratios: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const now = await timeChild({ root: REPO_ROOT, ...request });
    if (now instanceof Error) return now;
    const before = await timeChild({ root: beforeRoot, ...request });
    if (before instanceof Error) return before;
    ratios.push(before / now);
  }
  return spread(ratios);
}

/** A case's PyTorch step, `repeats` times: ms per iteration, or why not. */
export async function timeTorchCase(
  item: BenchCase,
  iterations: number,
  repeats: number,
): Promise<Spread | Error | undefined> {
  if (!item.torch) return undefined;
  const times: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const ms = await timeTorch({ ...item.torch, iterations });
    if (ms instanceof Error) return ms;
    times.push(ms);
  }
  return spread(times);
}
