/**
 * `bce`: the non-saturating GAN loss (Goodfellow et al. 2014, §3), the
 * seed's: D minimises BCE with targets 1 (real) and 0 (fake); G minimises
 * BCE(D(G(z)), 1). PyTorch's `BCELoss`: each log clamped at −100, and its
 * gradient divides by `max(p (1 − p), 1e-12)`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { bce } from "./bce.ts";
 * assertAlmostEquals(bce.terms.real.value(tf.fill([1, 1, 1], 0.5)).dataSync()[0], Math.LN2, 1e-6);
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

/**
 * PyTorch's `BCELoss` against a target shared by the batch, as a loss term:
 * `−mean(max(log p, −100))` for target 1, `−mean(max(log(1 − p), −100))` for 0.
 */
export function bceTerm(target: 0 | 1): LossTerm {
  const slope = (p: number) => p * (1 - p);
  return {
    fused: {
      value: (p) => -Math.max(Math.log(target === 1 ? p : 1 - p), -100),
      gradient: (p) => (p - target) / Math.max(slope(p), 1e-12),
      gradientAtLogit: (p) => (p - target) * Math.min(slope(p) * 1e12, 1),
      // d/dp of (p − t)/max(p(1 − p), 1e-12).
      curvature: (p) =>
        slope(p) < 1e-12 ? 1e12 : (slope(p) - (p - target) * (1 - 2 * p)) / slope(p) ** 2,
      // d/dz of (p − t)·min(p(1 − p)·1e12, 1), with dp/dz = p(1 − p).
      curvatureAtLogit: (p) =>
        slope(p) * 1e12 < 1 ? slope(p) * 1e12 * (slope(p) + (p - target) * (1 - 2 * p)) : slope(p),
    },
    value: (p) =>
      tf.mean(
        tf.neg(
          tf.maximum(tf.log(target === 1 ? p : tf.sub(constant(1), p)), constant(-100)),
        ),
        [1, 2],
      ),
    gradient(p) {
      const curvature = tf.maximum(sigmoidSlope(p), constant(1e-12));
      return tf.div(errorOf(p, target), tf.mul(curvature, constant(perRunCount(p))));
    },
    // The loss's gradient times the sigmoid's: (p − t) · min(p (1 − p) · 1e12, 1).
    gradientAtLogit(p) {
      const count = perRunCount(p);
      const gradient = tf.mul(
        errorOf(p, target),
        tf.minimum(tf.mul(sigmoidSlope(p), constant(1e12)), constant(1)),
      );
      return count === 1 ? gradient : tf.mul(gradient, constant(1 / count));
    },
  };
}

/** The non-saturating BCE loss. */
export const bce = {
  description: "non-saturating GAN loss: D minimises BCE; G minimises −log D(G(z))",
  reference: "Goodfellow et al. 2014; PyTorch `BCELoss`",
  head: "sigmoid",
  ...separable({ real: bceTerm(1), fake: bceTerm(0), generator: bceTerm(1) }),
  checks: {
    equilibrium: "each loss term at ln 2 (D outputs 0.5 everywhere); D(G(z)) at 0.5",
    curveTargets: { discriminator: Math.LN2, generator: Math.LN2 },
    equilibriumError: (m) =>
      largestDistance(m, { real: Math.LN2, fake: Math.LN2, generator: Math.LN2 }),
    dFakeError: (m) => Math.abs(m.dFake - 0.5),
    discriminatorWins: (m, ratio) =>
      (m.dLossReal + m.dLossFake) / 2 < Math.LN2 * ratio && m.gLoss > Math.LN2 / ratio,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.05, dFakeTolerance: 0.05, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
