/**
 * The training engine: R runs that share a network structure trained
 * together as one tensor program, the seed's loop step for step.
 *
 * Each iteration, for every run at once:
 * 1. D on a real sample, target 1; one D step.
 * 2. D on G(z), detached, target 0; one D step.
 * 3. D on G(z), target 1, gradients through D into G; one G step.
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
import { lossGradient, lossGradientAtLogit, type LossName, lossValue } from "./losses.ts";
import {
  backward,
  type BackwardWants,
  createNetwork,
  forward,
  type ForwardPass,
  type Gradients,
  type LayerParameters,
  layerParameters,
  type Network,
} from "./network.ts";
import { createOptimiser, type OptimiserOptions } from "./optimisers.ts";
import { seededParameters } from "./parameters.ts";

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
  /** Replaces the seeded real data: iterations × batch × width numbers. */
  readonly realSamples?: Float32Array;
}

/** The values recorded every `recordEvery` iterations, in this order. */
export const CURVE_COLUMNS = ["d_loss_real", "d_loss_fake", "g_loss", "d_real", "d_fake"] as const;

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

/** Options of {@link trainBatch}. */
export interface TrainOptions {
  /** Called every `progressEvery` iterations and at the end. */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Iterations between progress calls and device read-backs (default 1000). */
  readonly progressEvery?: number;
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
  const { onProgress, progressEvery = 1000 } = options;
  const state = initialState(plan, runs);
  const recorder = createRecorder(plan);
  try {
    for (let iteration = 0; iteration < plan.iterations; iteration++) {
      trainIteration(plan, state, recorder, iteration);
      const done = iteration + 1;
      if (done % progressEvery === 0 || done === plan.iterations) {
        await recorder.flush();
        onProgress?.({ iterationsDone: done, iterations: plan.iterations, runs: plan.runs });
      }
    }
    return await recorder.finish(runs, state);
  } finally {
    state.dispose();
    recorder.dispose();
  }
}

interface BatchPlan {
  readonly discriminator: Network;
  readonly generator: Network;
  readonly loss: LossName;
  readonly optimisers: TrainingSetup["optimisers"];
  readonly iterations: number;
  readonly runs: number;
  readonly batchSize: number;
  readonly width: number;
  readonly inputWidth: number;
  readonly recordEvery: number;
  readonly patternEvery: number;
  readonly realSource: (run: number, iteration: number, into: Float32Array) => void;
  readonly inputSource: (run: number, into: Float32Array) => void;
  readonly constantInput: boolean;
}

/** A setup with every default filled in. */
function withDefaults(setup: TrainingSetup): Required<TrainingSetup> {
  return {
    batchSize: 1,
    generatorInput: { kind: "constant", value: 0.5 },
    pattern: SEED_PATTERN,
    recordEvery: 10,
    patternEvery: 100,
    ...Object.fromEntries(Object.entries(setup).filter(([, value]) => value !== undefined)),
  } as Required<TrainingSetup>;
}

function planBatch(setup: TrainingSetup, runs: readonly RunSetup[]): BatchPlan {
  const { batchSize, generatorInput, pattern, recordEvery, patternEvery, iterations } =
    withDefaults(setup);
  if (runs.length === 0) throw new NetworkError("a batch needs at least one run");
  checkSetup(setup);
  const gIn = inputWidth(generatorInput);
  const perIteration = batchSize * pattern.width;
  const streams = runs.map((run) => {
    if (run.realSamples && run.realSamples.length < iterations * perIteration) {
      throw new NetworkError(
        `run ${run.seed}: realSamples holds ${run.realSamples.length} numbers, needs ${
          iterations * perIteration
        }`,
      );
    }
    return realDataStream(run.seed, pattern);
  });
  const inputs = runs.map((run) => generatorInputStream(run.seed, generatorInput));
  return {
    discriminator: createNetwork(setup.discriminator),
    generator: createNetwork(setup.generator),
    loss: setup.loss,
    optimisers: setup.optimisers,
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
      } else streams[run](into);
    },
    inputSource: (run, into) => inputs[run](into),
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
  const counts = { iterations, batchSize, recordEvery, patternEvery };
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
  generator: tf.Tensor;
  readonly optimiseDiscriminator: ReturnType<typeof createOptimiser>;
  readonly optimiseGenerator: ReturnType<typeof createOptimiser>;
  readonly constantInput?: tf.Tensor;
  dispose(): void;
}

