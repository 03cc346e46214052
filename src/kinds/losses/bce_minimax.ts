/**
 * `bce_minimax`: the original minimax game (Goodfellow et al. 2014, eq. 1).
 * D as in `bce`; G minimises `log(1 − D(G(z)))`, computed as
 * `−BCELoss(D(G(z)), 0)` with the log clamped at −100. It saturates: when D
 * rejects G's samples confidently, G's gradient vanishes.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { bceMinimax } from "./bce_minimax.ts";
 * const g = bceMinimax.terms.generator.value(tf.fill([1, 1, 1], 0.5)).dataSync()[0];
 * assertAlmostEquals(g, -Math.LN2, 1e-6);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { bce, bceTerm } from "./bce.ts";
import { largestDistance, type LossKind, type LossTerm, separable } from "./kind.ts";

/** `−term`: the same term with its sign flipped. */
function negated(term: LossTerm): LossTerm {
  const { fused } = term;
  return {
    fused: {
      value: (p) => -fused.value(p),
      gradient: (p) => -fused.gradient(p),
      gradientAtLogit: (p) => -fused.gradientAtLogit!(p),
      curvature: (p) => -fused.curvature(p),
      curvatureAtLogit: (p) => -fused.curvatureAtLogit!(p),
    },
    value: (p) => tf.neg(term.value(p)),
    gradient: (p) => tf.neg(term.gradient(p)),
    gradientAtLogit: (p) => tf.neg(term.gradientAtLogit!(p)),
  };
}

/** The minimax GAN loss. */
export const bceMinimax = {
  description: "the original minimax game: D as `bce`; G minimises log(1 − D(G(z)))",
  reference: "Goodfellow et al. 2014, eq. 1",
  head: "sigmoid",
  ...separable({ real: bce.terms.real, fake: bce.terms.fake, generator: negated(bceTerm(0)) }),
  checks: {
    equilibrium: "D's terms at ln 2, G's at −ln 2 (D outputs 0.5 everywhere); D(G(z)) at 0.5",
    curveTargets: { discriminator: Math.LN2, generator: -Math.LN2 },
    equilibriumError: (m) =>
      largestDistance(m, { real: Math.LN2, fake: Math.LN2, generator: -Math.LN2 }),
    dFakeError: (m) => Math.abs(m.dFake - 0.5),
    // D wins: its loss well under ln 2 while G's log(1 − D(G(z))) sits near 0 (D(G(z)) → 0).
    discriminatorWins: (m, ratio) =>
      (m.dLossReal + m.dLossFake) / 2 < Math.LN2 * ratio && m.gLoss > -Math.LN2 * ratio,
  },
  thresholds: bce.thresholds,
} as const satisfies LossKind;
