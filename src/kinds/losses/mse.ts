/**
 * `mse`: least squares (the book's first GAN; LSGAN's 0-1 coding, Mao et
 * al. 2017): D minimises (D(x) − 1)² and D(G(z))²; G minimises
 * (D(G(z)) − 1)². PyTorch's `MSELoss`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { mse } from "./mse.ts";
 * assertAlmostEquals(mse.terms.real.value(tf.fill([1, 1, 1], 0.5)).dataSync()[0], 0.25, 1e-7);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { sigmoidSlope } from "../../nn/layers/sigmoid.ts";
import {
  errorOf,
  largestDistance,
  type LossKind,
  type LossTerm,
  perRunCount,
  separable,
  thresholdsWith,
} from "./kind.ts";

/** `mean((p − t)²)` against a target shared by the batch. */
function squaredError(target: 0 | 1): LossTerm {
  const error = (p: tf.Tensor) => errorOf(p, target);
  return {
    fused: {
      value: (p) => (p - target) ** 2,
      gradient: (p) => 2 * (p - target),
      gradientAtLogit: (p) => 2 * (p - target) * (p * (1 - p)),
      curvature: () => 2,
      // d/dz of 2(p − t)·p(1 − p), with dp/dz = p(1 − p).
      curvatureAtLogit: (p) => 2 * p * (1 - p) * (p * (1 - p) + (p - target) * (1 - 2 * p)),
    },
    value: (p) => tf.mean(tf.square(error(p)), [1, 2]),
    gradient: (p) => tf.mul(error(p), constant(2 / perRunCount(p))),
    // Times the sigmoid's slope p (1 − p).
    gradientAtLogit: (p) =>
      tf.mul(
        tf.mul(error(p), sigmoidSlope(p)),
        constant(2 / perRunCount(p)),
      ),
  };
}

/** The least-squares GAN loss. */
export const mse = {
  description: "least squares: D minimises (D(x) − 1)² + D(G(z))²; G minimises (D(G(z)) − 1)²",
  reference: "the book's first GAN; Mao et al. 2017 (LSGAN, 0-1 coding)",
  head: "sigmoid",
  ...separable({ real: squaredError(1), fake: squaredError(0), generator: squaredError(1) }),
  checks: {
    equilibrium: "each loss term at 0.25 (D outputs 0.5 everywhere); D(G(z)) at 0.5",
    curveTargets: { discriminator: 0.25, generator: 0.25 },
    equilibriumError: (m) => largestDistance(m, { real: 0.25, fake: 0.25, generator: 0.25 }),
    dFakeError: (m) => Math.abs(m.dFake - 0.5),
    discriminatorWins: (m, ratio) =>
      (m.dLossReal + m.dLossFake) / 2 < 0.25 * ratio && m.gLoss > 0.25 / ratio,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.02, dFakeTolerance: 0.05, stabilityLimit: 0.04 }),
} as const satisfies LossKind;
