/**
 * Networks described by their shape (hidden widths, activations, where the
 * normalisation goes) and built into layer lists, so that factors such as
 * normalisation and activation can change a preset's networks.
 *
 * @module
 */
import { ACTIVATION_KINDS, type Layer, linear } from "../nn/layers/mod.ts";
import type { LinearInitialisation } from "../nn/initialisations/mod.ts";
import {
  type Normalisation,
  NORMALISATION_KINDS,
  type NormalisationKind,
} from "../kinds/normalisations/mod.ts";

export {
  type Normalisation,
  NORMALISATION_KINDS,
  type NormalisationKind,
  NORMALISATIONS,
} from "../kinds/normalisations/mod.ts";

/** An activation's name (a layer kind that declares itself one); `leaky_relu` has the seed's slope 0.02. */
export type ActivationName = keyof typeof ACTIVATION_KINDS;

/** The activations an experiment may choose: every layer kind that is one. */
export const ACTIVATIONS = Object.keys(ACTIVATION_KINDS) as ActivationName[];

/** A network's shape: widths, hidden and output activations. */
export interface NetworkShape {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  /** The activation after the output layer (not changed by the activation factor); none: a linear output. */
  readonly output?: ActivationName;
}

/** The choices an experiment makes about a network's layers. */
export interface LayerChoices {
  readonly activation: ActivationName;
  readonly normalisation: Normalisation;
  /** Whether the shape's output activation ends the network (default true); a loss on D's raw score drops it. */
  readonly outputActivation?: boolean;
  /** Every linear layer's initialisation (default PyTorch's). */
  readonly init?: LinearInitialisation;
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
  const dense = (inputs: number, outputs: number) => {
    const layer = choices.init
      ? { ...linear(inputs, outputs), init: choices.init }
      : linear(inputs, outputs);
    return kind.wrapLinear ? kind.wrapLinear(layer) : layer;
  };
  const layers: Layer[] = [];
  let width = shape.inputs;
  for (const size of shape.hidden) {
    layers.push(dense(width, size), activationLayer(choices.activation));
    if (kind.afterHidden) layers.push(kind.afterHidden(size));
    width = size;
  }
  layers.push(dense(width, shape.outputs));
  if (choices.outputActivation !== false && shape.output) {
    layers.push(activationLayer(shape.output));
  }
  return layers;
}

/**
 * The layer for an activation name, as its kind declares it.
 *
 * @example
 * ```ts
 * import { activationLayer } from "./architecture.ts";
 * activationLayer("leaky_relu"); // { type: "leaky_relu", alpha: 0.02 }
 * ```
 */
export function activationLayer(name: ActivationName): Layer {
  return ACTIVATION_KINDS[name].activation();
}
