/**
 * The reference engine: R runs that share a network structure trained
 * together as one tensor program of tf ops, the declared training step
 * (`../step.ts`) interpreted op by op. It is the engine the fused one is
 * tested against; `train.ts` chooses between them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  assembleRecords,
  type BatchPlan,
  type BatchSnapshot,
  checkpointDue,
  CURVE_COLUMNS,
  initialValues,
  perRunOptimisers,
  planBatch,
  type RecordedBlocks,
  restoreStreamsAndRecords,
  type RunRecord,
  type RunSetup,
  snapshotStreamsAndRecords,
  type TrainingSetup,
  type TrainOptions,
} from "../contract.ts";
import { NetworkError } from "../../nn/layers/mod.ts";
import { lossKind, type LossTermName } from "../../kinds/losses/mod.ts";
import {
  advanceSpectral,
  backward,
  type BackwardWants,
  forward,
  type ForwardPass,
  type Gradients,
  type LayerParameters,
  layerParameters,
  type Network,
  type SpectralState,
} from "../../nn/network.ts";
import { createOptimiser } from "../../kinds/optimisers/mod.ts";
import { PENALTY_KINDS, type PenaltyKind } from "../../kinds/penalties/mod.ts";

/**
 * Trains every run of `runs` with the shared `setup`, as one tensor program.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trainBatchReference } from "./engine.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const [record] = await trainBatchReference(
 *   { ...trainingSetup(resolveConfig("book", {})), iterations: 100 },
 *   [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 * );
 * assertEquals(record.curves.g_loss.length, 10);
 * ```
 */
export async function trainBatchReference(
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options: TrainOptions = {},
): Promise<RunRecord[]> {
  const plan = planBatch(setup, runs);
  const { onProgress, progressEvery = 1000, checkpoint, resume } = options;
  const state = initialState(plan, runs);
  const recorder = createRecorder(plan);
  const start = resume ? restoreSnapshot(plan, state, recorder, resume) : 0;
  let lastSnapshot = { iteration: start, time: performance.now() };
  try {
    for (let iteration = start; iteration < plan.iterations; iteration++) {
      trainIteration(plan, state, recorder, iteration);
      const done = iteration + 1;
      if (done % progressEvery === 0 || done === plan.iterations) {
        await recorder.flush();
        onProgress?.({ iterationsDone: done, iterations: plan.iterations, runs: plan.runs });
        if (checkpoint && checkpointDue(checkpoint, done, plan.iterations, lastSnapshot)) {
          await checkpoint.save(takeSnapshot(plan, state, recorder, done));
          lastSnapshot = { iteration: done, time: performance.now() };
        }
      }
    }
    return await recorder.finish(runs, state);
  } finally {
    state.dispose();
    recorder.dispose();
  }
}

interface TrainingState {
  discriminator: tf.Tensor;
  /** The discriminator's parameters split per layer: used by step 3 and the next step 1. */
  discriminatorLayers: LayerParameters;
  /** D's spectral-norm vectors (empty without spectral norm). */
  spectral: SpectralState;
  /** G's (empty without spectral norm on G). */
  generatorSpectral: SpectralState;
  generator: tf.Tensor;
  readonly optimiseDiscriminator: ReturnType<typeof createOptimiser>;
  readonly optimiseGenerator: ReturnType<typeof createOptimiser>;
  readonly constantInput?: tf.Tensor;
  /** Zeros `[R]`: the penalty column of runs without a penalty. */
  readonly noPenalty: tf.Tensor;
  dispose(): void;
}

/** Every run's starting numbers, packed for the batch. */

function initialState(plan: BatchPlan, runs: readonly RunSetup[]): TrainingState {
  const values = initialValues(plan, runs);
  const parameters = (network: Network, packed: Float32Array) =>
    tf.tensor3d(packed, [plan.runs, 1, network.parameterCount]);
  const state: TrainingState = {
    discriminator: parameters(plan.discriminator, values.discriminator),
    discriminatorLayers: [],
    spectral: spectralState(plan.discriminator, plan.runs, values.spectral),
    generatorSpectral: spectralState(plan.generator, plan.runs, values.generatorSpectral),
    generator: parameters(plan.generator, values.generator),
    optimiseDiscriminator: createOptimiser(
      plan.optimisers.discriminator,
      runs.map((run) => run.learningRates.discriminator),
      plan.discriminator.parameterCount,
      perRunOptimisers(runs),
    ),
    optimiseGenerator: createOptimiser(
      plan.optimisers.generator,
      runs.map((run) => run.learningRates.generator),
      plan.generator.parameterCount,
      perRunOptimisers(runs),
    ),
    constantInput: plan.constantInput ? generatorInputTensor(plan) : undefined,
    noPenalty: tf.zeros([plan.runs]),
    dispose() {
      tf.dispose([
        ...state.discriminatorLayers.flat(),
        ...spectralTensors(state.spectral),
        ...spectralTensors(state.generatorSpectral),
        state.discriminator,
        state.generator,
        ...state.optimiseDiscriminator.state(),
        ...state.optimiseGenerator.state(),
        ...(state.constantInput ? [state.constantInput] : []),
        state.noPenalty,
      ]);
    },
  };
  state.discriminatorLayers = tf.tidy(() =>
    layerParameters(plan.discriminator, state.discriminator)
  )
    .map((tensors) => tensors.map((t) => tf.keep(t)));
  return state;
}

