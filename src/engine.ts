/**
 * The reference engine: R runs that share a network structure trained
 * together as one tensor program of tf ops, the seed's loop step for step.
 * The fused engine (`fused/`) runs the same loop and is tested against it;
 * `train.ts` chooses between them.
 *
 * Each iteration, for every run at once, `dSteps` times (critic steps):
 * 1. D on the next real sample, its loss on real samples (+ an `r1`
 *    penalty); one D step (then a `weightClip` clamp).
 * 2. D on G(z), detached, its loss on G's samples (+ a `gradientPenalty`);
 *    one D step (then the clamp).
 * Then once: 3. D on G(z), G's loss, gradients through D into G; one G step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  type GeneratorInput,
  generatorInputStream,
  inputWidth,
  type PatternSpec,
  realDataStream,
  SEED_PATTERN,
} from "./data.ts";
import { checkNetwork, type Layer, NetworkError } from "./layers.ts";
import { lossKind, type LossName, type LossTermName } from "./losses.ts";
import {
  advanceSpectral,
  backward,
  type BackwardWants,
  createNetwork,
  forward,
  type ForwardPass,
  type Gradients,
  hasSpectralNorm,
  type LayerParameters,
  layerParameters,
  type Network,
  type SpectralState,
} from "./network.ts";
import { createOptimiser, type OptimiserOptions, type OptimiserSnapshot } from "./optimisers.ts";
import { seededParameters, seededSpectralVectors } from "./parameters.ts";
import {
  PENALTY_KINDS,
  type PenaltyContext,
  type PenaltyKind,
  type PenaltyValue,
  type ResolvedPenalty,
} from "./penalties.ts";
import { createRandom, type Random, STREAMS } from "./random.ts";

/** What every run in a batch shares. */
export interface TrainingSetup {
  readonly discriminator: readonly Layer[];
  readonly generator: readonly Layer[];
  readonly loss: LossName;
  /** One optimiser for each network; their learning rates are per run. */
  readonly optimisers: {
    readonly discriminator: OptimiserOptions;
    readonly generator: OptimiserOptions;
  };
  readonly iterations: number;
  /** A penalty or constraint on D (default none). */
  readonly penalty?: ResolvedPenalty;
  /** D (critic) steps per G step, each on its own real sample (default 1). */
  readonly dSteps?: number;
  /** Samples per optimiser step (default 1, the seed's). */
  readonly batchSize?: number;
  /** Default: the constant 0.5. */
  readonly generatorInput?: GeneratorInput;
  /** Default: the seed's 101010 pattern. */
  readonly pattern?: PatternSpec;
  /** Record losses every this many iterations (default 10, the seed's). */
  readonly recordEvery?: number;
  /** Record G's output every this many iterations (default 100). */
  readonly patternEvery?: number;
}

/** What is particular to one run. */
export interface RunSetup {
  /** Seeds the run's weights, real data and noise. */
  readonly seed: number;
  readonly learningRates: { readonly discriminator: number; readonly generator: number };
  /** Replaces the seeded initial weights (packed, as `parameters.ts` lays out). */
  readonly initialParameters?: {
    readonly discriminator: Float32Array;
    readonly generator: Float32Array;
  };
  /** Replaces the seeded real data: iterations × dSteps × batch × width numbers. */
  readonly realSamples?: Float32Array;
  /** Replaces the seeded spectral-norm vectors of D's wrapped layers, by layer index. */
  readonly initialSpectral?: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
  /** Replaces the seeded interpolation weights of a gradient penalty, one per critic step and sample. */
  readonly alphas?: Float32Array;
  /** This run's optimiser settings, where runs of a batch differ in them (same optimiser). */
  readonly optimiser?: OptimiserOptions;
  /** This run's penalty setting, where runs of a batch differ in it (same penalty). */
  readonly penalty?: ResolvedPenalty;
}

/**
 * The values recorded every `recordEvery` iterations, in this order: the
 * loss terms and D's outputs of the last critic step, G's loss, and the
 * penalty term of the last critic step (0 without a penalty).
 */
export const CURVE_COLUMNS = [
  "d_loss_real",
  "d_loss_fake",
  "g_loss",
  "d_real",
  "d_fake",
  "penalty",
] as const;

