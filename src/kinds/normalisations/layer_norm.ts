/**
 * `layer_norm`: PyTorch's `nn.LayerNorm(width)` (eps 1e-5, gain 1, offset 0)
 * after each hidden activation, as in the seed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { layerNormalisation } from "./layer_norm.ts";
 * assertEquals(layerNormalisation.afterHidden!(3), { type: "layer_norm", size: 3, eps: 1e-5 });
 * ```
 *
 * @module
 */
import { layerNorm } from "../../nn/layers/mod.ts";
import type { NormalisationKind } from "./kind.ts";

/** Layer normalisation after each hidden activation. */
export const layerNormalisation: NormalisationKind = {
  description: "LayerNorm after each hidden activation (eps 1e-5)",
  reference: "Ba et al. 2016; the seed's choice",
  afterHidden: (width) => layerNorm(width),
  networks: { d: true, g: true },
};