/** A network's spectral vectors as tensors `[R, out, 1]` and `[R, in, 1]`, by layer. */
function spectralState(
  network: Network,
  runs: number,
  values: readonly ({ u: Float32Array; v: Float32Array } | null | undefined)[],
): SpectralState {
  return values.map((vectors, index) => {
    const layer = network.layers[index];
    if (!vectors || layer.type !== "linear") return undefined;
    return {
      u: tf.tensor3d(vectors.u, [runs, layer.out, 1]),
      v: tf.tensor3d(vectors.v, [runs, layer.in, 1]),
    };
  });
}

function spectralTensors(state: SpectralState): tf.Tensor[] {
  return state.flatMap((vectors) => (vectors ? [vectors.u, vectors.v] : []));
}

function realTensor(plan: BatchPlan, sample: number): tf.Tensor {
  const per = plan.batchSize * plan.width;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) {
    plan.realSource(r, sample, values.subarray(r * per, (r + 1) * per));
  }
  return tf.tensor3d(values, [plan.runs, plan.batchSize, plan.width]);
}

function generatorInputTensor(plan: BatchPlan): tf.Tensor {
  const per = plan.batchSize * plan.inputWidth;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) {
    plan.inputSource(r, values.subarray(r * per, (r + 1) * per));
  }
  return tf.tensor3d(values, [plan.runs, plan.batchSize, plan.inputWidth]);
}

/** The next σ·n for every run, `[R, B, width]` (D's next input's instance noise). */
function noiseTensor(plan: BatchPlan): tf.Tensor {
  const per = plan.batchSize * plan.width;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) plan.noiseSource(r, values.subarray(r * per, (r + 1) * per));
  return tf.mul(tf.tensor3d(values, [plan.runs, plan.batchSize, plan.width]), plan.instanceNoise);
}

function alphaTensor(plan: BatchPlan, step: number): tf.Tensor {
  const values = new Float32Array(plan.runs * plan.batchSize);
  for (let r = 0; r < plan.runs; r++) {
    plan.alphaSource(r, step, values.subarray(r * plan.batchSize, (r + 1) * plan.batchSize));
  }
  return tf.tensor3d(values, [plan.runs, plan.batchSize, 1]);
}

