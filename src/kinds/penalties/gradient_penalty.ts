/**
 * `{ gradientPenalty: λ }`: WGAN-GP (Gulrajani et al. 2017): on D's step on
 * G's samples, add `λ · mean((‖∇ s(x̂)‖₂ − 1)²)` at `x̂ = α x + (1 − α) G(z)`,
 * with `x` this step's real sample and `α ~ U(0, 1)` per sample. WGAN-GP
 * uses λ = 10. Its pass on `x̂` advances spectral norm's `u` like any other.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { gradientPenalty } from "./gradient_penalty.ts";
 * assertEquals([gradientPenalty.key, gradientPenalty.isAllowed(10)], ["gradientPenalty", true]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import {
  gradientNormPenalty,
  type PenaltyContext,
  type PenaltyKind,
  type PenaltyValue,
  settingFactor,
} from "./kind.ts";

/** The WGAN-GP gradient penalty. */
export const gradientPenalty = {
  description: "λ·(‖∇ s(x̂)‖ − 1)² at a random interpolate x̂ of a real and a fake sample",
  reference: "Gulrajani et al. 2017 (WGAN-GP), λ = 10",
  key: "gradientPenalty",
  setting: "weight",
  allowed: "a number λ ≥ 0",
  isAllowed: (value: number) => value >= 0,
  onFake(context: PenaltyContext, weight: PenaltyValue) {
    const alpha = context.alphas();
    const between = tf.add(
      tf.mul(alpha, context.real),
      tf.mul(tf.sub(constant(1), alpha), context.fake),
    );
    const spectral = context.advance(context.spectral);
    const term = gradientNormPenalty(
      context.network,
      context.parameters,
      between,
      spectral,
      (squares) => tf.mul(tf.square(tf.sub(tf.sqrt(squares), constant(1))), settingFactor(weight)),
    );
    return { ...term, spectral };
  },
  fused: {
    gradientNorm: {
      at: "interpolate",
      value: (norm, weight) => weight * (norm - 1) ** 2,
      slope: (norm, weight) => (2 * weight * (norm - 1)) / norm,
    },
  },
} satisfies PenaltyKind;
