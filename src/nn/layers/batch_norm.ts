/**
 * Batch normalisation of each feature over the batch, with the batch's own
 * statistics, a gain and an offset per feature (PyTorch's `nn.BatchNorm1d`
 * in training mode).
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * import { batchNorm, batchNormKind } from "./batch_norm.ts";
 * const y = new Float32Array(2);
 * batchNormKind.fused(batchNorm(1, 0), { runs: 1, batch: 2, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(2, 4), y, Float32Array.of(1, 0));
 * assertAlmostEquals(y[0], -1, 1e-6);
 * ```
 *
 * @module
 */
import type { LayerKind } from "./kind.ts";
import {
  fusedNormalisation,
  NORM_PARTS,
  type NormLayer,
  referenceNormalisation,
} from "./normalisation.ts";

/** Batch normalisation of `size` features over the batch. */
export type BatchNormLayer = NormLayer & { readonly type: "batch_norm" };

/** Batch normalisation of `size` features with the batch's own statistics. */
export function batchNorm(size: number, eps = 1e-5): BatchNormLayer {
  return { type: "batch_norm", size, eps };
}

/** The batch norm layer kind. */
export const batchNormKind: LayerKind<BatchNormLayer> = {
  ...NORM_PARTS,
  description: "BatchNorm of each feature over the batch (batch statistics; batches ≥ 2)",
  reference: referenceNormalisation(1),
  fused: (layer, layout) => fusedNormalisation("batch", layer, layout),
};