function trainIteration(
  plan: BatchPlan,
  state: TrainingState,
  recorder: Recorder,
  iteration: number,
): void {
  const done = iteration + 1;
  const recordCurve = done % plan.recordEvery === 0;
  const recordPattern = done % plan.patternEvery === 0;
  const { discriminator: D, generator: G, step } = plan;
  const penaltyKind: PenaltyKind | undefined = plan.penalty && PENALTY_KINDS[plan.penalty.name];
  const penaltyValue = plan.penaltyValue;
  const previous = [
    state.discriminator,
    state.generator,
    ...state.discriminatorLayers.flat(),
    ...spectralTensors(state.spectral),
    ...spectralTensors(state.generatorSpectral),
  ];
  tf.tidy(() => {
    let d = state.discriminator;
    let dLayers = state.discriminatorLayers;
    let spectral = state.spectral;
    let gSpectral = state.generatorSpectral;
    const advance = (layers: LayerParameters, from: SpectralState) =>
      from.length ? advanceSpectral(D, layers, from) : from;
    // G's forward pass in training: one power iteration of its spectral norm first, if it has one.
    const generate = (z: tf.Tensor) => {
      if (gSpectral.length) {
        gSpectral = advanceSpectral(G, layerParameters(G, state.generator), gSpectral);
      }
      return forward(G, state.generator, z, gSpectral);
    };
    // What D sees: the input, plus σ·n with instance noise.
    const seen = (x: tf.Tensor) => plan.instanceNoise > 0 ? tf.add(x, noiseTensor(plan)) : x;
    // A constant z gives the same G(z) until G changes, unless G's spectral norm moves on.
    const reuse = state.constantInput !== undefined && gSpectral.length === 0;
    // Each term's last evaluation (for the records) and the last penalty term.
    const passes: Partial<Record<LossTermName, ForwardPass>> = {};
    let penaltyTerm: tf.Tensor | undefined;
    let z: tf.Tensor | undefined;
    let generated!: ForwardPass;
    /** G's loss through D as it stands, and G's gradient (D's input gradient flows through σ·n). */
    const generatorGradient = () => {
      const zG = state.constantInput ?? generatorInputTensor(plan);
      const fromG = zG === z && reuse ? generated : generate(zG);
      [z, generated] = [zG, fromG];
      spectral = advance(dLayers, spectral);
      const throughD = passes.generator = forward(D, dLayers, seen(fromG.output), spectral);
      const wants = { parameters: false, input: true };
      const intoG = fromLoss(plan, throughD, "generator", wants).input!;
      return backward(G, fromG, intoG, { parameters: true, input: false }).parameters!;
    };
    const early = step.updates === "simultaneous" ? generatorGradient() : undefined;
    const zOfG = z;
    let real!: tf.Tensor;
    for (let k = 0; k < step.criticSteps; k++) {
      const sample = iteration * step.criticSteps + k;
      real = seen(realTensor(plan, sample));
      // G(z), detached (a constant z's G(z) is the one already at hand).
      if (!reuse || z === undefined) {
        z = state.constantInput ?? generatorInputTensor(plan);
        generated = generate(z);
      }
      const inputs = { real, fake: seen(generated.output) };
      step.criticStep.forEach((update, u) => {
        if (u > 0) dLayers = layerParameters(D, d);
        let gradient: tf.Tensor | undefined;
        for (const term of update.terms) {
          spectral = advance(dLayers, spectral);
          const pass = passes[term] = forward(D, dLayers, inputs[term], spectral);
          const wants = { parameters: true, input: false };
          const termGradient = fromLoss(plan, pass, term, wants).parameters!;
          gradient = gradient ? tf.add(gradient, termGradient) : termGradient;
          if (penaltyKind && step.penaltyWith === term) {
            const at = penaltyKind[term === "real" ? "onReal" : "onFake"]!;
            const penalty = at({
              network: D,
              parameters: d,
              spectral,
              real: inputs.real,
              fake: inputs.fake,
              alphas: () => alphaTensor(plan, sample),
              advance: (from) => advance(layerParameters(D, d), from),
            }, penaltyValue!);
            gradient = tf.add(gradient, penalty.gradient);
            penaltyTerm = penalty.value;
            spectral = penalty.spectral ?? spectral;
          }
        }
        if (step.consensus > 0) {
          const regulariser = consensusRegulariser(plan, d, state.generator, real, z!);
          gradient = tf.add(gradient!, tf.mul(regulariser.discriminator, step.consensus));
        }
        d = state.optimiseDiscriminator.step(d, gradient!);
        if (penaltyKind?.afterStep) d = penaltyKind.afterStep(d, penaltyValue!);
      });
      dLayers = layerParameters(D, d);
    }
    let gGradient = early ?? generatorGradient();
    if (step.consensus > 0) {
      // From the point G steps from: the iteration's start with simultaneous updates.
      const [from, input] = early ? [state.discriminator, zOfG!] : [d, z!];
      const regulariser = consensusRegulariser(plan, from, state.generator, real, input);
      gGradient = tf.add(gGradient, tf.mul(regulariser.generator, step.consensus));
    }
    const g = state.optimiseGenerator.step(state.generator, gGradient);
    if (recordCurve) {
      const loss = lossKind(plan.loss);
      recorder.keepCurve(
        done,
        tf.stack(
          CURVE_COLUMNS.map((column) => {
            const source = step.records[column];
            if (!("term" in source)) return penaltyTerm ?? state.noPenalty;
            const pass = passes[source.term]!;
            return source.of === "loss"
              ? loss[source.term].value(pass.output)
              : tf.mean(pass.output, [1, 2]);
          }),
          1,
        ),
      );
    }
    if (recordPattern) {
      // G after its step, as PyTorch's eval mode runs it: spectral norm does not move on.
      const after = forward(G, g, state.constantInput ?? z!, gSpectral);
      recorder.keepPattern(
        done,
        tf.reshape(tf.slice(after.output, [0, 0, 0], [plan.runs, 1, plan.width]), [
          plan.runs,
          plan.width,
        ]),
      );
    }
    state.discriminator = tf.keep(d);
    state.discriminatorLayers = dLayers.map((tensors) => tensors.map((t) => tf.keep(t)));
    state.spectral = spectral.map((vectors) =>
      vectors && { u: tf.keep(vectors.u), v: tf.keep(vectors.v) }
    );
    state.generatorSpectral = gSpectral.map((vectors) =>
      vectors && { u: tf.keep(vectors.u), v: tf.keep(vectors.v) }
    );
    state.generator = tf.keep(g);
  });
  tf.dispose(previous);
}

