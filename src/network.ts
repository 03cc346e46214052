/**
 * Forward and backward passes of a layer stack over R runs at once.
 *
 * Activations are `[R, B, features]` (runs, batch, features); a network's
 * parameters are packed as `[R, 1, P]`. Each layer keeps its forward pass and
 * its hand-written backward pass side by side, as tf ops, with no gradient
 * tape: this keeps the number of kernels per training step small, and the
 * tests check every backward pass against `tf.grads`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { centering, constant } from "./constants.ts";
import { type Layer, NetworkError } from "./layers.ts";
import { type ParameterSlot, parameterSlots, totalSize } from "./parameters.ts";

/** A layer stack with its parameter layout worked out once. */
export interface Network {
  readonly layers: readonly Layer[];
  readonly slots: readonly ParameterSlot[];
  readonly parameterCount: number;
}

/**
 * The power-iteration vectors of each spectrally normalised linear layer,
 * indexed by layer (undefined for other layers): `u` `[R, out, 1]` and `v`
 * `[R, in, 1]`, as `torch.nn.utils.spectral_norm` keeps them.
 */
export type SpectralState =
  readonly ({ readonly u: tf.Tensor; readonly v: tf.Tensor } | undefined)[];

/** What a forward pass keeps for its backward pass. */
export interface ForwardPass {
  readonly output: tf.Tensor;
  readonly parameters: readonly tf.Tensor[][];
  readonly saved: readonly tf.Tensor[][];
}

/** What a backward pass should compute. */
export interface BackwardWants {
  /** The gradient of every parameter, packed as `[R, 1, P]`. */
  readonly parameters: boolean;
  /** The gradient with respect to the network's input. */
  readonly input: boolean;
  /**
   * The layer whose output the given gradient is for (default: the last);
   * e.g. the one before a sigmoid output when the loss's gradient was taken
   * at the logit.
   */
  readonly fromLayer?: number;
}

/** The gradients a backward pass computed (those that were asked for). */
export interface Gradients {
  readonly parameters?: tf.Tensor;
  readonly input?: tf.Tensor;
}

/**
 * Prepares a layer stack for training.
 *
 * @example
 * ```ts
 * import { createNetwork } from "./network.ts";
 * import { linear, sigmoid } from "./layers.ts";
 * createNetwork([linear(4, 3), sigmoid(), linear(3, 1)]).parameterCount; // 19
 * ```
 */
export function createNetwork(layers: readonly Layer[]): Network {
  const slots = parameterSlots(layers);
  return { layers, slots, parameterCount: totalSize(slots) };
}

/**
 * Runs `input` (`[R, B, in]`) through the network with packed parameters
 * `packed` (`[R, 1, P]`).
 */
export function forward(
  network: Network,
  packed: tf.Tensor | LayerParameters,
  input: tf.Tensor,
  spectral: SpectralState = [],
): ForwardPass {
  const parameters = packed instanceof tf.Tensor ? layerParameters(network, packed) : packed;
  const saved: tf.Tensor[][] = [];
  let x = input;
  network.layers.forEach((layer, index) => {
    const step = operationOf(layer).forward(x, parameters[index], layer, spectral[index]);
    saved.push(step.saved);
    x = step.output;
  });
  return { output: x, parameters, saved };
}

/**
 * Back-propagates `outputGradient` (`[R, B, out]`) through a forward pass.
 */
export function backward(
  network: Network,
  pass: ForwardPass,
  outputGradient: tf.Tensor,
  wants: BackwardWants,
): Gradients {
  const parameterGradients: tf.Tensor[][] = [];
  let dy = outputGradient;
  let dx: tf.Tensor | undefined;
  const firstNeeded = wants.input ? 0 : firstParameterLayer(network);
  const last = wants.fromLayer ?? network.layers.length - 1;
  for (let index = last; index >= firstNeeded; index--) {
    const layer = network.layers[index];
    const step = operationOf(layer).backward(dy, pass.saved[index], {
      layer,
      parameters: pass.parameters[index],
      wantsParameters: wants.parameters,
      wantsInput: wants.input || index > firstNeeded,
    });
    parameterGradients[index] = step.parameters;
    if (step.input) dy = step.input;
    dx = step.input;
  }
  const result: { parameters?: tf.Tensor; input?: tf.Tensor } = {};
  if (wants.input) result.input = dx;
  if (wants.parameters) {
    const flat = parameterGradients.flatMap((grads) => grads ?? []);
    result.parameters = flat.length === 1 ? flat[0] : tf.concat(flat, 2);
  }
  return result;
}

function operationOf(layer: Layer): Operation<Layer> {
  return OPERATIONS[layer.type] as Operation<Layer>;
}

function firstParameterLayer(network: Network): number {
  return network.slots[0]?.layerIndex ?? network.layers.length;
}

