/**
 * A batch in training as numbers (a snapshot: enough to continue it later
 * and end with the numbers an uninterrupted batch ends with), when one is
 * due, and the parts of it both engines take alike.
 *
 * @module
 */
import type { OptimiserSnapshot } from "../kinds/optimisers/mod.ts";
import type { BatchPlan } from "./plan.ts";
import type { Recorded, RecordedBlocks } from "./records.ts";

/**
 * Everything a batch in training is, as numbers: enough to continue it later
 * and end with the numbers an uninterrupted batch ends with.
 */
export interface BatchSnapshot {
  readonly iterationsDone: number;
  /** Packed parameters of every run, `R × P` each. */
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  /** D's spectral-norm vectors by layer (null for other layers). */
  readonly spectral: readonly ({ u: Float32Array; v: Float32Array } | null)[];
  /** G's, likewise (empty without spectral norm on G; absent in older snapshots). */
  readonly generatorSpectral?: readonly ({ u: Float32Array; v: Float32Array } | null)[];
  readonly optimisers: {
    readonly discriminator: OptimiserSnapshot;
    readonly generator: OptimiserSnapshot;
  };
  /** Each run's random streams' positions. */
  readonly randoms: readonly (readonly (readonly number[])[])[];
  /** What was recorded so far. */
  readonly curveIterations: readonly number[];
  readonly patternIterations: readonly number[];
  readonly curves: readonly Float32Array[];
  readonly patterns: readonly Float32Array[];
}

/** When to take a snapshot of a batch in training, and where it goes. */
export interface CheckpointOptions {
  /** Iterations between snapshots (rounded up to `progressEvery`). */
  readonly every: number;
  /** Or seconds since the last one, whichever comes first. */
  readonly seconds: number;
  readonly save: (snapshot: BatchSnapshot) => void | Promise<void>;
}

/**
 * Whether a snapshot is due after `done` of `total` iterations: `every`
 * iterations or `seconds` since the last one, whichever first; never at the end.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkpointDue } from "./snapshot.ts";
 * const last = { iteration: 0, time: performance.now() };
 * const options = { every: 1000, seconds: 60, save: () => {} };
 * assertEquals(checkpointDue(options, 1000, 5000, last), true);
 * assertEquals(checkpointDue(options, 5000, 5000, { ...last, iteration: 4000 }), false);
 * ```
 */
export function checkpointDue(
  { every, seconds }: CheckpointOptions,
  done: number,
  total: number,
  last: { readonly iteration: number; readonly time: number },
): boolean {
  return done < total &&
    (done - last.iteration >= every || performance.now() - last.time >= 1000 * seconds);
}

/** The parts of a snapshot both engines take alike: the random streams' positions and the records. */
export function snapshotStreamsAndRecords(
  plan: BatchPlan,
  recorded: Recorded,
): Pick<
  BatchSnapshot,
  "randoms" | "curveIterations" | "patternIterations" | "curves" | "patterns"
> {
  return {
    randoms: plan.randoms.map((streams) => streams.map((random) => random.state())),
    curveIterations: [...recorded.curveIterations],
    patternIterations: [...recorded.patternIterations],
    curves: [...recorded.curves],
    patterns: [...recorded.patterns],
  };
}

/** Puts a snapshot's random-stream positions and records back (see {@link snapshotStreamsAndRecords}). */
export function restoreStreamsAndRecords(
  plan: BatchPlan,
  recorded: RecordedBlocks,
  snapshot: BatchSnapshot,
): void {
  plan.randoms.forEach((streams, r) =>
    streams.forEach((random, k) => random.restore(snapshot.randoms[r][k]))
  );
  recorded.curveIterations.push(...snapshot.curveIterations);
  recorded.patternIterations.push(...snapshot.patternIterations);
  recorded.curves.push(...snapshot.curves);
  recorded.patterns.push(...snapshot.patterns);
}
