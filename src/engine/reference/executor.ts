/**
 * The reference engine: R runs that share a network structure trained
 * together as one tensor program of tf ops, each operation of the schedule
 * (`../schedule.ts`) one primitive here. It is the engine the fused one is
 * tested against; `train.ts` chooses between them, and `../driver.ts`
 * drives both.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { LOSS_KINDS, type LossKind, type Side } from "../../kinds/losses/mod.ts";
import { createOptimiser } from "../../kinds/optimisers/mod.ts";
import {
  advanceSpectral,
  backward,
  forward,
  type ForwardPass,
  hasSpectralNorm,
  type LayerParameters,
  layerParameters,
  type SpectralState,
} from "../../nn/network.ts";
import { drive, type EngineBatch, type TrainOptions } from "../driver.ts";
import { initialValues, perRunOptimisers } from "../initial.ts";
import type { BatchPlan } from "../plan.ts";
import type { RunRecord } from "../records.ts";
import {
  type Batch,
  iterationSchedule,
  type OpName,
  type OpOf,
  recordsAt,
  sampleIndex,
} from "../schedule.ts";
import type { RunSetup, TrainingSetup } from "../setup.ts";
import type { CurveColumn } from "../step.ts";
import { consensusRegulariser } from "./consensus.ts";
import { createRecorder, type Recorder } from "./recorder.ts";
import {
  alphaTensor,
  generatorInputTensor,
  noiseTensor,
  realTensor,
  restoreState,
  stateSnapshot,
  type TrainingState,
  trainingState,
} from "./state.ts";

/**
 * Trains every run of `runs` with the shared `setup`, as one tensor program.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trainBatchReference } from "./executor.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const [record] = await trainBatchReference(
 *   { ...trainingSetup(resolveConfig("book", {})), iterations: 100 },
 *   [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 * );
 * assertEquals(record.curves.g_loss.length, 10);
 * ```
 */
export function trainBatchReference(
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options: TrainOptions = {},
): Promise<RunRecord[]> {
  return drive(referenceBatch, setup, runs, options);
}

/**
 * A planned batch on the reference engine.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { referenceBatch } from "./executor.ts";
 * import { planBatch } from "../plan.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const runs = [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }];
 * const batch = referenceBatch(planBatch({ ...trainingSetup(resolveConfig("book", {})), iterations: 20 }, runs), runs);
 * await batch.train(0, 20);
 * assertEquals(batch.recorded().curveIterations, [10, 20]);
 * batch.dispose();
 * ```
 */
export function referenceBatch(plan: BatchPlan, runs: readonly RunSetup[]): EngineBatch {
  const state = trainingState(plan, initialValues(plan, runs), {
    discriminator: createOptimiser(
      plan.optimisers.discriminator,
      runs.map((run) => run.learningRates.discriminator),
      plan.discriminator.parameterCount,
      perRunOptimisers(runs),
    ),
    generator: createOptimiser(
      plan.optimisers.generator,
      runs.map((run) => run.learningRates.generator),
      plan.generator.parameterCount,
      perRunOptimisers(runs),
    ),
  });
  const recorder = createRecorder();
  const ops = iterationSchedule(plan.step, {
    constantG: plan.constantInput && !hasSpectralNorm(plan.generator),
  });
  return {
    async train(first, count) {
      for (let iteration = first; iteration < first + count; iteration++) {
        const previous = state.tensors();
        tf.tidy(() => {
          const primitives = iterationPrimitives(plan, state, recorder, iteration);
          for (const op of ops) (primitives[op.op] as (op: unknown) => void)(op);
          primitives.end();
        });
        tf.dispose(previous.filter((tensor) => !state.tensors().includes(tensor)));
      }
      await recorder.flush();
    },
    recorded: () => recorder.recorded(),
    snapshot: (done) => stateSnapshot(plan, state, recorder.recorded(), done),
    restore: (snapshot) => restoreState(plan, state, recorder.recorded(), snapshot),
    final: async () => ({
      discriminator: await state.discriminator.data() as Float32Array,
      generator: await state.generator.data() as Float32Array,
    }),
    dispose() {
      state.dispose();
      recorder.dispose();
    },
  };
}

/** Each operation of the schedule as tf ops, for one iteration (inside its `tf.tidy`). */
type Primitives = { readonly [K in OpName]: (op: OpOf<K>) => void } & { end(): void };

