/**
 * `rsgan`: the relativistic standard GAN with paired samples
 * (Jolicoeur-Martineau 2019, RSGAN; Sun, Fang & Schwing 2020 call it RpGAN
 * and prove it has no bad basins where the standard loss has exponentially
 * many; R3GAN's loss, Huang et al. 2024): D minimises
 * `mean softplus(C(x̃ᵢ) − C(xᵢ))` over pairs of a real and a fake sample, G
 * `mean softplus(C(xᵢ) − C(x̃ᵢ))`, C D's raw score. AlexiaJM/RelativisticGAN
 * `code/GAN_losses_iter.py` (`loss_D` 5): `BCE_stable(y_pred − y_pred_fake, 1)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rsgan } from "./rsgan.ts";
 * assertEquals([rsgan.paired, rsgan.head, rsgan.generator.reads], [true, "score", ["real", "fake"]]);
 * ```
 *
 * @module
 */
import { type LossKind, thresholdsWith } from "./kind.ts";
import { pairedObjectives, softplus } from "./relativistic.ts";

/** The paired relativistic loss (RSGAN, RpGAN). */
export const rsgan = {
  description: "relativistic, paired (RSGAN, RpGAN): D minimises softplus(s(G(z)ᵢ) − s(xᵢ)) " +
    "over pairs; G softplus(s(xᵢ) − s(G(z)ᵢ))",
  reference: "Jolicoeur-Martineau 2019 (RSGAN); Sun, Fang & Schwing 2020 (RpGAN); " +
    "Huang et al. 2024 (R3GAN)",
  head: "score",
  paired: true,
  ...pairedObjectives(softplus(1)),
  curves: "d_loss_real holds D's whole (paired) loss and d_loss_fake 0; g_loss G's",
  checks: {
    equilibrium: "D's and G's losses at ln 2 (D scores every sample alike); D's mean scores on " +
      "real and fake equal",
    curveTargets: { discriminator: Math.LN2, generator: Math.LN2 },
    equilibriumError: (m) =>
      Math.max(Math.abs(m.dLossReal - Math.LN2), Math.abs(m.gLoss - Math.LN2)),
    dFakeError: (m) => Math.abs(m.dReal - m.dFake),
    discriminatorWins: (m, ratio) => m.dLossReal < Math.LN2 * ratio && m.gLoss > Math.LN2 / ratio,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.05, dFakeTolerance: 0.1, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
