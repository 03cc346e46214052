/**
 * The layer registry: a network is plain data, a list of layers, and every
 * layer kind is one file in this folder (its type, constructor, parameter
 * slots, checks and both engines' passes), registered here. Adding a kind
 * is one file (copy `silu.ts` for an activation, `layer_norm.ts` for a
 * layer with parameters) and one line in {@link LAYER_KINDS}.
 *
 * @module
 */
import { batchNormKind } from "./batch_norm.ts";
import { type ActivationKind, type LayerKind, NetworkError } from "./kind.ts";
import { layerNormKind } from "./layer_norm.ts";
import { leakyReluKind } from "./leaky_relu.ts";
import { linearKind } from "./linear.ts";
import { reluKind } from "./relu.ts";
import { scaleKind } from "./scale.ts";
import { sigmoidKind } from "./sigmoid.ts";
import { siluKind } from "./silu.ts";
import { tanhKind } from "./tanh.ts";

export { batchNorm, type BatchNormLayer } from "./batch_norm.ts";
export {
  type ActivationKind,
  type FusedLayout,
  type FusedOperation,
  type FusedSpectral,
  type KinkMode,
  type LayerKind,
  NetworkError,
  type SlotName,
  type SlotShape,
} from "./kind.ts";
export { layerNorm, type LayerNormLayer } from "./layer_norm.ts";
export { LEAKY_SLOPE, leakyRelu, type LeakyReluLayer } from "./leaky_relu.ts";
export { linear, type LinearLayer, spectralLinear } from "./linear.ts";
export type { NormLayer } from "./normalisation.ts";
export { relu, type ReluLayer } from "./relu.ts";
export { scale, type ScaleLayer } from "./scale.ts";
export { sigmoid, type SigmoidLayer } from "./sigmoid.ts";
export { silu, type SiluLayer } from "./silu.ts";
export { tanh, type TanhLayer } from "./tanh.ts";

/**
 * Every layer kind, by its type name.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LAYER_KINDS } from "./mod.ts";
 * assertEquals(LAYER_KINDS.linear.outputWidth({ type: "linear", in: 6, out: 3 }, 6), 3);
 * ```
 */
export const LAYER_KINDS = {
  linear: linearKind,
  sigmoid: sigmoidKind,
  tanh: tanhKind,
  relu: reluKind,
  leaky_relu: leakyReluKind,
  silu: siluKind,
  layer_norm: layerNormKind,
  batch_norm: batchNormKind,
  scale: scaleKind,
} as const;

type LayerOf<K> = K extends LayerKind<infer L> ? L : never;

/** One layer of a network: a layer of any registered kind. */
export type Layer = LayerOf<typeof LAYER_KINDS[keyof typeof LAYER_KINDS]>;

/** A layer type's name. */
export type LayerType = Layer["type"];

// Each kind is registered under its own type name (a mismatch does not compile).
LAYER_KINDS satisfies { [T in LayerType]: LayerKind<Extract<Layer, { type: T }>> };

/** Every layer type name, for validation messages. */
export const LAYER_TYPES = Object.keys(LAYER_KINDS) as LayerType[];

/**
 * A layer's kind.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { kindOf, relu } from "./mod.ts";
 * assertEquals(kindOf(relu()).slots(relu()), []);
 * ```
 */
export function kindOf<L extends Layer>(layer: L): LayerKind<L> {
  return LAYER_KINDS[layer.type] as unknown as LayerKind<L>;
}

/** The kinds that are activations, by the name the `activation` factor gives them. */
export const ACTIVATION_KINDS = Object.fromEntries(
  Object.entries(LAYER_KINDS).filter(([, kind]) => "activation" in kind),
) as {
  [T in LayerType as typeof LAYER_KINDS[T] extends ActivationKind<Layer> ? T : never]:
    typeof LAYER_KINDS[T];
};

/** How many numbers a layer's parameters hold. */
export function parameterCount(layer: Layer): number {
  return kindOf(layer).slots(layer).reduce(
    (sum, slot) => sum + slot.shape.reduce((product, size) => product * size, 1),
    0,
  );
}

/** How many numbers a whole network's parameters hold. */
export function networkParameterCount(layers: readonly Layer[]): number {
  return layers.reduce((sum, layer) => sum + parameterCount(layer), 0);
}

/**
 * Checks that a layer stack is well formed for the given input width and
 * batch size, and returns its output width.
 *
 * @throws {NetworkError} naming the layer and what is wrong.
 * @example
 * ```ts
 * import { checkNetwork, linear, sigmoid } from "./mod.ts";
 * checkNetwork([linear(4, 3), sigmoid(), linear(3, 1)], 4, 1); // 1
 * ```
 */
export function checkNetwork(
  layers: readonly Layer[],
  inputWidth: number,
  batchSize: number,
  name = "network",
): number {
  if (layers.length === 0) throw new NetworkError(`${name}: has no layers`);
  let width = inputWidth;
  layers.forEach((layer, index) => {
    if (!Object.hasOwn(LAYER_KINDS, layer.type)) {
      throw new NetworkError(
        `${name}.layers[${index}]: unknown layer type "${layer.type}"; allowed: ${
          LAYER_TYPES.join(", ")
        }`,
      );
    }
    const kind = kindOf(layer);
    const problem = kind.problem(layer, { width, batchSize });
    if (problem) throw new NetworkError(`${name}.layers[${index}] (${layer.type}): ${problem}`);
    width = kind.outputWidth(layer, width);
  });
  return width;
}