/** Each layer's parameter tensors, in layer order. */
export type LayerParameters = readonly tf.Tensor[][];

/**
 * Splits the packed parameters into each layer's tensors (one kernel, and a
 * reshape per linear kernel). {@link forward} does this itself; call it to
 * reuse the tensors for several forward passes.
 */
export function layerParameters(network: Network, packed: tf.Tensor): tf.Tensor[][] {
  const runs = packed.shape[0];
  const perLayer: tf.Tensor[][] = network.layers.map(() => []);
  const parts = network.slots.length === 1
    ? [packed]
    : tf.split(packed, network.slots.map((slot) => slot.size), 2);
  network.slots.forEach((slot, index) => {
    const layer = network.layers[slot.layerIndex];
    const part = slot.name === "kernel" && layer.type === "linear"
      ? tf.reshape(parts[index], [runs, layer.in, layer.out])
      : parts[index];
    perLayer[slot.layerIndex].push(part);
  });
  return perLayer;
}

/** Sums a gradient over the batch axis; a batch of one needs no kernel. */
function sumOverBatch(gradient: tf.Tensor): tf.Tensor {
  return gradient.shape[1] === 1 ? gradient : tf.sum(gradient, 1, true);
}

interface BackwardContext<L extends Layer> {
  layer: L;
  parameters: tf.Tensor[];
  wantsParameters: boolean;
  wantsInput: boolean;
}

interface Operation<L extends Layer> {
  forward(
    x: tf.Tensor,
    parameters: tf.Tensor[],
    layer: L,
    spectral?: SpectralState[number],
  ): { output: tf.Tensor; saved: tf.Tensor[] };
  backward(
    dy: tf.Tensor,
    saved: tf.Tensor[],
    context: BackwardContext<L>,
  ): { input?: tf.Tensor; parameters: tf.Tensor[] };
}

type Operations = { [T in Layer["type"]]: Operation<Extract<Layer, { type: T }>> };

const linearOperation: Operation<Extract<Layer, { type: "linear" }>> = {
  forward(x, [kernel, bias], layer, spectral) {
    if (!layer.spectralNorm) return { output: tf.add(tf.matMul(x, kernel), bias), saved: [x] };
    if (!spectral) throw new NetworkError("a spectrally normalised layer needs its u and v");
    // σ = uᵀ W v with W = kernelᵀ: vᵀ (kernel u), from u and v held constant.
    const { u, v } = spectral;
    const sigma = tf.sum(tf.mul(v, tf.matMul(kernel, u)), [1, 2], true);
    const normalised = tf.div(kernel, sigma);
    return {
      output: tf.add(tf.matMul(x, normalised), bias),
      saved: [x, normalised, sigma, u, v],
    };
  },
  backward(dy, saved, { layer, parameters: [kernel], wantsParameters, wantsInput }) {
    const [x, normalised, sigma, u, v] = saved;
    const parameters: tf.Tensor[] = [];
    if (wantsParameters) {
      const runs = dy.shape[0];
      let dKernel = tf.matMul(x, dy, true, false);
      if (layer.spectralNorm) {
        // ∂L/∂W = (G − ⟨G, W/σ⟩ u vᵀ) / σ, in the kernel's [in, out] layout.
        const inner = tf.sum(tf.mul(dKernel, normalised), [1, 2], true);
        const outer = tf.matMul(v, u, false, true);
        dKernel = tf.div(tf.sub(dKernel, tf.mul(inner, outer)), sigma);
      }
      parameters.push(
        tf.reshape(dKernel, [runs, 1, layer.in * layer.out]),
        sumOverBatch(dy),
      );
    }
    const input = wantsInput
      ? tf.matMul(dy, layer.spectralNorm ? normalised : kernel, false, true)
      : undefined;
    return { input, parameters };
  },
};

/** `x / max(‖x‖, 1e-12)` over axis 1 of `[R, n, 1]`, as PyTorch's `normalize`. */
function normalise(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.maximum(tf.norm(x, "euclidean", 1, true), constant(1e-12)));
}

/**
 * One power iteration for every spectrally normalised layer (what each
 * forward pass of a wrapped network does first in PyTorch): `v = normalise(Wᵀu)`,
 * `u = normalise(W v)`. Returns the new vectors; other layers stay undefined.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { advanceSpectral, createNetwork, layerParameters } from "./network.ts";
 * import { spectralLinear } from "./layers.ts";
 * const network = createNetwork([spectralLinear(2, 1)]);
 * const parameters = layerParameters(network, tf.tensor3d([[[3, 4, 0]]]));
 * const [next] = advanceSpectral(network, parameters, [
 *   { u: tf.ones([1, 1, 1]), v: tf.ones([1, 2, 1]) },
 * ]);
 * next!.v.dataSync(); // [0.6, 0.8]
 * ```
 */
