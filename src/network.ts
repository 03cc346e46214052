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
import type { Layer } from "./layers.ts";
import { type ParameterSlot, parameterSlots, totalSize } from "./parameters.ts";

/** A layer stack with its parameter layout worked out once. */
export interface Network {
  readonly layers: readonly Layer[];
  readonly slots: readonly ParameterSlot[];
  readonly parameterCount: number;
}

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
  packed: tf.Tensor,
  input: tf.Tensor,
): ForwardPass {
  const parameters = layerParameters(network, packed);
  const saved: tf.Tensor[][] = [];
  let x = input;
  network.layers.forEach((layer, index) => {
    const step = operationOf(layer).forward(x, parameters[index], layer);
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
  for (let index = network.layers.length - 1; index >= firstNeeded; index--) {
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

/** Slices the packed parameters into each layer's tensors. */
function layerParameters(network: Network, packed: tf.Tensor): tf.Tensor[][] {
  const runs = packed.shape[0];
  const perLayer: tf.Tensor[][] = network.layers.map(() => []);
  for (const slot of network.slots) {
    const layer = network.layers[slot.layerIndex];
    let part: tf.Tensor = tf.slice(packed, [0, 0, slot.offset], [runs, 1, slot.size]);
    if (slot.name === "kernel" && layer.type === "linear") {
      part = tf.reshape(part, [runs, layer.in, layer.out]);
    }
    perLayer[slot.layerIndex].push(part);
  }
  return perLayer;
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
  ): { output: tf.Tensor; saved: tf.Tensor[] };
  backward(
    dy: tf.Tensor,
    saved: tf.Tensor[],
    context: BackwardContext<L>,
  ): { input?: tf.Tensor; parameters: tf.Tensor[] };
}

type Operations = { [T in Layer["type"]]: Operation<Extract<Layer, { type: T }>> };

const linearOperation: Operation<Extract<Layer, { type: "linear" }>> = {
  forward(x, [kernel, bias]) {
    return { output: tf.add(tf.matMul(x, kernel), bias), saved: [x] };
  },
  backward(dy, [x], { layer, parameters: [kernel], wantsParameters, wantsInput }) {
    const parameters: tf.Tensor[] = [];
    if (wantsParameters) {
      const runs = dy.shape[0];
      const dKernel = tf.matMul(x as tf.Tensor, dy, true, false);
      parameters.push(
        tf.reshape(dKernel, [runs, 1, layer.in * layer.out]),
        tf.sum(dy, 1, true),
      );
    }
    const input = wantsInput ? tf.matMul(dy, kernel, false, true) : undefined;
    return { input, parameters };
  },
};

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
 */
function normalisation(
  axis: 1 | 2,
): Operation<Extract<Layer, { type: "layer_norm" | "batch_norm" }>> {
  return {
    forward(x, [gain, offset], layer) {
      const centred = tf.sub(x, tf.mean(x, axis, true));
      const variance = tf.mean(tf.square(centred), axis, true);
      const inverseStd = tf.rsqrt(tf.add(variance, layer.eps));
      const normalised = tf.mul(centred, inverseStd);
      return {
        output: tf.add(tf.mul(normalised, gain), offset),
        saved: [normalised, inverseStd],
      };
    },
    backward(dy, [normalised, inverseStd], { parameters: [gain], wantsParameters, wantsInput }) {
      const xhat = normalised as tf.Tensor;
      const parameters: tf.Tensor[] = [];
      if (wantsParameters) {
        parameters.push(tf.sum(tf.mul(dy, xhat), 1, true), tf.sum(dy, 1, true));
      }
      if (!wantsInput) return { parameters };
      const dxhat = tf.mul(dy, gain);
      const input = tf.mul(
        tf.sub(
          tf.sub(dxhat, tf.mean(dxhat, axis, true)),
          tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), axis, true)),
        ),
        inverseStd,
      );
      return { input, parameters };
    },
  };
}

const OPERATIONS = {
  linear: linearOperation,
  sigmoid: activationOfOutput(tf.sigmoid, (y) => tf.mul(y, tf.sub(1, y))),
  tanh: activationOfOutput(tf.tanh, (y) => tf.sub(1, tf.square(y))),
  relu: rectifier(() => 0),
  leaky_relu: rectifier((layer) => (layer as { alpha: number }).alpha),
  layer_norm: normalisation(2),
  batch_norm: normalisation(1),
} as Operations;
