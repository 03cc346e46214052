/**
 * The fused training kernel, registered in tfjs's kernel registry for the
 * wasm and cpu backends: one `runKernel` call trains a chunk of iterations
 * of a whole batch, reading and writing the backend's memory directly (the
 * wasm heap, or the cpu backend's arrays) instead of launching ~300 kernels
 * per iteration.
 *
 * Inputs: the batch's state tensors in {@link stateLayout}'s order. Outputs:
 * the same tensors after the chunk, then its curve and pattern records.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { CURVE_COLUMNS } from "../step.ts";
import type { Layer } from "../../nn/layers/mod.ts";
import type { FusedProgram, FusedState } from "./program.ts";

/** The kernel's name in tfjs's registry. */
export const TRAIN_STEPS_KERNEL = "GansweepTrainSteps";

/**
 * The sizes of the state tensors, in the kernel's order (D's and G's
 * parameters, each optimiser's buffers, D's spectral vectors, G's), and how
 * to read them as a state.
 */
export function stateLayout(program: FusedProgram) {
  const { plan, optimisers } = program;
  const d = plan.discriminator.parameterCount;
  const g = plan.generator.parameterCount;
  const wrapped = (layers: readonly Layer[]) =>
    layers.flatMap((layer, index) =>
      layer.type === "linear" && layer.spectralNorm ? [{ index, u: layer.out, v: layer.in }] : []
    );
  const spectralLayers = wrapped(plan.discriminator.layers);
  const generatorSpectralLayers = wrapped(plan.generator.layers);
  const sizes = [
    d,
    g,
    ...Array(optimisers.discriminator.buffers).fill(d),
    ...Array(optimisers.generator.buffers).fill(g),
    ...spectralLayers.flatMap(({ u, v }) => [u, v]),
    ...generatorSpectralLayers.flatMap(({ u, v }) => [u, v]),
  ];
  return {
    /** `[R, n]` per state tensor. */
    shapes: sizes.map((size) => [plan.runs, size]),
    spectralLayers,
    generatorSpectralLayers,
    /** The state as views of `buffers` (one per state tensor, in order). */
    state(buffers: readonly Float32Array[]): FusedState {
      const dBuffers = optimisers.discriminator.buffers;
      const gBuffers = optimisers.generator.buffers;
      const spectralAt = 2 + dBuffers + gBuffers;
      const vectors = (
        layers: readonly Layer[],
        wrappedLayers: readonly { index: number }[],
        at: number,
      ): FusedState["spectral"] =>
        wrappedLayers.length
          ? layers.map((_, index) => {
            const k = wrappedLayers.findIndex((layer) => layer.index === index);
            return k < 0 ? undefined : { u: buffers[at + 2 * k], v: buffers[at + 2 * k + 1] };
          })
          : [];
      return {
        discriminator: buffers[0],
        generator: buffers[1],
        discriminatorOptimiser: buffers.slice(2, 2 + dBuffers),
        generatorOptimiser: buffers.slice(2 + dBuffers, spectralAt),
        spectral: vectors(plan.discriminator.layers, spectralLayers, spectralAt),
        generatorSpectral: vectors(
          plan.generator.layers,
          generatorSpectralLayers,
          spectralAt + 2 * spectralLayers.length,
        ),
      };
    },
  };
}

