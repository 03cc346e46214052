/**
 * Batch normalisation with the batch's own statistics, fused: each feature
 * normalised over the batch, then a gain and an offset per feature.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { batchNorm } from "./batch_norm.ts";
 * const y = new Float32Array(2);
 * batchNorm.create({ type: "batch_norm", size: 1, eps: 0 }, { runs: 1, batch: 2, offset: 0, stride: 2 })
 *   .forward(Float32Array.of(1, 3), y, Float32Array.of(1, 0));
 * assertAlmostEquals(y[1], 1, 1e-6);
 * ```
 *
 * @module
 */
import { type FusedLayerKind, normalisation } from "./kind.ts";
import type { NormLayer } from "../../layers.ts";

/** Batch norm's fused form. */
export const batchNorm: FusedLayerKind<NormLayer> = {
  create: (layer, layout) => normalisation("batch", layer, layout),
};
