/**
 * `ralsgan`: the relativistic average least-squares GAN
 * (Jolicoeur-Martineau 2019): D minimises `½ [mean (C(x) − mean C(x̃) − 1)²
 * + mean (C(x̃) − mean C(x) + 1)²]`; G the same with the targets swapped.
 * AlexiaJM/RelativisticGAN `code/GAN_losses_iter.py` (`loss_D` 7).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ralsgan } from "./ralsgan.ts";
 * assertEquals(ralsgan.checks.curveTargets, { discriminator: 0.5, generator: 1 });
 * ```
 *
 * @module
 */
import { largestDistance, type LossKind, thresholdsWith } from "./kind.ts";
import { averageObjectives, squaredTowards } from "./relativistic.ts";

/** The relativistic average least-squares loss. */
export const ralsgan = {
  description: "relativistic average least squares (RaLSGAN): D minimises ½[(s(x) − E s(G(z)) " +
    "− 1)² + (s(G(z)) − E s(x) + 1)²]; G the same with the targets swapped",
  reference: "Jolicoeur-Martineau 2019 (RaLSGAN); AlexiaJM/RelativisticGAN",
  head: "score",
  paired: true,
  ...averageObjectives({ onReal: squaredTowards(1), onFake: squaredTowards(-1) }),
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
  thresholds: thresholdsWith({ lossTolerance: 0.05, dFakeTolerance: 0.1, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
