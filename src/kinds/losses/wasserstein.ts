/**
 * `wasserstein`: the WGAN critic loss (Arjovsky et al. 2017) on D's raw
 * score `s`: D minimises −s(x) + s(G(z)); G minimises −s(G(z)). The
 * critic's estimate of the distance is E s(real) − E s(fake); it needs a
 * Lipschitz constraint (a `weightClip` or `gradientPenalty` penalty, or
 * spectral norm) to mean anything.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { wasserstein } from "./wasserstein.ts";
 * assertEquals(Array.from(wasserstein.terms.fake.value(tf.tensor3d([[[0.5]], [[-2]]])).dataSync()), [
 *   0.5,
 *   -2,
 * ]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { elementwiseTerm, type LossKind, separable, thresholdsWith } from "./kind.ts";

/** `−s`, one score at a time. */
const NEGATED_SCORE = { value: (s: number) => -s, gradient: () => -1, curvature: () => 0 };

/** The Wasserstein (WGAN) loss. */
export const wasserstein = {
  description: "Wasserstein critic on D's score: D minimises −s(x) + s(G(z)); G −s(G(z))",
  reference: "Arjovsky et al. 2017 (WGAN); Gulrajani et al. 2017 (WGAN-GP)",
  head: "score",
  ...separable({
    real: elementwiseTerm((s) => tf.neg(s), (s) => tf.fill(s.shape, -1), NEGATED_SCORE),
    fake: elementwiseTerm((s) => s, (s) => tf.onesLike(s), {
      value: (s) => s,
      gradient: () => 1,
      curvature: () => 0,
    }),
    generator: elementwiseTerm((s) => tf.neg(s), (s) => tf.fill(s.shape, -1), NEGATED_SCORE),
  }),
  checks: {
    equilibrium:
      "the critic's estimate E s(real) − E s(fake) at 0 (its scores' level is arbitrary)",
    curveTargets: {},
    // d_loss_real + d_loss_fake = −(E s(real) − E s(fake)).
    equilibriumError: (m) => Math.abs(m.dLossReal + m.dLossFake),
    dFakeError: (m) => Math.abs(m.dReal - m.dFake),
    // D wins: the estimate stays clearly positive (1 / ratio: 2 by default).
    discriminatorWins: (m, ratio) => -(m.dLossReal + m.dLossFake) > 1 / ratio,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.05, dFakeTolerance: 0.05, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