export function advanceSpectral(
  network: Network,
  parameters: LayerParameters,
  state: SpectralState,
): SpectralState {
  return network.layers.map((layer, index) => {
    if (layer.type !== "linear" || !layer.spectralNorm) return undefined;
    const vectors = state[index];
    if (!vectors) throw new NetworkError(`layer ${index}: no spectral-norm vectors to advance`);
    const kernel = parameters[index][0];
    const v = normalise(tf.matMul(kernel, vectors.u));
    const u = normalise(tf.matMul(kernel, v, true, false));
    return { u, v };
  });
}

/** Whether a network has spectrally normalised layers (and so a spectral state). */
export function hasSpectralNorm(network: Network): boolean {
  return network.layers.some((layer) => layer.type === "linear" && layer.spectralNorm);
}

/** An activation whose derivative is a function of its output `y`. */
function activationOfOutput(
  apply: (x: tf.Tensor) => tf.Tensor,
  derivative: (y: tf.Tensor) => tf.Tensor,
): Operation<Layer> {
  return {
    forward(x) {
      const y = apply(x);
      return { output: y, saved: [y] };
    },
    backward(dy, [y]) {
      return { input: tf.mul(dy, derivative(y as tf.Tensor)), parameters: [] };
    },
  };
}

/** A piecewise-linear activation: slope 1 above zero, `alpha` below. */
function rectifier(alphaOf: (layer: Layer) => number): Operation<Layer> {
  return {
    forward(x, _parameters, layer) {
      const alpha = alphaOf(layer);
      const output = alpha === 0 ? tf.relu(x) : tf.leakyRelu(x, alpha);
      return { output, saved: [x] };
    },
    backward(dy, [x], { layer }) {
      return { input: tf.mul(dy, tf.step(x, alphaOf(layer))), parameters: [] };
    },
  };
}

/**
 * Normalisation over one axis with a gain and offset per feature: axis 2
 * (each sample's features) is layer norm, axis 1 (the batch) is batch norm.
 * Layer norm centres with one matmul by `I − 1/n` instead of a mean and a
 * subtraction.
 */
function normalisation(
  axis: 1 | 2,
): Operation<Extract<Layer, { type: "layer_norm" | "batch_norm" }>> {
  const centre = (x: tf.Tensor) =>
    axis === 2
      ? tf.matMul(x, centering(x.shape[0], x.shape[2]!))
      : tf.sub(x, tf.mean(x, axis, true));
  return {
    forward(x, [gain, offset], layer) {
      const centred = centre(x);
      const variance = tf.mean(tf.square(centred), axis, true);
      const inverseStd = tf.rsqrt(tf.add(variance, constant(layer.eps)));
      const normalised = tf.mul(centred, inverseStd);
      return {
        output: tf.add(tf.mul(normalised, gain), offset),
        saved: [normalised, inverseStd],
      };
    },
    backward(dy, [xhat, inverseStd], { parameters: [gain], wantsParameters, wantsInput }) {
      const parameters: tf.Tensor[] = [];
      if (wantsParameters) parameters.push(sumOverBatch(tf.mul(dy, xhat)), sumOverBatch(dy));
      if (!wantsInput) return { parameters };
      // dx = rstd · (centre(dxhat) − xhat · mean(dxhat · xhat)), PyTorch's formula.
      const dxhat = tf.mul(dy, gain);
      if (axis === 2 && xhat.shape[1] === 1) {
        // One sample per run: the same as dxhat @ (C − xhatᵀ xhat / n), in fewer kernels.
        const [runs, , n] = xhat.shape as number[];
        const outer = tf.mul(tf.matMul(xhat, xhat, true, false), constant(1 / n));
        const jacobian = tf.sub(centering(runs, n), outer);
        return { input: tf.mul(tf.matMul(dxhat, jacobian), inverseStd), parameters };
      }
      const input = tf.mul(
        tf.sub(centre(dxhat), tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), axis, true))),
        inverseStd,
      );
      return { input, parameters };
    },
  };
}

/** The sigmoid's derivative from its output, `y (1 − y)`. */
export function sigmoidSlope(y: tf.Tensor): tf.Tensor {
  return tf.mul(y, tf.sub(constant(1), y));
}

const OPERATIONS = {
  linear: linearOperation,
  sigmoid: activationOfOutput(tf.sigmoid, sigmoidSlope),
  tanh: activationOfOutput(tf.tanh, (y) => tf.sub(constant(1), tf.square(y))),
  relu: rectifier(() => 0),
  leaky_relu: rectifier((layer) => (layer as { alpha: number }).alpha),
  layer_norm: normalisation(2),
  batch_norm: normalisation(1),
} satisfies Operations;
