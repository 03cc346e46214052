/**
 * Layer normalisation over each sample's features, with a gain and an
 * offset per feature (PyTorch's `nn.LayerNorm(size)`, eps 1e-5).
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * import { layerNorm, layerNormKind } from "./layer_norm.ts";
 * const y = new Float32Array(2);
 * layerNormKind.fused(layerNorm(2, 0), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(1, 3), y, Float32Array.of(1, 1, 0, 0));
 * assertAlmostEquals(y[1], 1, 1e-6);
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

/** Layer normalisation over each sample's `size` features. */
export type LayerNormLayer = NormLayer & { readonly type: "layer_norm" };

/** Layer normalisation over `size` features (PyTorch's eps 1e-5 by default). */
export function layerNorm(size: number, eps = 1e-5): LayerNormLayer {
  return { type: "layer_norm", size, eps };
}

/** The layer norm layer kind. */
export const layerNormKind: LayerKind<LayerNormLayer> = {
  ...NORM_PARTS,
  description: "LayerNorm over each sample's features, gain and offset per feature",
  reference: referenceNormalisation(2),
  fused: (layer, layout) => fusedNormalisation("features", layer, layout),
};