/** One of the recorded curve values. */
export type CurveColumn = typeof CURVE_COLUMNS[number];

/** What training recorded for one run. */
export interface RunRecord {
  readonly seed: number;
  /** Iterations completed at each curve record (10, 20, … by default). */
  readonly curveIterations: readonly number[];
  readonly curves: Record<CurveColumn, Float32Array>;
  /** Iterations completed at each record of G's output. */
  readonly patternIterations: readonly number[];
  /** G's output after those iterations, `patternIterations.length × width`. */
  readonly patterns: Float32Array;
  /** The first recorded iteration with a NaN or infinite value, or null. */
  readonly divergedAt: number | null;
  readonly finalParameters: {
    readonly discriminator: Float32Array;
    readonly generator: Float32Array;
  };
}

/** Progress while a batch trains. */
export interface TrainProgress {
  readonly iterationsDone: number;
  readonly iterations: number;
  readonly runs: number;
}

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

/** Options of {@link trainBatch}. */
export interface TrainOptions {
  /** Called every `progressEvery` iterations and at the end. */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Iterations between progress calls and device read-backs (default 1000). */
  readonly progressEvery?: number;
  /** Take snapshots while training (none by default). */
  readonly checkpoint?: CheckpointOptions;
  /** Continue from a snapshot of the same batch instead of from the start. */
  readonly resume?: BatchSnapshot;
}

/**
 * Trains every run of `runs` with the shared `setup`, as one tensor program.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trainBatch } from "./engine.ts";
 * import { resolveConfig, trainingSetup } from "./factors.ts";
 * const [record] = await trainBatch(
 *   { ...trainingSetup(resolveConfig("book", {})), iterations: 100 },
 *   [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 * );
 * assertEquals(record.curves.g_loss.length, 10);
 * ```
 */
