/**
 * `rahinge`: the relativistic average hinge loss (Jolicoeur-Martineau
 * 2019): D minimises `½ [mean max(0, 1 − (C(x) − mean C(x̃))) + mean max(0,
 * 1 + (C(x̃) − mean C(x)))]`; G the same with the targets swapped.
 * AlexiaJM/RelativisticGAN `code/GAN_losses_iter.py` (`loss_D` 8). The
 * hinge's slope at its kink is 0, as PyTorch's ReLU has it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rahinge } from "./rahinge.ts";
 * assertEquals(rahinge.head, "score");
 * ```
 *
 * @module
 */
import { largestDistance, type LossKind, thresholdsWith } from "./kind.ts";
import { averageObjectives, hingeOf } from "./relativistic.ts";

/** The relativistic average hinge loss. */
export const rahinge = {
  description: "relativistic average hinge (RaHinge): D minimises ½[max(0, 1 − (s(x) − " +
    "E s(G(z)))) + max(0, 1 + (s(G(z)) − E s(x)))]; G the same with the targets swapped",
  reference: "Jolicoeur-Martineau 2019 (RaHingeGAN); AlexiaJM/RelativisticGAN",
  head: "score",
  paired: true,
  ...averageObjectives({ onReal: hingeOf(-1), onFake: hingeOf(1) }),
  curves: "d_loss_real and d_loss_fake hold D's two halves (each against the other batch's " +
    "mean score); g_loss G's two halves' sum",
  checks: {
    equilibrium: "D's terms at ½ each and G's loss at 1 (D scores every sample alike)",
    curveTargets: { discriminator: 0.5, generator: 1 },
    equilibriumError: (m) => largestDistance(m, { real: 0.5, fake: 0.5, generator: 1 }),
    dFakeError: (m) => Math.abs(m.dReal - m.dFake),
    discriminatorWins: (m, ratio) =>
      (m.dLossReal + m.dLossFake) / 2 < 0.5 * ratio && m.gLoss > 1 / ratio,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.1, dFakeTolerance: 0.1, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
