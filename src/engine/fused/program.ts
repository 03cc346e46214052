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
import { toFeatures, toParameterMajor, toRunMajor } from "./layout.ts";
import { chooseKernels, type Kernels } from "../../nn/kernels/mod.ts";

/** The state a chunk reads and updates in place: the kernel's outputs' memory (`[R, P]`, run after run). */
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
  kernels: Kernels = chooseKernels(),
): FusedProgram {
  const unsupported = fusedSupport({ penalty: plan.penalties.map((planned) => planned.penalty) });
  if (unsupported) throw new Error(`the fused engine cannot train this batch: ${unsupported}`);
  const { runs } = plan;
  const dSize = plan.discriminator.parameterCount;
  const gSize = plan.generator.parameterCount;
  const steps = { discriminator: 0, generator: 0 };
  // The chunk's state in the fused layout ([P, R]), in the kernels' memory; the kernel's own
  // tensors ([R, P]) are read in before a chunk and written back after it.
  const buffers = (count: number, size: number) =>
    Array.from({ length: count }, () => kernels.floats(runs * size));
  const held: HeldState = {
    discriminator: kernels.floats(runs * dSize),
    generator: kernels.floats(runs * gSize),
    discriminatorOptimiser: buffers(optimisers.discriminator.buffers, dSize),
    generatorOptimiser: buffers(optimisers.generator.buffers, gSize),
  };
  const point: FusedPoint = {
    d: held.discriminator,
    g: held.generator,
    dSpectral: [],
    gSpectral: [],
  };
  const ops = iterationSchedule(plan.step, {
    constantG: plan.constantInput && !hasSpectralNorm(plan.generator),
  });
  const consensus = ops.some((op) => op.op.startsWith("consensus"))
    ? consensusPass(plan, kernels)
    : undefined;
  const sources = trainingSources(plan, held, steps, optimisers, dSize, consensus);
  const keeper = curveKeeper({ runs, batch: plan.batchSize, width: plan.width });
  const primitives = fusedPrimitives(plan, point, sources, keeper, kernels);
  // A constant input is drawn once; a noise input anew for every sample.
  if (plan.constantInput) sources.input(primitives.z, true);
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
    run(state, first, count, curves, patterns) {
      const pairs: [Float32Array, Float32Array, number][] = [
        [state.discriminator, held.discriminator, dSize],
        [state.generator, held.generator, gSize],
        ...state.discriminatorOptimiser.map((b, k): [Float32Array, Float32Array, number] => [
          b,
          held.discriminatorOptimiser[k],
          dSize,
        ]),
        ...state.generatorOptimiser.map((b, k): [Float32Array, Float32Array, number] => [
          b,
          held.generatorOptimiser[k],
          gSize,
        ]),
      ];
      for (const [runMajor, fused, size] of pairs) toParameterMajor(runMajor, size, fused);
      point.dSpectral = state.spectral;
      point.gSpectral = state.generatorSpectral;
      keeper.begin(curves, patterns, recordsIn(first, count));
      // A chunk starts without G(z) at hand.
      primitives.invalidate();
      for (let iteration = first; iteration < first + count; iteration++) {
        primitives.run(compiled, iteration, recordsAt(iteration, plan));
      }
      for (const [runMajor, fused, size] of pairs) toRunMajor(fused, size, runMajor);
    },
  };
}

/** The state a training batch's sources step: its parameters and optimiser buffers in the fused layout. */
interface HeldState {
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  readonly discriminatorOptimiser: readonly Float32Array[];
  readonly generatorOptimiser: readonly Float32Array[];
}

/**
 * A training batch's sources: each run's streams (drawn sample after sample,
 * as the reference draws them, then laid out as features), instance noise,
 * the optimisers' steps and constraints.
 */
function trainingSources(
  plan: BatchPlan,
  held: HeldState,
  steps: FusedProgram["steps"],
  optimisers: FusedProgram["optimisers"],
  dSize: number,
  consensus: ReturnType<typeof consensusPass> | undefined,
): PrimitiveSources & { input(into: Float32Array, constant?: boolean): boolean } {
  const { runs, batchSize: batch, width, inputWidth } = plan;
  const columns = runs * batch;
  const perSample = batch * width;
  // What the streams draw, run after run and sample after sample, before it is laid out.
  const drawn = new Float32Array(columns * Math.max(width, inputWidth));
  const noisyReal = new Float32Array(columns * width);
  const noise = new Float32Array(perSample);
  const alphas = new Float32Array(batch);
  const sigma = plan.instanceNoise;
  const viewsOf = (per: number) =>
    Array.from({ length: runs }, (_, r) => drawn.subarray(r * per, (r + 1) * per));
  const [realViews, inputViews] = [viewsOf(perSample), viewsOf(batch * inputWidth)];
  /** `x` as D sees it: with instance noise, `x + σ·n` in `into` (n each run's next draw). */
  const seen = (x: Float32Array, into: Float32Array): Float32Array => {
    if (sigma === 0) return x;
    for (let r = 0; r < runs; r++) {
      plan.noiseSource(r, noise);
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < width; i++) {
          const at = i * columns + r * batch + b;
          into[at] = x[at] + Math.fround(sigma * noise[b * width + i]);
        }
      }
    }
    return into;
  };
  return {
    real(sample, into) {
      realViews.forEach((view, r) => plan.realSource(r, sample, view));
      toFeatures(drawn.subarray(0, columns * width), width, into);
      return seen(into, noisyReal);
    },
    input(into, constant = false) {
      if (plan.constantInput && !constant) return false;
      inputViews.forEach((view, r) => plan.inputSource(r, view));
      toFeatures(drawn.subarray(0, columns * inputWidth), inputWidth, into);
      return true;
    },
    seen: (x, _batch, buffer) => seen(x, buffer),
    alphas: (sample) => (r) => {
      plan.alphaSource(r, sample, alphas);
      return alphas;
    },
    advances: true,
    stepD(gradient) {
      optimisers.discriminator.step(
        held.discriminator,
        gradient,
        held.discriminatorOptimiser,
        ++steps.discriminator,
      );
    },
    stepG(gradient) {
      optimisers.generator.step(
        held.generator,
        gradient,
        held.generatorOptimiser,
        ++steps.generator,
      );
    },
    constrain(index) {
      const planned = plan.penalties[index];
      planned.kind.fused!.afterStep!(held.discriminator, dSize, planned.value);
    },
    consensus: consensus &&
      ((gamma, d, g, real, z, into) => consensus.addRegulariser(gamma, d, g, real, z, into)),
    consensusAt: consensus &&
      ((gamma, field, into) => consensus.addRegulariserAt(gamma, field, into)),
  };
}
