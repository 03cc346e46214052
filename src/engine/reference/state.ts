/**
 * The reference engine's batch state as tensors (both players' packed
 * parameters `[R, 1, P]`, D's split per layer, the spectral-norm vectors,
 * the optimisers), its snapshots, and the batches of samples it draws from
 * each run's streams.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { NetworkError } from "../../nn/layers/mod.ts";
import type { createOptimiser } from "../../kinds/optimisers/mod.ts";
import {
  type LayerParameters,
  layerParameters,
  type Network,
  type SpectralState,
} from "../../nn/network.ts";
import type { InitialValues } from "../initial.ts";
import type { BatchPlan } from "../plan.ts";
import type { RecordedBlocks } from "../records.ts";
import {
  type BatchSnapshot,
  restoreStreamsAndRecords,
  snapshotStreamsAndRecords,
} from "../snapshot.ts";

type Optimiser = ReturnType<typeof createOptimiser>;

/** What carries over from one iteration to the next. */
export interface TrainingState {
  discriminator: tf.Tensor;
  /** D's parameters split per layer, for the next iteration's first pass. */
  discriminatorLayers: LayerParameters;
  /** D's spectral-norm vectors (empty without spectral norm). */
  spectral: SpectralState;
  /** G's (empty without spectral norm on G). */
  generatorSpectral: SpectralState;
  generator: tf.Tensor;
  readonly optimiseDiscriminator: Optimiser;
  readonly optimiseGenerator: Optimiser;
  readonly constantInput?: tf.Tensor;
  /** Zeros `[R]`: the penalty column of runs without a penalty. */
  readonly noPenalty: tf.Tensor;
  /** The tensors an iteration replaces (to dispose of after it). */
  tensors(): tf.Tensor[];
  /** Keeps an iteration's results (inside its tidy) as the state. */
  keep(next: {
    discriminator: tf.Tensor;
    discriminatorLayers: LayerParameters;
    spectral: SpectralState;
    generatorSpectral: SpectralState;
    generator: tf.Tensor;
  }): void;
  dispose(): void;
}

/**
 * A batch's state at its start.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trainingState } from "./state.ts";
 * import { initialValues } from "../initial.ts";
 * import { planBatch } from "../plan.ts";
 * import { createOptimiser } from "../../kinds/optimisers/mod.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const runs = [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }];
 * const plan = planBatch(trainingSetup(resolveConfig("book", {})), runs);
 * const sgd = (size: number) => createOptimiser({ name: "sgd" }, [0.01], size);
 * const state = trainingState(plan, initialValues(plan, runs), {
 *   discriminator: sgd(plan.discriminator.parameterCount), generator: sgd(plan.generator.parameterCount),
 * });
 * assertEquals(state.discriminator.shape, [1, 1, 19]);
 * state.dispose();
 * ```
 */
export function trainingState(
  plan: BatchPlan,
  values: InitialValues,
  optimisers: { readonly discriminator: Optimiser; readonly generator: Optimiser },
): TrainingState {
  const parameters = (network: Network, packed: Float32Array) =>
    tf.tensor3d(packed, [plan.runs, 1, network.parameterCount]);
  const state: TrainingState = {
    discriminator: parameters(plan.discriminator, values.discriminator),
    discriminatorLayers: [],
    spectral: spectralState(plan.discriminator, plan.runs, values.spectral),
    generatorSpectral: spectralState(plan.generator, plan.runs, values.generatorSpectral),
    generator: parameters(plan.generator, values.generator),
    optimiseDiscriminator: optimisers.discriminator,
    optimiseGenerator: optimisers.generator,
    constantInput: plan.constantInput ? generatorInputTensor(plan) : undefined,
    noPenalty: tf.zeros([plan.runs]),
    tensors: () => [
      state.discriminator,
      state.generator,
      ...state.discriminatorLayers.flat(),
      ...spectralTensors(state.spectral),
      ...spectralTensors(state.generatorSpectral),
    ],
    keep(next) {
      state.discriminator = tf.keep(next.discriminator);
      state.discriminatorLayers = next.discriminatorLayers.map((tensors) =>
        tensors.map((t) => tf.keep(t))
      );
      state.spectral = next.spectral.map((vectors) =>
        vectors && { u: tf.keep(vectors.u), v: tf.keep(vectors.v) }
      );
      state.generatorSpectral = next.generatorSpectral.map((vectors) =>
        vectors && { u: tf.keep(vectors.u), v: tf.keep(vectors.v) }
      );
      state.generator = tf.keep(next.generator);
    },
    dispose() {
      tf.dispose([
        ...state.tensors(),
        ...state.optimiseDiscriminator.state(),
        ...state.optimiseGenerator.state(),
        ...(state.constantInput ? [state.constantInput] : []),
        state.noPenalty,
      ]);
    },
  };
  state.discriminatorLayers = splitLayers(plan, state.discriminator);
  return state;
}