interface KernelBackend {
  /** wasm */
  makeOutput?(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap?(info: tf.TensorInfo): Float32Array;
  /** cpu */
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  data?: { get(dataId: object): { values: Float32Array } };
}

/** Allocates an output on the backend. */
function output(backend: KernelBackend, shape: number[]): tf.TensorInfo {
  // Only wasm reads tensors from a heap (cpu's makeOutput takes other arguments).
  if (backend.typedArrayFromHeap) return backend.makeOutput!(shape, "float32");
  return backend.makeTensorInfo!(shape, "float32", new Float32Array(tf.util.sizeFromShape(shape)));
}

/** A view of a tensor's memory on the backend (taken after every allocation). */
function view(backend: KernelBackend, info: tf.TensorInfo): Float32Array {
  if (backend.typedArrayFromHeap) return backend.typedArrayFromHeap(info);
  return backend.data!.get(info.dataId).values;
}

interface TrainStepsAttrs {
  program: FusedProgram;
  first: number;
  count: number;
}

function trainSteps(
  { inputs, attrs, backend }: {
    inputs: tf.NamedTensorInfoMap;
    attrs: tf.NamedAttrMap;
    backend: unknown;
  },
): tf.TensorInfo[] {
  const { program, first, count } = attrs as unknown as TrainStepsAttrs;
  const heap = backend as KernelBackend;
  const given = Object.values(inputs) as tf.TensorInfo[];
  const records = program.recordsIn(first, count);
  const { runs, width } = program.plan;
  const outputs = [
    ...given.map((input) => output(heap, [...input.shape])),
    output(heap, [runs, records.curves * CURVE_COLUMNS.length]),
    output(heap, [runs, records.patterns * width]),
  ];
  // Views only now: an allocation may grow (and so move) the wasm heap.
  const buffers = outputs.map((info) => view(heap, info));
  given.forEach((input, k) => buffers[k].set(view(heap, input)));
  const layout = stateLayout(program);
  program.run(
    layout.state(buffers.slice(0, given.length)),
    first,
    count,
    buffers[given.length],
    buffers[given.length + 1],
  );
  return outputs;
}

let registered = false;

/** Registers the fused kernel for the wasm and cpu backends (once). */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of ["wasm", "cpu"]) {
    tf.registerKernel({
      kernelName: TRAIN_STEPS_KERNEL,
      backendName,
      kernelFunc: trainSteps as unknown as tf.KernelFunc,
    });
  }
}

/**
 * Trains iterations `first … first + count − 1` of a compiled batch with one
 * kernel call; returns the state tensors after them and the chunk's records
 * (`[R, records × columns]` curves, `[R, records × width]` patterns). The inputs
 * are left to the caller.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { runTrainSteps, stateLayout } from "./kernel.ts";
 * import { compileProgram } from "./program.ts";
 * import { planBatch } from "../plan.ts";
 * import { fusedOptimiser } from "../../kinds/optimisers/mod.ts";
 * import { seededParameters } from "../../nn/parameters.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const setup = { ...trainingSetup(resolveConfig("book", {})), iterations: 20 };
 * const plan = planBatch(setup, [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }]);
 * const sgd = (size: number) => fusedOptimiser({ name: "sgd" }, [0.01], size);
 * const program = compileProgram(plan, {
 *   discriminator: sgd(plan.discriminator.parameterCount),
 *   generator: sgd(plan.generator.parameterCount),
 * });
 * const { discriminator, generator } = seededParameters(1, setup.discriminator, setup.generator);
 * const [dShape, gShape] = stateLayout(program).shapes as [number, number][];
 * const state = [tf.tensor2d(discriminator, dShape), tf.tensor2d(generator, gShape)];
 * const chunk = runTrainSteps(program, state, 0, 20);
 * assertEquals(chunk.curves.shape, [1, 2 * 6]); // records after iterations 10 and 20
 * ```
 */
export function runTrainSteps(
  program: FusedProgram,
  state: readonly tf.Tensor[],
  first: number,
  count: number,
): { state: tf.Tensor[]; curves: tf.Tensor; patterns: tf.Tensor } {
  registerFusedKernels();
  const inputs = Object.fromEntries(state.map((tensor, k) => [`s${k}`, tensor]));
  const outputs = tf.engine().runKernel(
    TRAIN_STEPS_KERNEL,
    inputs,
    { program, first, count } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
  return {
    state: outputs.slice(0, state.length),
    curves: outputs[state.length],
    patterns: outputs[state.length + 1],
  };
}
