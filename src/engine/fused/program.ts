/**
 * The fused training loop: the reference engine's iteration (`engine.ts`),
 * step for step, as loops over plain arrays for every run of a batch at
 * once. One call trains a whole chunk of iterations; the fused kernel
 * (`kernel.ts`) runs it on the backend's memory.
 *
 * @module
 */
import type { BatchPlan } from "../contract.ts";
import { CURVE_COLUMNS } from "../contract.ts";
import { lossKind, type LossTermName } from "../../kinds/losses/mod.ts";
import type { FusedOptimiser } from "../../kinds/optimisers/mod.ts";
import {
  type FusedGradientNorm,
  PENALTY_KINDS,
  type PenaltyKind,
  perRunGradientNorm,
} from "../../kinds/penalties/mod.ts";
import { scoreLayer } from "../../kinds/penalties/kind.ts";
import type { FusedSpectral } from "../../nn/layers/mod.ts";
import { hasSpectralNorm } from "../../nn/network.ts";
import { fusedNetwork, interpolate } from "./network.ts";
import { seedLossGradient } from "./loss_gradient.ts";
import { consensusPass } from "./consensus.ts";

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
 * assertEquals(fusedSupport({ penalty: { name: "r1", gamma: 10 } }), undefined);
 * ```
 */
export function fusedSupport(plan: Pick<BatchPlan, "penalty">): string | undefined {
  const penalty: PenaltyKind | undefined = plan.penalty && PENALTY_KINDS[plan.penalty.name];
  const needs = penalty &&
    (penalty.onReal || penalty.onFake
      ? !penalty.fused?.gradientNorm
      : penalty.afterStep && !penalty.fused?.afterStep);
  return needs ? `the ${plan.penalty!.name} penalty has no fused form yet` : undefined;
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
 * import { planBatch } from "../contract.ts";
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
  const unsupported = fusedSupport(plan);
  if (unsupported) throw new Error(`the fused engine cannot train this batch: ${unsupported}`);
  const { runs, batchSize: batch, width, step } = plan;
  const D = fusedNetwork(plan.discriminator, runs, batch, width);
  const G = fusedNetwork(plan.generator, runs, batch, plan.inputWidth);
  const loss = lossKind(plan.loss);
  const penaltyKind: PenaltyKind | undefined = plan.penalty && PENALTY_KINDS[plan.penalty.name];
  const clip = penaltyKind?.fused?.afterStep;
  const gradientNorm = penaltyKind?.fused?.gradientNorm;
  const dSize = plan.discriminator.parameterCount;
  const perSample = batch * width;
  const real = new Float32Array(runs * perSample);
  const realViews = Array.from(
    { length: runs },
    (_, r) => real.subarray(r * perSample, (r + 1) * perSample),
  );
  const perInput = batch * plan.inputWidth;
  const z = new Float32Array(runs * perInput);
  const inputViews = Array.from(
    { length: runs },
    (_, r) => z.subarray(r * perInput, (r + 1) * perInput),
  );
  const drawInput = () => inputViews.forEach((view, r) => plan.inputSource(r, view));
  if (plan.constantInput) drawInput();
  const steps = { discriminator: 0, generator: 0 };
  // The last critic step's values and G's, for the curve records (the penalty's 0 without one).
  const recorded = new Float64Array(runs * CURVE_COLUMNS.length);
  const columns = CURVE_COLUMNS.length;
  const penaltyColumn = CURVE_COLUMNS.indexOf("penalty");
  // The sum of an update's terms' gradients (and penalty), where it has more than one.
  const termsGradient = new Float32Array(runs * dSize);
  const penalise = gradientNorm && penaltyPass(gradientNorm);
  // Consensus optimisation: its own networks, and where G's step's point and z are kept.
  const consensus = step.consensus > 0 ? consensusPass(plan) : undefined;
  const startD = consensus && step.updates === "simultaneous"
    ? new Float32Array(runs * dSize)
    : undefined;
  const zOfG = startD && new Float32Array(z.length);
  // A constant z gives the same G(z) until G changes, unless G's spectral norm moves on.
  const reuseG = plan.constantInput && !hasSpectralNorm(plan.generator);
  // Instance noise: what D sees of each input, x + σ·n.
  const noisy = {
    real: new Float32Array(runs * perSample),
    fake: new Float32Array(runs * perSample),
    generator: new Float32Array(runs * perSample),
  };
  const noise = new Float32Array(perSample);
  const sigma = plan.instanceNoise;
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

  /** The loss term's gradient at D's output (or its logit) into D's gradient buffers; returns the layer to start from. */
  const lossGradient = (output: Float32Array, term: LossTermName): number =>
    seedLossGradient(D, loss, term, output, batch);
  // Each term's recorded columns, as the step declares them.
  const columnsOf = (term: LossTermName) =>
    CURVE_COLUMNS.flatMap((name, column) => {
      const source = step.records[name];
      return "term" in source && source.term === term ? [{ column, of: source.of }] : [];
    });
  const recordedColumns = {
    real: columnsOf("real"),
    fake: columnsOf("fake"),
    generator: columnsOf("generator"),
  };
  /** The mean of a term or of D's output over each run's batch, into the columns that record it. */
  const keep = (output: Float32Array, term: LossTermName) => {
    const value = loss[term].fused.value;
    for (const { column, of } of recordedColumns[term]) {
      for (let r = 0; r < runs; r++) {
        let sum = 0;
        for (let b = 0; b < batch; b++) {
          sum += of === "loss" ? Math.fround(value(output[r * batch + b])) : output[r * batch + b];
        }
        recorded[r * columns + column] = sum / batch;
      }
    }
  };
  /** One D step along `gradient`, then the penalty's constraint. */
  const stepD = (state: FusedState, gradient: Float32Array) => {
    optimisers.discriminator.step(
      state.discriminator,
      gradient,
      state.discriminatorOptimiser,
      ++steps.discriminator,
    );
    clip?.(state.discriminator, dSize, plan.penaltyValue!);
  };
  /** One power iteration of D's spectral-norm vectors, as every D pass does first. */
  const advance = (state: FusedState) => {
    if (state.spectral.length) D.advanceSpectral(state.discriminator, state.spectral);
  };
  /**
   * The gradient-norm penalty's pass: its own copy of D's passes, the
   * interpolates where it needs them, and each run's setting.
   */
  function penaltyPass(form: FusedGradientNorm) {
    const P = fusedNetwork(plan.discriminator, runs, batch, width);
    const score = scoreLayer(plan.discriminator);
    const values = new Float64Array(runs);
    const between = form.at === "interpolate" ? new Float32Array(runs * perSample) : undefined;
    const alphas = new Float32Array(batch);
    // The interpolation weights of the critic step at hand, from each run's stream.
    let critic = 0;
    const alphasOf = (r: number) => {
      plan.alphaSource(r, critic, alphas);
      return alphas;
    };
    const shape = perRunGradientNorm(form, plan.penaltyValue!);
    /** Adds the penalty's gradient at this critic step's samples into `into`; keeps its value. */
    return (
      state: FusedState,
      sample: number,
      real: Float32Array,
      fake: Float32Array,
      into: Float32Array,
    ) => {
      let input = form.at === "real" ? real : fake;
      if (between) {
        // x̂ = α·x + (1 − α)·G(z), one α per sample from the run's stream; a pass of its own.
        critic = sample;
        interpolate(real, fake, alphasOf, between, { runs, batch, width });
        input = between;
        advance(state);
      }
      P.gradientNormPenalty(input, state.discriminator, state.spectral, score, shape, values);
      const gradient = P.parameterGradient;
      for (let i = 0; i < into.length; i++) into[i] += gradient[i];
      for (let r = 0; r < runs; r++) recorded[r * columns + penaltyColumn] = values[r];
    };
  }
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
      const { curves: curveRecords, patterns: patternRecords } = recordsIn(first, count);
      let curveIndex = 0;
      let patternIndex = 0;
      const inputs: { real: Float32Array; fake: Float32Array } = { real, fake: real };
      // G's last training output and whether it is still G(z) for the z at hand.
      let generated: Float32Array | undefined;
      /** G's forward pass in training: one power iteration of its spectral norm first. */
      const generate = () => {
        if (state.generatorSpectral.length) {
          G.advanceSpectral(state.generator, state.generatorSpectral);
        }
        return generated = G.forward(z, state.generator, state.generatorSpectral);
      };
      /** G(z) for a new sample: a new z with a noise input; a constant z's G(z) is reused. */
      const sampleG = () => {
        if (!plan.constantInput) drawInput();
        return reuseG && generated ? generated : generate();
      };
      /** G's loss through D as it stands, and G's gradient into G.parameterGradient. */
      const generatorGradient = (recordCurve: boolean) => {
        const fromG = sampleG();
        advance(state);
        const throughD = D.forward(
          seen(fromG, noisy.generator),
          state.discriminator,
          state.spectral,
        );
        if (recordCurve) keep(throughD, "generator");
        D.backward(state.discriminator, lossGradient(throughD, "generator"), {
          parameters: false,
          input: true,
        });
        const gLast = plan.generator.layers.length;
        G.gradients[gLast].set(D.gradients[0]);
        G.backward(state.generator, gLast - 1, { parameters: true, input: false });
      };
      for (let iteration = first; iteration < first + count; iteration++) {
        const done = iteration + 1;
        const recordCurve = done % plan.recordEvery === 0;
        const simultaneous = step.updates === "simultaneous";
        if (simultaneous) {
          generatorGradient(recordCurve);
          startD?.set(state.discriminator);
          zOfG?.set(z);
        }
        for (let k = 0; k < step.criticSteps; k++) {
          const sample = iteration * step.criticSteps + k;
          realViews.forEach((view, r) => plan.realSource(r, sample, view));
          inputs.real = seen(real, noisy.real);
          // G(z), detached (with a noise input, drawn after G's own in a simultaneous step).
          inputs.fake = seen(sampleG(), noisy.fake);
          for (const update of step.criticStep) {
            // One term alone steps along D's own gradient buffer; a sum gathers in termsGradient.
            const single = update.terms.length === 1 &&
              !(penalise && step.penaltyWith === update.terms[0]);
            for (let t = 0; t < update.terms.length; t++) {
              const term = update.terms[t];
              advance(state);
              const output = D.forward(inputs[term], state.discriminator, state.spectral);
              if (recordCurve) keep(output, term);
              D.backward(state.discriminator, lossGradient(output, term), {
                parameters: true,
                input: false,
              });
              if (single) continue;
              if (t === 0) termsGradient.set(D.parameterGradient);
              else {for (let i = 0; i < termsGradient.length; i++) {
                  termsGradient[i] += D.parameterGradient[i];
                }}
              if (penalise && step.penaltyWith === term) {
                penalise(state, sample, inputs.real, inputs.fake, termsGradient);
              }
            }
            consensus?.addRegulariser(state.discriminator, state.generator, inputs.real, z, {
              discriminator: termsGradient,
            });
            stepD(state, single ? D.parameterGradient : termsGradient);
          }
        }
        if (!simultaneous) generatorGradient(recordCurve);
        consensus?.addRegulariser(startD ?? state.discriminator, state.generator, real, zOfG ?? z, {
          generator: G.parameterGradient,
        });
        optimisers.generator.step(
          state.generator,
          G.parameterGradient,
          state.generatorOptimiser,
          ++steps.generator,
        );
        // G has moved: its next sample is a new G(z).
        generated = undefined;
        if (recordCurve) {
          for (let r = 0; r < runs; r++) {
            const at = (r * curveRecords + curveIndex) * columns;
            for (let c = 0; c < columns; c++) curves[at + c] = recorded[r * columns + c];
          }
          curveIndex++;
        }
        if (done % plan.patternEvery === 0) {
          // As PyTorch's eval mode runs G: spectral norm does not move on.
          const after = G.forward(z, state.generator, state.generatorSpectral);
          for (let r = 0; r < runs; r++) {
            patterns.set(
              after.subarray(r * batch * width, r * batch * width + width),
              (r * patternRecords + patternIndex) * width,
            );
          }
          patternIndex++;
        }
      }
    },
  };
}
