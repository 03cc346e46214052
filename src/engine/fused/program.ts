/**
 * A batch's fused training program: the schedule's iteration
 * (`../schedule.ts`) compiled into the fused primitives (`executor.ts`),
 * drawing from each run's streams and stepping the optimisers over the
 * kernel's state. One call trains a whole chunk of iterations; the fused
 * kernel (`kernel.ts`) runs it on the backend's memory.
 *
 * @module
 */
import type { FusedOptimiser } from "../../kinds/optimisers/mod.ts";
import type { FusedSpectral } from "../../nn/layers/mod.ts";
import { hasSpectralNorm } from "../../nn/network.ts";
import type { BatchPlan } from "../plan.ts";
import { iterationSchedule, recordsAt } from "../schedule.ts";
import type { ResolvedPenalties } from "../../kinds/penalties/mod.ts";
import { PENALTY_KINDS, type PenaltyKind, penaltyList } from "../../kinds/penalties/mod.ts";
import { consensusPass } from "./consensus.ts";
import { type FusedPoint, fusedPrimitives, type PrimitiveSources } from "./executor.ts";
import { curveKeeper } from "./records.ts";

/** The state a chunk reads and updates in place: the kernel's outputs' memory. */
export interface FusedState {
  /** D's and G's packed parameters, `[R, P]`. */
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  /** Each optimiser's kept buffers, `[R, P]` each, in its snapshot's order. */
  readonly discriminatorOptimiser: readonly Float32Array[];
  readonly generatorOptimiser: readonly Float32Array[];
  /** D's spectral-norm vectors by layer (undefined for other layers). */
  readonly spectral: readonly (FusedSpectral | undefined)[];
  /** G's, likewise (empty without spectral norm on G). */
  readonly generatorSpectral: readonly (FusedSpectral | undefined)[];
}

/** A compiled batch: its networks' passes, its optimisers and its step counts. */
export interface FusedProgram {
  readonly plan: BatchPlan;
  readonly optimisers: {
    readonly discriminator: FusedOptimiser;
    readonly generator: FusedOptimiser;
  };
  /** Optimiser steps taken so far, per network. */
  readonly steps: { discriminator: number; generator: number };
  /** How many curve and pattern records iterations `first + 1 … first + count` make. */
  recordsIn(first: number, count: number): { curves: number; patterns: number };
  /**
   * Trains iterations `first … first + count − 1`, writing their records
   * into `curves` (`[R, records, columns]`) and `patterns` (`[R, records, width]`).
   */
  run(
    state: FusedState,
    first: number,
    count: number,
    curves: Float32Array,
    patterns: Float32Array,
  ): void;
}

/**
 * Whether a batch's setup has a fused form; if not, why not.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedSupport } from "./program.ts";
 * assertEquals(fusedSupport({ penalty: { name: "weight_clip", clip: 0.01 } }), undefined);
 * assertEquals(fusedSupport({ penalty: [{ name: "r1", gamma: 10 }, { name: "r2", gamma: 10 }] }), undefined);
 * ```
 */
export function fusedSupport(
  setup: { readonly penalty?: ResolvedPenalties },
): string | undefined {
  for (const penalty of penaltyList(setup.penalty)) {
    const kind: PenaltyKind = PENALTY_KINDS[penalty.name];
    const needs = kind.onReal || kind.onFake
      ? !kind.fused?.gradientNorm
      : kind.afterStep && !kind.fused?.afterStep;
    if (needs) return `the ${penalty.name} penalty has no fused form yet`;
  }
  return undefined;
}

/**
 * Compiles a planned batch into its fused training loop.
 *
 * @throws {Error} where the batch has no fused form ({@link fusedSupport}).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { compileProgram } from "./program.ts";
 * import { planBatch } from "../plan.ts";
 * import { fusedOptimiser } from "../../kinds/optimisers/mod.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const plan = planBatch({ ...trainingSetup(resolveConfig("book", {})), iterations: 100 }, [
 *   { seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } },
 * ]);
 * const sgd = (size: number) => fusedOptimiser({ name: "sgd" }, [0.01], size);
 * const program = compileProgram(plan, {
 *   discriminator: sgd(plan.discriminator.parameterCount),
 *   generator: sgd(plan.generator.parameterCount),
 * });
 * assertEquals(program.recordsIn(0, 100), { curves: 10, patterns: 1 });
 * ```
 */