/**
 * Back-propagates a loss term through D. When D ends with a sigmoid and the
 * term has a gradient at the logit, that is used, which saves the sigmoid's
 * backward kernels.
 */
function fromLoss(
  plan: BatchPlan,
  pass: ForwardPass,
  term: LossTermName,
  wants: BackwardWants,
): Gradients {
  const D = plan.discriminator;
  const last = D.layers.length - 1;
  const lossTerm = lossKind(plan.loss)[term];
  if (D.layers[last].type === "sigmoid" && lossTerm.gradientAtLogit) {
    const gradient = lossTerm.gradientAtLogit(pass.output);
    return backward(D, pass, gradient, { ...wants, fromLayer: last - 1 });
  }
  return backward(D, pass, lossTerm.gradient(pass.output), wants);
}

/**
 * Consensus optimisation's regulariser at `(d, g)` (`[R, 1, P]` each):
 * `∇(½‖v‖²)` in both players' parameters, v the joint field (D's gradient
 * of the sum of its terms on `real` and G(z), G's gradient of its loss
 * through D), by tf.grads through the reference's backward passes (exact,
 * to float32 rounding).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertAlmostEquals } from "@std/assert";
 * import { consensusRegulariser } from "./engine.ts";
 * import { planBatch } from "../contract.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const setup = trainingSetup(resolveConfig("dirac", { consensus: 1 }));
 * const plan = planBatch(setup, [{ seed: 1, learningRates: { discriminator: 0.2, generator: 0.2 } }]);
 * // The Dirac-GAN at (θ, ψ) = (1, 0): Jᵀv = (⅛, ¼) in (ψ, θ).
 * const at = (x: number) => tf.tensor3d([x], [1, 1, 1]);
 * const { discriminator, generator } = consensusRegulariser(plan, at(0), at(1), at(0), at(1));
 * assertAlmostEquals(discriminator.dataSync()[0], 0.125, 1e-7);
 * assertAlmostEquals(generator.dataSync()[0], 0.25, 1e-7);
 * ```
 */
export function consensusRegulariser(
  plan: BatchPlan,
  d: tf.Tensor,
  g: tf.Tensor,
  real: tf.Tensor,
  z: tf.Tensor,
): { discriminator: tf.Tensor; generator: tf.Tensor } {
  const { discriminator: D, generator: G } = plan;
  const halfSquaredField = (dParameters: tf.Tensor, gParameters: tf.Tensor) => {
    const layers = layerParameters(D, dParameters);
    const fromG = forward(G, gParameters, z);
    const onReal = forward(D, layers, real);
    const onFake = forward(D, layers, fromG.output);
    const parametersOnly = { parameters: true, input: false };
    const fieldD = tf.add(
      fromLoss(plan, onReal, "real", parametersOnly).parameters!,
      fromLoss(plan, onFake, "fake", parametersOnly).parameters!,
    );
    const intoG = fromLoss(plan, onFake, "generator", { parameters: false, input: true }).input!;
    const fieldG = backward(G, fromG, intoG, parametersOnly).parameters!;
    return tf.mul(tf.add(tf.sum(tf.square(fieldD)), tf.sum(tf.square(fieldG))), 0.5);
  };
  const [discriminator, generator] = tf.grads(halfSquaredField)([d, g]);
  return { discriminator, generator };
}

interface Recorder {
  keepCurve(iteration: number, values: tf.Tensor): void;
  keepPattern(iteration: number, values: tf.Tensor): void;
  flush(): Promise<void>;
  /** What was read back so far (after a flush): iterations and blocks. */
  recorded(): RecordedBlocks;
  finish(runs: readonly RunSetup[], state: TrainingState): Promise<RunRecord[]>;
  dispose(): void;
}