function initialState(plan: BatchPlan, runs: readonly RunSetup[]): TrainingState {
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
    return tf.tensor3d(values, [plan.runs, 1, network.parameterCount]);
  };
  const initial = runs.map((run) =>
    run.initialParameters ??
      seededParameters(run.seed, plan.discriminator.layers, plan.generator.layers)
  );
  const state: TrainingState = {
    discriminator: packed(plan.discriminator, initial.map((p) => p.discriminator)),
    discriminatorLayers: [],
    generator: packed(plan.generator, initial.map((p) => p.generator)),
    optimiseDiscriminator: createOptimiser(
      plan.optimisers.discriminator,
      runs.map((run) => run.learningRates.discriminator),
      plan.discriminator.parameterCount,
    ),
    optimiseGenerator: createOptimiser(
      plan.optimisers.generator,
      runs.map((run) => run.learningRates.generator),
      plan.generator.parameterCount,
    ),
    constantInput: plan.constantInput ? generatorInputTensor(plan) : undefined,
    dispose() {
      tf.dispose([
        ...state.discriminatorLayers.flat(),
        state.discriminator,
        state.generator,
        ...state.optimiseDiscriminator.state(),
        ...state.optimiseGenerator.state(),
        ...(state.constantInput ? [state.constantInput] : []),
      ]);
    },
  };
  state.discriminatorLayers = tf.tidy(() =>
    layerParameters(plan.discriminator, state.discriminator)
  )
    .map((tensors) => tensors.map((t) => tf.keep(t)));
  return state;
}

function realTensor(plan: BatchPlan, iteration: number): tf.Tensor {
  const per = plan.batchSize * plan.width;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) {
    plan.realSource(r, iteration, values.subarray(r * per, (r + 1) * per));
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

function trainIteration(
  plan: BatchPlan,
  state: TrainingState,
  recorder: Recorder,
  iteration: number,
): void {
  const done = iteration + 1;
  const recordCurve = done % plan.recordEvery === 0;
  const recordPattern = done % plan.patternEvery === 0;
  const { discriminator: D, generator: G, loss } = plan;
  const previous = [state.discriminator, state.generator, ...state.discriminatorLayers.flat()];
  tf.tidy(() => {
    // 1. D on real data, target 1.
    const real = realTensor(plan, iteration);
    const onReal = forward(D, state.discriminatorLayers, real);
    let d = state.optimiseDiscriminator.step(
      state.discriminator,
      fromLoss(plan, onReal, 1, { parameters: true, input: false }).parameters!,
    );
    // 2. D on G(z), detached, target 0.
    const z = state.constantInput ?? generatorInputTensor(plan);
    const generated = forward(G, state.generator, z);
    const onFake = forward(D, d, generated.output);
    d = state.optimiseDiscriminator.step(
      d,
      fromLoss(plan, onFake, 0, { parameters: true, input: false }).parameters!,
    );
    const dLayers = layerParameters(D, d);
    // 3. G through D, target 1. A constant z gives the same G(z) as step 2.
    const zAgain = state.constantInput ?? generatorInputTensor(plan);
    const generatedAgain = zAgain === z ? generated : forward(G, state.generator, zAgain);
    const throughD = forward(D, dLayers, generatedAgain.output);
    const intoG = fromLoss(plan, throughD, 1, { parameters: false, input: true }).input!;
    const g = state.optimiseGenerator.step(
      state.generator,
      backward(G, generatedAgain, intoG, { parameters: true, input: false }).parameters!,
    );
    if (recordCurve) {
      recorder.keepCurve(
        done,
        tf.stack([
          lossValue(loss, onReal.output, 1),
          lossValue(loss, onFake.output, 0),
          lossValue(loss, throughD.output, 1),
          tf.mean(onReal.output, [1, 2]),
          tf.mean(throughD.output, [1, 2]),
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
    state.generator = tf.keep(g);
  });
  tf.dispose(previous);
}

/**
 * Back-propagates the loss through D. When D ends with a sigmoid, the loss's
 * gradient is taken at the logit, which saves the sigmoid's backward kernels.
 */
function fromLoss(
  plan: BatchPlan,
  pass: ForwardPass,
  target: 0 | 1,
  wants: BackwardWants,
): Gradients {
  const D = plan.discriminator;
  const last = D.layers.length - 1;
  if (D.layers[last].type === "sigmoid") {
    const gradient = lossGradientAtLogit(plan.loss, pass.output, target);
    return backward(D, pass, gradient, { ...wants, fromLayer: last - 1 });
  }
  return backward(D, pass, lossGradient(plan.loss, pass.output, target), wants);
}

interface Recorder {
  keepCurve(iteration: number, values: tf.Tensor): void;
  keepPattern(iteration: number, values: tf.Tensor): void;
  flush(): Promise<void>;
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
    async finish(runs, state) {
      await this.flush();
      const dValues = await state.discriminator.data() as Float32Array;
      const gValues = await state.generator.data() as Float32Array;
      const curveCount = curveIterations.length;
      const columns = CURVE_COLUMNS.length;
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
        const dSize = plan.discriminator.parameterCount;
        const gSize = plan.generator.parameterCount;
        return {
          seed: run.seed,
          curveIterations,
          curves,
          patternIterations,
          patterns,
          divergedAt: firstNonFinite(
            curveIterations,
            curves,
            patternIterations,
            patterns,
            plan.width,
          ),
          finalParameters: {
            discriminator: dValues.slice(r * dSize, (r + 1) * dSize),
            generator: gValues.slice(r * gSize, (r + 1) * gSize),
          },
        };
      });
    },
    dispose() {
      tf.dispose([...pendingCurves, ...pendingPatterns]);
    },
  };
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