/** The primitives of iteration `iteration`: they share the iteration's tensors. */
function iterationPrimitives(
  plan: BatchPlan,
  state: TrainingState,
  recorder: Recorder,
  iteration: number,
): Primitives {
  const { discriminator: D, generator: G } = plan;
  const loss: LossKind = LOSS_KINDS[plan.loss];
  const records = recordsAt(iteration, plan);
  // D's sigmoid head is skipped where the loss has a gradient at its logit.
  const last = D.layers.length - 1;
  const sigmoidHead = D.layers[last].type === "sigmoid";
  const dAtLogit = sigmoidHead && loss.discriminator.atLogit;
  const gAtLogit = sigmoidHead && loss.generator.atLogit;
  let d = state.discriminator;
  let dLayers: LayerParameters = state.discriminatorLayers;
  let dLayersStale = false;
  let spectral = state.spectral;
  let gSpectral = state.generatorSpectral;
  let g = state.generator;
  // What D sees of each batch, D's passes on them and the spectral vectors each used.
  const inputs: Partial<Record<Batch, tf.Tensor>> = {};
  const passes: Partial<Record<Batch, ForwardPass>> = {};
  const spectralOf: Partial<Record<Batch, SpectralState>> = {};
  const seeds: Partial<Record<Batch, tf.Tensor>> = {};
  let z: tf.Tensor | undefined;
  let generated: ForwardPass | undefined;
  let generatorPass: ForwardPass | undefined;
  let gradient: tf.Tensor | undefined;
  let gGradient: tf.Tensor | undefined;
  let start: { d: tf.Tensor; z: tf.Tensor } | undefined;
  const kept: Partial<Record<CurveColumn, tf.Tensor>> = {};

  const advance = (layers: LayerParameters, from: SpectralState) =>
    from.length ? advanceSpectral(D, layers, from) : from;
  const currentLayers = () => {
    if (dLayersStale) [dLayers, dLayersStale] = [layerParameters(D, d), false];
    return dLayers;
  };
  // G's forward pass in training: one power iteration of its spectral norm first, if it has one.
  const generate = (input: tf.Tensor) => {
    if (gSpectral.length) gSpectral = advanceSpectral(G, layerParameters(G, g), gSpectral);
    return forward(G, g, input, gSpectral);
  };
  // What D sees: the input, plus σ·n with instance noise.
  const seen = (x: tf.Tensor) => plan.instanceNoise > 0 ? tf.add(x, noiseTensor(plan)) : x;
  /** D's outputs on the batches a seed reads (G's batch is `fake` to a loss). */
  const outputsOn = (terms: readonly Side[], fakeFrom: Batch): Partial<Record<Side, tf.Tensor>> =>
    Object.fromEntries(
      terms.map((side) => [side, passes[side === "fake" ? fakeFrom : side]!.output]),
    );

  return {
    draw_real({ critic, criticSteps }) {
      inputs.real = seen(realTensor(plan, sampleIndex(iteration, criticSteps, critic)));
    },
    sample_g({ into, reuse }) {
      // A reused batch (or a constant z's G(z)) is the one at hand until G steps.
      if (!(reuse && generated && z)) {
        z = state.constantInput ?? generatorInputTensor(plan);
        generated = generate(z);
      }
      if (into === "generated") generatorPass = generated;
      inputs[into] = seen(generated.output);
    },
    hold_start() {
      start = { d, z: z! };
    },
    forward_d({ on }) {
      const layers = currentLayers();
      spectral = advance(layers, spectral);
      spectralOf[on] = spectral;
      passes[on] = forward(D, layers, inputs[on]!, spectral);
    },
    seed_d({ terms, keep }) {
      const outputs = outputsOn(terms, "fake");
      const gradients = loss.discriminator.gradients(outputs, dAtLogit);
      for (const term of terms) seeds[term] = gradients[term];
      if (!records.curves) return;
      const parts = loss.discriminator.parts(outputs);
      for (const { column, term, of } of keep) {
        const side = term as Side;
        kept[column] = of === "loss" ? parts[side] : tf.mean(passes[side]!.output, [1, 2]);
      }
    },
    backward_d({ on, accumulate }) {
      const termGradient = backward(D, passes[on]!, seeds[on]!, {
        parameters: true,
        input: false,
        ...(dAtLogit ? { fromLayer: last - 1 } : {}),
      }).parameters!;
      gradient = accumulate === "set" ? termGradient : tf.add(gradient!, termGradient);
    },
    penalty({ index, with: term, critic, criticSteps, keep }) {
      const planned = plan.penalties[index];
      const at = planned.kind[term === "real" ? "onReal" : "onFake"]!;
      const sample = sampleIndex(iteration, criticSteps, critic);
      const penalty = at({
        network: D,
        parameters: d,
        spectral: spectralOf[term] ?? spectral,
        real: inputs.real!,
        fake: inputs.fake!,
        alphas: () => alphaTensor(plan, sample),
        advance: (from) => advance(layerParameters(D, d), from),
      }, planned.value);
      gradient = tf.add(gradient!, penalty.gradient);
      const previous = kept[keep.column];
      kept[keep.column] = keep.accumulate === "set" || !previous
        ? penalty.value
        : tf.add(previous, penalty.value);
      spectral = penalty.spectral ?? spectral;
    },
    consensus_d({ gamma }) {
      const regulariser = consensusRegulariser(plan, d, g, inputs.real!, z!);
      gradient = tf.add(gradient!, tf.mul(regulariser.discriminator, gamma));
    },
    consensus({ gamma }) {
      const regulariser = consensusRegulariser(plan, d, g, inputs.real!, z!);
      gradient = tf.add(gradient!, tf.mul(regulariser.discriminator, gamma));
      gGradient = tf.add(gGradient!, tf.mul(regulariser.generator, gamma));
    },
    step_d() {
      d = state.optimiseDiscriminator.step(d, gradient!);
      dLayersStale = true;
    },
    constrain_d({ index }) {
      const planned = plan.penalties[index];
      d = planned.kind.afterStep!(d, planned.value);
      dLayersStale = true;
    },
    seed_g({ on, keep }) {
      const outputs = outputsOn(loss.generator.reads, on);
      seeds[on] = loss.generator.gradients(outputs, gAtLogit).fake;
      if (!records.curves) return;
      const parts = loss.generator.parts(outputs);
      const total = [parts.real, parts.fake].filter((part) => part !== undefined)
        .reduce((sum, part) => tf.add(sum!, part!));
      for (const { column, of } of keep) {
        kept[column] = of === "loss" ? total : tf.mean(passes[on]!.output, [1, 2]);
      }
    },
    backward_g({ on }) {
      const intoG = backward(D, passes[on]!, seeds[on]!, {
        parameters: false,
        input: true,
        ...(gAtLogit ? { fromLayer: last - 1 } : {}),
      }).input!;
      const fromG = on === "generated" ? generatorPass! : generated!;
      gGradient = backward(G, fromG, intoG, { parameters: true, input: false }).parameters!;
    },
    consensus_g({ from, gamma }) {
      // From the point G steps from: the iteration's start with simultaneous updates.
      const point = from === "start" ? start! : { d, z: z! };
      const regulariser = consensusRegulariser(plan, point.d, g, inputs.real!, point.z);
      gGradient = tf.add(gGradient!, tf.mul(regulariser.generator, gamma));
    },
    step_g() {
      g = state.optimiseGenerator.step(g, gGradient!);
      generated = undefined;
    },
    record_curves({ columns }) {
      if (!records.curves) return;
      // A column nothing kept (the penalty's, without one) holds 0.
      const values = columns.map((column) => kept[column] ?? state.noPenalty);
      recorder.keepCurve(iteration + 1, tf.stack(values, 1));
    },
    record_pattern() {
      if (!records.pattern) return;
      // G after its step, as PyTorch's eval mode runs it: spectral norm does not move on.
      const after = forward(G, g, state.constantInput ?? z!, gSpectral);
      recorder.keepPattern(
        iteration + 1,
        tf.reshape(tf.slice(after.output, [0, 0, 0], [plan.runs, 1, plan.width]), [
          plan.runs,
          plan.width,
        ]),
      );
    },
    end() {
      state.keep({
        discriminator: d,
        discriminatorLayers: currentLayers(),
        spectral,
        generatorSpectral: gSpectral,
        generator: g,
      });
    },
  };
}