/** Keeps recorded tensors on the device and reads them back in blocks. */
function createRecorder(plan: BatchPlan): Recorder {
  const curveIterations: number[] = [];
  const patternIterations: number[] = [];
  const pendingCurves: tf.Tensor[] = [];
  const pendingPatterns: tf.Tensor[] = [];
  const curveBlocks: Float32Array[] = [];
  const patternBlocks: Float32Array[] = [];
  const readBack = async (pending: tf.Tensor[], blocks: Float32Array[]) => {
    if (pending.length === 0) return;
    const joined = tf.concat(pending, 1);
    blocks.push(await joined.data() as Float32Array);
    tf.dispose([joined, ...pending]);
    pending.length = 0;
  };
  return {
    keepCurve(iteration, values) {
      curveIterations.push(iteration);
      pendingCurves.push(tf.keep(values));
    },
    keepPattern(iteration, values) {
      patternIterations.push(iteration);
      pendingPatterns.push(tf.keep(values));
    },
    async flush() {
      await readBack(pendingCurves, curveBlocks);
      await readBack(pendingPatterns, patternBlocks);
    },
    recorded: () => ({
      curveIterations,
      patternIterations,
      curves: curveBlocks,
      patterns: patternBlocks,
    }),
    async finish(runs, state) {
      await this.flush();
      return assembleRecords(plan, runs, this.recorded(), {
        discriminator: await state.discriminator.data() as Float32Array,
        generator: await state.generator.data() as Float32Array,
      });
    },
    dispose() {
      tf.dispose([...pendingCurves, ...pendingPatterns]);
    },
  };
}

/** What a batch recorded: iterations and the blocks read back (runs × records × values). */

/** Spectral vectors read back, by layer (null for other layers). */
function spectralValues(state: SpectralState): BatchSnapshot["spectral"] {
  return state.map((vectors) =>
    vectors
      ? { u: vectors.u.dataSync() as Float32Array, v: vectors.v.dataSync() as Float32Array }
      : null
  );
}

/** A snapshot of a batch after `done` iterations (the recorder flushed). */
function takeSnapshot(
  plan: BatchPlan,
  state: TrainingState,
  recorder: Recorder,
  done: number,
): BatchSnapshot {
  const recorded = recorder.recorded();
  return {
    iterationsDone: done,
    discriminator: state.discriminator.dataSync() as Float32Array,
    generator: state.generator.dataSync() as Float32Array,
    spectral: spectralValues(state.spectral),
    generatorSpectral: spectralValues(state.generatorSpectral),
    optimisers: {
      discriminator: state.optimiseDiscriminator.save(),
      generator: state.optimiseGenerator.save(),
    },
    ...snapshotStreamsAndRecords(plan, recorded),
  };
}

/** Puts a batch back where a snapshot left it; returns the iteration to continue from. */
function restoreSnapshot(
  plan: BatchPlan,
  state: TrainingState,
  recorder: Recorder,
  snapshot: BatchSnapshot,
): number {
  const shape = (network: Network) => [plan.runs, 1, network.parameterCount] as const;
  const expected = {
    discriminator: plan.runs * plan.discriminator.parameterCount,
    generator: plan.runs * plan.generator.parameterCount,
  };
  if (
    snapshot.discriminator.length !== expected.discriminator ||
    snapshot.generator.length !== expected.generator ||
    snapshot.randoms.length !== plan.runs
  ) {
    throw new NetworkError("the snapshot is of another batch (its sizes differ)");
  }
  tf.dispose([
    state.discriminator,
    state.generator,
    ...state.discriminatorLayers.flat(),
    ...spectralTensors(state.spectral),
    ...spectralTensors(state.generatorSpectral),
  ]);
  state.discriminator = tf.tensor3d(snapshot.discriminator, [...shape(plan.discriminator)]);
  state.generator = tf.tensor3d(snapshot.generator, [...shape(plan.generator)]);
  state.discriminatorLayers = tf.tidy(() =>
    layerParameters(plan.discriminator, state.discriminator)
  ).map((tensors) => tensors.map((t) => tf.keep(t)));
  state.spectral = spectralState(plan.discriminator, plan.runs, snapshot.spectral);
  state.generatorSpectral = spectralState(
    plan.generator,
    plan.runs,
    snapshot.generatorSpectral ?? [],
  );
  state.optimiseDiscriminator.restore(snapshot.optimisers.discriminator);
  state.optimiseGenerator.restore(snapshot.optimisers.generator);
  restoreStreamsAndRecords(plan, recorder.recorded(), snapshot);
  return snapshot.iterationsDone;
}
