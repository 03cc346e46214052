/**
 * `spectral_norm`: every linear layer divided by its largest singular value,
 * estimated by one power iteration per forward pass with a persistent `u`,
 * exactly as `torch.nn.utils.spectral_norm` (Miyato et al. 2018). For the
 * discriminator (SN-GAN's use).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { linear } from "../../nn/layers/mod.ts";
 * import { spectralNormalisation } from "./spectral_norm.ts";
 * assertEquals(spectralNormalisation.wrapLinear!(linear(6, 3)).spectralNorm, true);
 * ```
 *
 * @module
 */
import type { NormalisationKind } from "./kind.ts";

/** Spectral normalisation of every linear layer. */
export const spectralNormalisation: NormalisationKind = {
  description: "every linear layer W / σ(W), one power iteration per forward pass",
  reference: "Miyato et al. 2018 (SN-GAN); `torch.nn.utils.spectral_norm`",
  wrapLinear: (layer) => ({ ...layer, spectralNorm: true }),
  networks: { d: true, g: true },
};
