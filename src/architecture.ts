/**
 * Networks described by their shape (hidden widths, activations, where the
 * normalisation goes) and built into layer lists, so that factors such as
 * normalisation and activation can change a preset's networks.
 *
 * @module
 */
import { type Layer, leakyRelu, linear, relu, sigmoid, tanh } from "./layers.ts";
import { batchNormalisation } from "./normalisations/batch_norm.ts";
import type { NormalisationKind } from "./normalisations/kind.ts";
import { layerNormalisation } from "./normalisations/layer_norm.ts";
import { none } from "./normalisations/none.ts";
import { spectralNormalisation } from "./normalisations/spectral_norm.ts";

export type { NormalisationKind } from "./normalisations/kind.ts";

/** The activations an experiment may choose. */
export const ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu"] as const;

/** An activation's name; `leaky_relu` has the seed's slope 0.02. */
export type ActivationName = typeof ACTIVATIONS[number];

/**
 * The normalisation registry: each declared in one file of `normalisations/`
 * (where it goes in a network, which networks may use it).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NORMALISATION_KINDS } from "./architecture.ts";
 * assertEquals(typeof NORMALISATION_KINDS.spectral_norm.wrapLinear, "function");
 * ```
 */
export const NORMALISATION_KINDS = {
  layer_norm: layerNormalisation,
  batch_norm: batchNormalisation,
  none,
  spectral_norm: spectralNormalisation,
} as const satisfies Record<string, NormalisationKind>;

/** A normalisation's name. */
export type Normalisation = keyof typeof NORMALISATION_KINDS;

/** The normalisations an experiment may choose. */
export const NORMALISATIONS = Object.keys(NORMALISATION_KINDS) as Normalisation[];

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
  /** Whether the shape's output activation ends the network (default true); a loss on D's raw score drops it. */
  readonly outputActivation?: boolean;
}

/**
 * The layer list for a shape: each hidden layer is linear → activation →
 * normalisation (if it places a layer there); then linear → output
 * activation (unless dropped). A normalisation that wraps linear layers
 * (spectral norm) wraps each of them.
 *
 * @example
 * ```ts
 * import { buildLayers } from "./architecture.ts";
 * buildLayers({ inputs: 4, hidden: [3], outputs: 1, output: "sigmoid" },
 *   { activation: "sigmoid", normalisation: "none" }).length; // 4
 * ```
 */
export function buildLayers(shape: NetworkShape, choices: LayerChoices): Layer[] {
  const kind: NormalisationKind = NORMALISATION_KINDS[choices.normalisation];
  const dense = (inputs: number, outputs: number) =>
    kind.wrapLinear ? kind.wrapLinear(linear(inputs, outputs)) : linear(inputs, outputs);
  const layers: Layer[] = [];
  let width = shape.inputs;
  for (const size of shape.hidden) {
    layers.push(dense(width, size), activationLayer(choices.activation));
    if (kind.afterHidden) layers.push(kind.afterHidden(size));
    width = size;
  }
  layers.push(dense(width, shape.outputs));
  if (choices.outputActivation !== false) layers.push(activationLayer(shape.output));
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
