/**
 * Networks described by their shape (hidden widths, activations, where the
 * normalisation goes) and built into layer lists, so that factors such as
 * normalisation and activation can change a preset's networks.
 *
 * @module
 */
import {
  batchNorm,
  type Layer,
  layerNorm,
  leakyRelu,
  linear,
  relu,
  sigmoid,
  tanh,
} from "./layers.ts";

/** The activations an experiment may choose. */
export const ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu"] as const;

/** An activation's name; `leaky_relu` has the seed's slope 0.02. */
export type ActivationName = typeof ACTIVATIONS[number];

/** The normalisations an experiment may choose (placed after each hidden activation). */
export const NORMALISATIONS = ["layer_norm", "batch_norm", "none"] as const;

/** A normalisation's name. */
export type Normalisation = typeof NORMALISATIONS[number];

/** The seed's LeakyReLU slope. */
export const LEAKY_SLOPE = 0.02;

/** A network's shape: widths, hidden and output activations. */
export interface NetworkShape {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  /** The activation after the output layer (not changed by the activation factor). */
  readonly output: ActivationName;
}

/** The choices an experiment makes about a network's layers. */
export interface LayerChoices {
  readonly activation: ActivationName;
  readonly normalisation: Normalisation;
}

/**
 * The layer list for a shape: each hidden layer is linear → activation →
 * normalisation (if any); then linear → output activation.
 *
 * @example
 * ```ts
 * import { buildLayers } from "./architecture.ts";
 * buildLayers({ inputs: 4, hidden: [3], outputs: 1, output: "sigmoid" },
 *   { activation: "sigmoid", normalisation: "none" }).length; // 4
 * ```
 */
export function buildLayers(shape: NetworkShape, choices: LayerChoices): Layer[] {
  const layers: Layer[] = [];
  let width = shape.inputs;
  for (const size of shape.hidden) {
    layers.push(linear(width, size), activationLayer(choices.activation));
    if (choices.normalisation === "layer_norm") layers.push(layerNorm(size));
    if (choices.normalisation === "batch_norm") layers.push(batchNorm(size));
    width = size;
  }
  layers.push(linear(width, shape.outputs), activationLayer(shape.output));
  return layers;
}

/** The layer for an activation name. */
export function activationLayer(name: ActivationName): Layer {
  switch (name) {
    case "sigmoid":
      return sigmoid();
    case "tanh":
      return tanh();
    case "relu":
      return relu();
    case "leaky_relu":
      return leakyRelu(LEAKY_SLOPE);
  }
}