export async function trainBatch(
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

/**
 * Whether a snapshot is due after `done` of `total` iterations: `every`
 * iterations or `seconds` since the last one, whichever first; never at the end.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkpointDue } from "./engine.ts";
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

/** A batch with every default filled in and its random sources set up. */
export interface BatchPlan {
  readonly discriminator: Network;
  readonly generator: Network;
  readonly loss: LossName;
  readonly optimisers: TrainingSetup["optimisers"];
  readonly penalty?: ResolvedPenalty;
  /** The penalty's setting: one number, or one per run where they differ. */
  readonly penaltyValue?: PenaltyValue;
  readonly dSteps: number;
  readonly iterations: number;
  readonly runs: number;
  readonly batchSize: number;
  readonly width: number;
  readonly inputWidth: number;
  readonly recordEvery: number;
  readonly patternEvery: number;
  readonly realSource: (run: number, iteration: number, into: Float32Array) => void;
  readonly inputSource: (run: number, into: Float32Array) => void;
  readonly alphaSource: (run: number, step: number, into: Float32Array) => void;
  /** Each run's random streams (real data, G's input, interpolates), for checkpoints. */
  readonly randoms: readonly (readonly Random[])[];
  readonly constantInput: boolean;
}

/** A setup with every default filled in. */
function withDefaults(setup: TrainingSetup): Required<TrainingSetup> {
  return {
    batchSize: 1,
    dSteps: 1,
    penalty: undefined,
    generatorInput: { kind: "constant", value: 0.5 },
    pattern: SEED_PATTERN,
    recordEvery: 10,
    patternEvery: 100,
    ...Object.fromEntries(Object.entries(setup).filter(([, value]) => value !== undefined)),
  } as unknown as Required<TrainingSetup>;
}

/**
 * Plans a batch: checks the setup, fills in defaults, opens each run's random streams.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { planBatch } from "./engine.ts";
 * import { resolveConfig, trainingSetup } from "./factors.ts";
 * const plan = planBatch(trainingSetup(resolveConfig("seed", {})), [
 *   { seed: 1, learningRates: { discriminator: 0.001, generator: 0.01 } },
 * ]);
 * assertEquals([plan.runs, plan.width, plan.dSteps, plan.recordEvery], [1, 6, 1, 10]);
 * ```
 */
export function planBatch(setup: TrainingSetup, runs: readonly RunSetup[]): BatchPlan {
  const { batchSize, generatorInput, pattern, recordEvery, patternEvery, iterations, dSteps } =
    withDefaults(setup);
  if (runs.length === 0) throw new NetworkError("a batch needs at least one run");
  checkSetup(setup);
  const gIn = inputWidth(generatorInput);
  const perIteration = batchSize * pattern.width;
  const streams = runs.map((run) => {
    const needed = iterations * dSteps * perIteration;
    if (run.realSamples && run.realSamples.length < needed) {
      throw new NetworkError(
        `run ${run.seed}: realSamples holds ${run.realSamples.length} numbers, needs ${needed}`,
      );
    }
    return realDataStream(run.seed, pattern);
  });
  const inputs = runs.map((run) => generatorInputStream(run.seed, generatorInput));
  const alphaStreams = runs.map((run) => createRandom(run.seed, STREAMS.penalty));
  const randoms = runs.map((_, r) => [streams[r].random, inputs[r].random, alphaStreams[r]]);
  return {
    discriminator: createNetwork(setup.discriminator),
    generator: createNetwork(setup.generator),
    loss: setup.loss,
    optimisers: setup.optimisers,
    penalty: setup.penalty,
    penaltyValue: penaltyValueOf(setup.penalty, runs),
    dSteps,
    iterations,
    runs: runs.length,
    batchSize,
    width: pattern.width,
    inputWidth: gIn,
    recordEvery,
    patternEvery,
    realSource: (run, iteration, into) => {
      const given = runs[run].realSamples;
      if (given) {
        into.set(given.subarray(iteration * perIteration, (iteration + 1) * perIteration));
      } else streams[run].fill(into);
    },
    inputSource: (run, into) => inputs[run].fill(into),
    randoms,
    alphaSource: (run, step, into) => {
      const given = runs[run].alphas;
      if (given) into.set(given.subarray(step * batchSize, (step + 1) * batchSize));
      else for (let i = 0; i < into.length; i++) into[i] = alphaStreams[run].next();
    },
    constantInput: generatorInput.kind === "constant",
  };
}

/**
 * Checks that a setup can be trained: positive counts, layer stacks that fit
 * the pattern and the generator's input, batch_norm only with batches ≥ 2.
 *
 * @throws {NetworkError} naming what is wrong.
 */
export function checkSetup(setup: TrainingSetup): void {
  const { batchSize, generatorInput, pattern, recordEvery, patternEvery, iterations } =
    withDefaults(setup);
  const counts = { iterations, batchSize, recordEvery, patternEvery, dSteps: setup.dSteps ?? 1 };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new NetworkError(`${name} must be a positive integer (got ${value})`);
    }
  }
  const dOut = checkNetwork(setup.discriminator, pattern.width, batchSize, "discriminator");
  if (dOut !== 1) throw new NetworkError(`discriminator: must end with 1 output (has ${dOut})`);
  const gOut = checkNetwork(setup.generator, inputWidth(generatorInput), batchSize, "generator");
  if (gOut !== pattern.width) {
    throw new NetworkError(
      `generator: must output the pattern's width ${pattern.width} (has ${gOut})`,
    );
  }
}

interface TrainingState {
  discriminator: tf.Tensor;
  /** The discriminator's parameters split per layer: used by step 3 and the next step 1. */
  discriminatorLayers: LayerParameters;
  /** D's spectral-norm vectors (empty without spectral norm). */
  spectral: SpectralState;
  generator: tf.Tensor;
  readonly optimiseDiscriminator: ReturnType<typeof createOptimiser>;
  readonly optimiseGenerator: ReturnType<typeof createOptimiser>;
  readonly constantInput?: tf.Tensor;
  /** Zeros `[R]`: the penalty column of runs without a penalty. */
  readonly noPenalty: tf.Tensor;
  dispose(): void;
}

/** Every run's starting numbers, packed for the batch. */
export interface InitialValues {
  /** `R × P` each. */
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  /** D's spectral-norm vectors by layer, `R × out` and `R × in` (undefined for other layers). */
  readonly spectral: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
}

/**
 * Each run's seeded (or given) weights and spectral vectors, packed run
 * after run: what both engines start from.
 *
 * @throws {NetworkError} when a given array does not fit the network.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { initialValues, planBatch } from "./engine.ts";
 * import { resolveConfig, trainingSetup } from "./factors.ts";
 * const rates = { discriminator: 0.01, generator: 0.01 };
 * const runs = [{ seed: 1, learningRates: rates }, { seed: 2, learningRates: rates }];
 * const values = initialValues(planBatch(trainingSetup(resolveConfig("book", {})), runs), runs);
 * assertEquals(values.discriminator.length, 2 * 19);
 * ```
 */