/** D's packed parameters split per layer, kept. */
function splitLayers(plan: BatchPlan, packed: tf.Tensor): LayerParameters {
  return tf.tidy(() => layerParameters(plan.discriminator, packed))
    .map((tensors) => tensors.map((t) => tf.keep(t)));
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

/** The tensors of a network's spectral vectors. */
function spectralTensors(state: SpectralState): tf.Tensor[] {
  return state.flatMap((vectors) => (vectors ? [vectors.u, vectors.v] : []));
}

/** Spectral vectors read back, by layer (null for other layers). */
function spectralValues(state: SpectralState): BatchSnapshot["spectral"] {
  return state.map((vectors) =>
    vectors
      ? { u: vectors.u.dataSync() as Float32Array, v: vectors.v.dataSync() as Float32Array }
      : null
  );
}

/** A snapshot of a batch after `done` iterations (its records read back). */
export function stateSnapshot(
  plan: BatchPlan,
  state: TrainingState,
  recorded: RecordedBlocks,
  done: number,
): BatchSnapshot {
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

/**
 * Puts a batch back where a snapshot left it.
 *
 * @throws {NetworkError} for a snapshot of another batch.
 */
export function restoreState(
  plan: BatchPlan,
  state: TrainingState,
  recorded: RecordedBlocks,
  snapshot: BatchSnapshot,
): void {
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
  tf.dispose(state.tensors());
  state.discriminator = tf.tensor3d(snapshot.discriminator, [...shape(plan.discriminator)]);
  state.generator = tf.tensor3d(snapshot.generator, [...shape(plan.generator)]);
  state.discriminatorLayers = splitLayers(plan, state.discriminator);
  state.spectral = spectralState(plan.discriminator, plan.runs, snapshot.spectral);
  state.generatorSpectral = spectralState(
    plan.generator,
    plan.runs,
    snapshot.generatorSpectral ?? [],
  );
  state.optimiseDiscriminator.restore(snapshot.optimisers.discriminator);
  state.optimiseGenerator.restore(snapshot.optimisers.generator);
  restoreStreamsAndRecords(plan, recorded, snapshot);
}

/** Critic sample `sample`'s real batch for every run, `[R, B, width]`. */
export function realTensor(plan: BatchPlan, sample: number): tf.Tensor {
  const per = plan.batchSize * plan.width;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) {
    plan.realSource(r, sample, values.subarray(r * per, (r + 1) * per));
  }
  return tf.tensor3d(values, [plan.runs, plan.batchSize, plan.width]);
}

/** The next G input for every run, `[R, B, in]`. */
export function generatorInputTensor(plan: BatchPlan): tf.Tensor {
  const per = plan.batchSize * plan.inputWidth;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) {
    plan.inputSource(r, values.subarray(r * per, (r + 1) * per));
  }
  return tf.tensor3d(values, [plan.runs, plan.batchSize, plan.inputWidth]);
}

/** The next σ·n for every run, `[R, B, width]` (D's next input's instance noise). */
export function noiseTensor(plan: BatchPlan): tf.Tensor {
  const per = plan.batchSize * plan.width;
  const values = new Float32Array(plan.runs * per);
  for (let r = 0; r < plan.runs; r++) plan.noiseSource(r, values.subarray(r * per, (r + 1) * per));
  return tf.mul(tf.tensor3d(values, [plan.runs, plan.batchSize, plan.width]), plan.instanceNoise);
}

/** Critic sample `step`'s interpolation weights for every run, `[R, B, 1]`. */
export function alphaTensor(plan: BatchPlan, step: number): tf.Tensor {
  const values = new Float32Array(plan.runs * plan.batchSize);
  for (let r = 0; r < plan.runs; r++) {
    plan.alphaSource(r, step, values.subarray(r * plan.batchSize, (r + 1) * plan.batchSize));
  }
  return tf.tensor3d(values, [plan.runs, plan.batchSize, 1]);
}
