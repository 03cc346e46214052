/**
 * The fused layer registry: every layer kind's forward and backward pass as
 * loops over plain arrays, one file each in `fused/layers/` (the reference's
 * tf ops are in `network.ts`; the tests hold each against it). A layer kind
 * without a fused form does not compile.
 *
 * @module
 */
import type { Layer } from "../layers.ts";
import { batchNorm } from "./layers/batch_norm.ts";
import type { FusedLayerKind, FusedLayout, FusedOperation } from "./layers/kind.ts";
import { layerNorm } from "./layers/layer_norm.ts";
import { leakyRelu } from "./layers/leaky_relu.ts";
import { linear } from "./layers/linear.ts";
import { relu } from "./layers/relu.ts";
import { sigmoid } from "./layers/sigmoid.ts";
import { tanh } from "./layers/tanh.ts";

export type { FusedLayout, FusedOperation, FusedSpectral } from "./layers/kind.ts";

/**
 * Every layer kind's fused form, by layer type.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FUSED_LAYERS } from "./layers.ts";
 * assertEquals(Object.keys(FUSED_LAYERS).length, 7);
 * ```
 */
export const FUSED_LAYERS = {
  linear,
  sigmoid,
  tanh,
  relu,
  leaky_relu: leakyRelu,
  layer_norm: layerNorm,
  batch_norm: batchNorm,
} satisfies { [T in Layer["type"]]: FusedLayerKind<Extract<Layer, { type: T }>> };

/**
 * A layer's fused operation at its place in the network's buffers.
 *
 * @example
 * ```ts
 * import { fusedOperation } from "./layers.ts";
 * fusedOperation({ type: "relu" }, { runs: 2, batch: 1, offset: 0, stride: 0 });
 * ```
 */
export function fusedOperation(layer: Layer, layout: FusedLayout): FusedOperation {
  return (FUSED_LAYERS[layer.type] as FusedLayerKind<Layer>).create(layer, layout);
}