export function initialValues(plan: BatchPlan, runs: readonly RunSetup[]): InitialValues {
  const packed = (network: Network, perRun: readonly Float32Array[]) => {
    const values = new Float32Array(plan.runs * network.parameterCount);
    runs.forEach((run, r) => {
      const own = perRun[r];
      if (own.length !== network.parameterCount) {
        throw new NetworkError(
          `run ${run.seed}: has ${own.length} parameters, the network ${network.parameterCount}`,
        );
      }
      values.set(own, r * network.parameterCount);
    });
    return values;
  };
  const initial = runs.map((run) =>
    run.initialParameters ??
      seededParameters(run.seed, plan.discriminator.layers, plan.generator.layers)
  );
  return {
    discriminator: packed(plan.discriminator, initial.map((p) => p.discriminator)),
    generator: packed(plan.generator, initial.map((p) => p.generator)),
    spectral: initialSpectral(plan.discriminator, runs),
  };
}

function initialState(plan: BatchPlan, runs: readonly RunSetup[]): TrainingState {
  const values = initialValues(plan, runs);
  const parameters = (network: Network, packed: Float32Array) =>
    tf.tensor3d(packed, [plan.runs, 1, network.parameterCount]);
  const state: TrainingState = {
    discriminator: parameters(plan.discriminator, values.discriminator),
    discriminatorLayers: [],
    spectral: values.spectral.map((vectors, index) => {
      const layer = plan.discriminator.layers[index];
      if (!vectors || layer.type !== "linear") return undefined;
      return {
        u: tf.tensor3d(vectors.u, [plan.runs, layer.out, 1]),
        v: tf.tensor3d(vectors.v, [plan.runs, layer.in, 1]),
      };
    }),
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

/**
 * Each run's own optimiser settings, if every run states them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { perRunOptimisers } from "./engine.ts";
 * const rates = { discriminator: 0.01, generator: 0.01 };
 * assertEquals(perRunOptimisers([{ seed: 1, learningRates: rates }]), undefined);
 * ```
 */
export function perRunOptimisers(runs: readonly RunSetup[]): OptimiserOptions[] | undefined {
  return runs.every((run) => run.optimiser) ? runs.map((run) => run.optimiser!) : undefined;
}

/** The penalty's setting for the batch: one number, or one per run where they differ. */
function penaltyValueOf(
  penalty: ResolvedPenalty | undefined,
  runs: readonly RunSetup[],
): PenaltyValue | undefined {
  if (!penalty) return undefined;
  const setting = PENALTY_KINDS[penalty.name].setting;
  const values = runs.map((run) => {
    const own = run.penalty ?? penalty;
    if (own.name !== penalty.name) {
      throw new NetworkError(`run ${run.seed}: every run of a batch has the batch's penalty`);
    }
    return (own as unknown as Record<string, number>)[setting];
  });
  return values.every((value) => value === values[0]) ? values[0] : values;
}

/** Each run's spectral-norm vectors for D's wrapped layers, packed run after run. */
function initialSpectral(network: Network, runs: readonly RunSetup[]): InitialValues["spectral"] {
  if (!hasSpectralNorm(network)) return [];
  const seeded = runs.map((run) =>
    run.initialSpectral ?? seededSpectralVectors(run.seed, network.layers)
  );
  return network.layers.map((layer, index) => {
    if (layer.type !== "linear" || !layer.spectralNorm) return undefined;
    const stacked = (pick: "u" | "v", size: number) => {
      const values = new Float32Array(runs.length * size);
      seeded.forEach((vectors, r) => {
        const own = vectors[index]?.[pick];
        if (!own || own.length !== size) {
          throw new NetworkError(
            `run ${runs[r].seed}: layer ${index} needs a spectral ${pick} of ${size} numbers`,
          );
        }
        values.set(own, r * size);
      });
      return values;
    };
    return { u: stacked("u", layer.out), v: stacked("v", layer.in) };
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
  const { discriminator: D, generator: G } = plan;
  const penalty = plan.penalty;
  const penaltyKind: PenaltyKind | undefined = penalty && PENALTY_KINDS[penalty.name];
  const penaltyValue = plan.penaltyValue;
  const previous = [
    state.discriminator,
    state.generator,
    ...state.discriminatorLayers.flat(),
    ...spectralTensors(state.spectral),
  ];
  tf.tidy(() => {
    let d = state.discriminator;
    let dLayers = state.discriminatorLayers;
    let spectral = state.spectral;
    const advance = (layers: LayerParameters, from: SpectralState) =>
      from.length ? advanceSpectral(D, layers, from) : from;
    const stepD = (parameters: tf.Tensor, gradient: tf.Tensor) => {
      const next = state.optimiseDiscriminator.step(parameters, gradient);
      return penaltyKind?.afterStep ? penaltyKind.afterStep(next, penaltyValue!) : next;
    };
    let onReal!: ForwardPass;
    let onFake!: ForwardPass;
    let penaltyTerm: tf.Tensor | undefined;
    let z!: tf.Tensor;
    let generated!: ForwardPass;
    for (let k = 0; k < plan.dSteps; k++) {
      const sample = iteration * plan.dSteps + k;
      const context = (parameters: tf.Tensor, real: tf.Tensor, fake: tf.Tensor) =>
        ({
          network: D,
          parameters,
          spectral,
          real,
          fake,
          alphas: () => alphaTensor(plan, sample),
          advance: (from) => advance(layerParameters(D, parameters), from),
        }) satisfies PenaltyContext;
      // 1. D on real data.
      const real = realTensor(plan, sample);
      spectral = advance(dLayers, spectral);
      onReal = forward(D, dLayers, real, spectral);
      let gradient = fromLoss(plan, onReal, "real", { parameters: true, input: false }).parameters!;
      // 2's sample: G(z), detached. A constant z gives the same G(z) in every critic step.
      if (k === 0 || !state.constantInput) {
        z = state.constantInput ?? generatorInputTensor(plan);
        generated = forward(G, state.generator, z);
      }
      if (penaltyKind?.onReal) {
        const term = penaltyKind.onReal(context(d, real, generated.output), penaltyValue!);
        gradient = tf.add(gradient, term.gradient);
        penaltyTerm = term.value;
      }
      d = stepD(d, gradient);
      // 2. D on G(z).
      const dAfterReal = layerParameters(D, d);
      spectral = advance(dAfterReal, spectral);
      onFake = forward(D, dAfterReal, generated.output, spectral);
      gradient = fromLoss(plan, onFake, "fake", { parameters: true, input: false }).parameters!;
      if (penaltyKind?.onFake) {
        const term = penaltyKind.onFake(context(d, real, generated.output), penaltyValue!);
        gradient = tf.add(gradient, term.gradient);
        penaltyTerm = term.value;
        spectral = term.spectral ?? spectral;
      }
      d = stepD(d, gradient);
      dLayers = layerParameters(D, d);
    }
    // 3. G through D. A constant z gives the same G(z) as step 2.
    const zAgain = state.constantInput ?? generatorInputTensor(plan);
    const generatedAgain = zAgain === z ? generated : forward(G, state.generator, zAgain);
    spectral = advance(dLayers, spectral);
    const throughD = forward(D, dLayers, generatedAgain.output, spectral);
    const intoG = fromLoss(plan, throughD, "generator", { parameters: false, input: true }).input!;
    const g = state.optimiseGenerator.step(
      state.generator,
      backward(G, generatedAgain, intoG, { parameters: true, input: false }).parameters!,
    );
    if (recordCurve) {
      const loss = lossKind(plan.loss);
      recorder.keepCurve(
        done,
        tf.stack([
          loss.real.value(onReal.output),
          loss.fake.value(onFake.output),
          loss.generator.value(throughD.output),
          tf.mean(onReal.output, [1, 2]),
          tf.mean(throughD.output, [1, 2]),
          penaltyTerm ?? state.noPenalty,
        ], 1),
      );
    }
    if (recordPattern) {
      const after = forward(G, g, zAgain);
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
export interface Recorded {
  readonly curveIterations: readonly number[];
  readonly patternIterations: readonly number[];
  readonly curves: readonly Float32Array[];
  readonly patterns: readonly Float32Array[];
}

/** What was recorded so far, as the recorders keep it (blocks appended as they are read back). */
export interface RecordedBlocks {
  readonly curveIterations: number[];
  readonly patternIterations: number[];
  readonly curves: Float32Array[];
  readonly patterns: Float32Array[];
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

/**
 * Each run's record from what its batch recorded and its final packed
 * parameters (`R × P` each): blocks hold, per run, its curve values
 * (`CURVE_COLUMNS` per record) or its G outputs (`width` per record).
 */
export function assembleRecords(
  plan: BatchPlan,
  runs: readonly RunSetup[],
  { curveIterations, patternIterations, curves: curveBlocks, patterns: patternBlocks }: Recorded,
  final: { readonly discriminator: Float32Array; readonly generator: Float32Array },
): RunRecord[] {
  const curveCount = curveIterations.length;
  const columns = CURVE_COLUMNS.length;
  const dSize = plan.discriminator.parameterCount;
  const gSize = plan.generator.parameterCount;
  return runs.map((run, r) => {
    const curves = Object.fromEntries(
      CURVE_COLUMNS.map((name) => [name, new Float32Array(curveCount)]),
    ) as Record<CurveColumn, Float32Array>;
    let index = 0;
    for (const block of curveBlocks) {
      const perRun = block.length / plan.runs;
      for (let k = 0; k < perRun / columns; k++, index++) {
        CURVE_COLUMNS.forEach((name, c) => {
          curves[name][index] = block[r * perRun + k * columns + c];
        });
      }
    }
    const patterns = new Float32Array(patternIterations.length * plan.width);
    let offset = 0;
    for (const block of patternBlocks) {
      const perRun = block.length / plan.runs;
      patterns.set(block.subarray(r * perRun, (r + 1) * perRun), offset);
      offset += perRun;
    }
    return {
      seed: run.seed,
      curveIterations,
      curves,
      patternIterations,
      patterns,
      divergedAt: firstNonFinite(curveIterations, curves, patternIterations, patterns, plan.width),
      finalParameters: {
        discriminator: final.discriminator.slice(r * dSize, (r + 1) * dSize),
        generator: final.generator.slice(r * gSize, (r + 1) * gSize),
      },
    };
  });
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
    spectral: state.spectral.map((vectors) =>
      vectors
        ? { u: vectors.u.dataSync() as Float32Array, v: vectors.v.dataSync() as Float32Array }
        : null
    ),
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
  ]);
  state.discriminator = tf.tensor3d(snapshot.discriminator, [...shape(plan.discriminator)]);
  state.generator = tf.tensor3d(snapshot.generator, [...shape(plan.generator)]);
  state.discriminatorLayers = tf.tidy(() =>
    layerParameters(plan.discriminator, state.discriminator)
  ).map((tensors) => tensors.map((t) => tf.keep(t)));
  state.spectral = snapshot.spectral.map((vectors, index) => {
    const layer = plan.discriminator.layers[index];
    if (!vectors || layer.type !== "linear") return undefined;
    return {
      u: tf.tensor3d(vectors.u, [plan.runs, layer.out, 1]),
      v: tf.tensor3d(vectors.v, [plan.runs, layer.in, 1]),
    };
  });
  state.optimiseDiscriminator.restore(snapshot.optimisers.discriminator);
  state.optimiseGenerator.restore(snapshot.optimisers.generator);
  restoreStreamsAndRecords(plan, recorder.recorded(), snapshot);
  return snapshot.iterationsDone;
}

function firstNonFinite(
  curveIterations: readonly number[],
  curves: Record<CurveColumn, Float32Array>,
  patternIterations: readonly number[],
  patterns: Float32Array,
  width: number,
): number | null {
  let first: number | null = null;
  for (let k = 0; k < curveIterations.length; k++) {
    if (CURVE_COLUMNS.some((name) => !Number.isFinite(curves[name][k]))) {
      first = curveIterations[k];
      break;
    }
  }
  for (let k = 0; k < patternIterations.length; k++) {
    if (first !== null && patternIterations[k] >= first) break;
    for (let i = 0; i < width; i++) {
      if (!Number.isFinite(patterns[k * width + i])) return patternIterations[k];
    }
  }
  return first;
}
