/**
 * Layer normalisation, fused: each sample's features normalised, then a
 * gain and an offset per feature.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { layerNorm } from "./layer_norm.ts";
 * const y = new Float32Array(2);
 * layerNorm.create({ type: "layer_norm", size: 2, eps: 0 }, { runs: 1, batch: 1, offset: 0, stride: 4 })
 *   .forward(Float32Array.of(1, 3), y, Float32Array.of(1, 1, 0, 0));
 * assertAlmostEquals(y[0], -1, 1e-6);
 * ```
 *
 * @module
 */
import { type FusedLayerKind, normalisation } from "./kind.ts";
import type { NormLayer } from "../../layers.ts";

/** Layer norm's fused form. */
export const layerNorm: FusedLayerKind<NormLayer> = {
  create: (layer, layout) => normalisation("features", layer, layout),
};
