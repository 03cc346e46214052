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
import { kindOf, type Layer, NetworkError } from "./layers/mod.ts";
import type { ReferenceOperation, SpectralTensors } from "./layers/kind.ts";
import { referencePowerIteration } from "./layers/linear.ts";
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
export type SpectralState = readonly (SpectralTensors | undefined)[];

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
 * import { linear, sigmoid } from "./layers/mod.ts";
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

function operationOf(layer: Layer): ReferenceOperation<Layer> {
  return kindOf(layer).reference;
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

/**
 * One power iteration for every spectrally normalised layer (what each
 * forward pass of a wrapped network does first in PyTorch): `v = normalise(Wᵀu)`,
 * `u = normalise(W v)`. Returns the new vectors; other layers stay undefined.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { advanceSpectral, createNetwork, layerParameters } from "./network.ts";
 * import { spectralLinear } from "./layers/mod.ts";
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
    return referencePowerIteration(parameters[index][0], vectors);
  });
}

/** Whether a network has spectrally normalised layers (and so a spectral state). */
export function hasSpectralNorm(network: Network): boolean {
  return network.layers.some((layer) => layer.type === "linear" && layer.spectralNorm);
}