export function compileProgram(
  plan: BatchPlan,
  optimisers: FusedProgram["optimisers"],
): FusedProgram {
  const unsupported = fusedSupport({ penalty: plan.penalties.map((planned) => planned.penalty) });
  if (unsupported) throw new Error(`the fused engine cannot train this batch: ${unsupported}`);
  const { runs } = plan;
  const dSize = plan.discriminator.parameterCount;
  const steps = { discriminator: 0, generator: 0 };
  const point: FusedPoint = {
    d: new Float32Array(),
    g: new Float32Array(),
    dSpectral: [],
    gSpectral: [],
  };
  let state: FusedState | undefined;
  const ops = iterationSchedule(plan.step, {
    reuseG: plan.constantInput && !hasSpectralNorm(plan.generator),
  });
  const consensus = ops.some((op) => op.op === "consensus_d" || op.op === "consensus_g")
    ? consensusPass(plan)
    : undefined;
  const sources = trainingSources(plan, () => state!, steps, optimisers, dSize, consensus);
  const keeper = curveKeeper({ runs, batch: plan.batchSize, width: plan.width });
  const primitives = fusedPrimitives(plan, point, sources, keeper);
  // A constant input is drawn once; a noise input anew for every sample.
  if (plan.constantInput) fillPerRun(primitives.z, runs, (r, view) => plan.inputSource(r, view));
  const compiled = primitives.compile(ops);
  const recordsIn = (first: number, count: number) => {
    const every = (interval: number) =>
      Math.floor((first + count) / interval) - Math.floor(first / interval);
    return { curves: every(plan.recordEvery), patterns: every(plan.patternEvery) };
  };
  return {
    plan,
    optimisers,
    steps,
    recordsIn,
    run(chunkState, first, count, curves, patterns) {
      state = chunkState;
      point.d = state.discriminator;
      point.g = state.generator;
      point.dSpectral = state.spectral;
      point.gSpectral = state.generatorSpectral;
      keeper.begin(curves, patterns, recordsIn(first, count));
      // A chunk starts without G(z) at hand.
      primitives.invalidate();
      for (let iteration = first; iteration < first + count; iteration++) {
        primitives.run(compiled, iteration, recordsAt(iteration, plan));
      }
    },
  };
}

/** Fills each run's slice of `into` (`[R, …]`) with `fill(r, view)`, the views made once. */
function fillPerRun(
  into: Float32Array,
  runs: number,
  fill: (run: number, view: Float32Array) => void,
): void {
  const per = into.length / runs;
  for (let r = 0; r < runs; r++) fill(r, into.subarray(r * per, (r + 1) * per));
}

/** A training batch's sources: each run's streams, instance noise, the optimisers' steps and constraints. */
function trainingSources(
  plan: BatchPlan,
  stateOf: () => FusedState,
  steps: FusedProgram["steps"],
  optimisers: FusedProgram["optimisers"],
  dSize: number,
  consensus: ReturnType<typeof consensusPass> | undefined,
): PrimitiveSources {
  const { runs, batchSize: batch, width } = plan;
  const perSample = batch * width;
  const noisyReal = new Float32Array(runs * perSample);
  const noise = new Float32Array(perSample);
  const alphas = new Float32Array(batch);
  const sigma = plan.instanceNoise;
  // Each buffer's per-run views, made on first use.
  const views = new Map<Float32Array, Float32Array[]>();
  const viewsOf = (buffer: Float32Array) => {
    let made = views.get(buffer);
    if (!made) {
      const per = buffer.length / runs;
      made = Array.from({ length: runs }, (_, r) => buffer.subarray(r * per, (r + 1) * per));
      views.set(buffer, made);
    }
    return made;
  };
  /** `x` as D sees it: with instance noise, `x + σ·n` in `into` (n the run's next draw). */
  const seen = (x: Float32Array, into: Float32Array): Float32Array => {
    if (sigma === 0) return x;
    for (let r = 0; r < runs; r++) {
      plan.noiseSource(r, noise);
      for (let i = 0, at = r * perSample; i < perSample; i++, at++) {
        into[at] = x[at] + Math.fround(sigma * noise[i]);
      }
    }
    return into;
  };
  return {
    real(sample, into) {
      viewsOf(into).forEach((view, r) => plan.realSource(r, sample, view));
      return seen(into, noisyReal);
    },
    input(into) {
      if (plan.constantInput) return false;
      viewsOf(into).forEach((view, r) => plan.inputSource(r, view));
      return true;
    },
    seen: (x, _batch, buffer) => seen(x, buffer),
    alphas: (sample) => (r) => {
      plan.alphaSource(r, sample, alphas);
      return alphas;
    },
    advances: true,
    stepD(gradient) {
      const state = stateOf();
      optimisers.discriminator.step(
        state.discriminator,
        gradient,
        state.discriminatorOptimiser,
        ++steps.discriminator,
      );
    },
    stepG(gradient) {
      const state = stateOf();
      optimisers.generator.step(
        state.generator,
        gradient,
        state.generatorOptimiser,
        ++steps.generator,
      );
    },
    constrain(index) {
      const planned = plan.penalties[index];
      planned.kind.fused!.afterStep!(stateOf().discriminator, dSize, planned.value);
    },
    consensus: consensus &&
      ((gamma, d, g, real, z, into) => consensus.addRegulariser(gamma, d, g, real, z, into)),
  };
}
