/**
 * `rasgan`: the relativistic average standard GAN (Jolicoeur-Martineau
 * 2019): each sample's score against the mean score of the other batch,
 * with BCE on the logit. D minimises `½ [mean softplus(−(C(x) − mean C(x̃)))
 * + mean softplus(C(x̃) − mean C(x))]`; G the same with the targets
 * swapped. AlexiaJM/RelativisticGAN `code/GAN_losses_iter.py` (`loss_D` 6):
 * `(BCE_stable(y_pred − mean(y_pred_fake), y) + BCE_stable(y_pred_fake −
 * mean(y_pred), y2)) / 2`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rasgan } from "./rasgan.ts";
 * assertEquals([rasgan.paired, rasgan.discriminator.partsOn], [true, ["real", "fake"]]);
 * ```
 *
 * @module
 */
import { largestDistance, type LossKind, thresholdsWith } from "./kind.ts";
import { averageObjectives, softplus } from "./relativistic.ts";

/** Half of ln 2: each of D's terms at equal scores. */
const HALF_LN2 = Math.LN2 / 2;

/** The relativistic average standard loss. */
export const rasgan = {
  description: "relativistic average (RaSGAN): D minimises ½[softplus(−(s(x) − E s(G(z)))) + " +
    "softplus(s(G(z)) − E s(x))]; G the same with the batches' targets swapped",
  reference: "Jolicoeur-Martineau 2019 (RaSGAN); AlexiaJM/RelativisticGAN",
  head: "score",
  paired: true,
  ...averageObjectives({ onReal: softplus(-1), onFake: softplus(1) }),
  curves: "d_loss_real and d_loss_fake hold D's two halves (each against the other batch's " +
    "mean score); g_loss G's two halves' sum",
  checks: {
    equilibrium: "D's terms at ½ ln 2 each and G's loss at ln 2 (D scores every sample alike)",
    curveTargets: { discriminator: HALF_LN2, generator: Math.LN2 },
    equilibriumError: (m) =>
      largestDistance(m, { real: HALF_LN2, fake: HALF_LN2, generator: Math.LN2 }),
    dFakeError: (m) => Math.abs(m.dReal - m.dFake),
    discriminatorWins: (m, ratio) =>
      (m.dLossReal + m.dLossFake) / 2 < HALF_LN2 * ratio && m.gLoss > Math.LN2 / ratio,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.05, dFakeTolerance: 0.1, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
