/**
 * The two losses the seed uses, with their gradients, over `[R, B, 1]`
 * discriminator outputs and a target shared by the whole batch (1 for real,
 * 0 for fake).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "./constants.ts";
import { sigmoidSlope } from "./network.ts";

/** The loss names an experiment may use. */
export const LOSSES = ["bce", "mse"] as const;

/** A loss name. */
export type LossName = typeof LOSSES[number];

/** The value each loss term settles at when D outputs 0.5 everywhere. */
export const EQUILIBRIUM_LOSS: Record<LossName, number> = {
  bce: Math.LN2,
  mse: 0.25,
};

/**
 * The mean loss per run, `[R]`. BCE is PyTorch's `BCELoss`: each log is
 * clamped at -100.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
import { constant } from "./constants.ts";
import { sigmoidSlope } from "./network.ts";
 * import { lossValue } from "./losses.ts";
 * lossValue("mse", tf.fill([1, 1, 1], 0.5) as tf.Tensor, 1).dataSync(); // [0.25]
 * ```
 */
export function lossValue(
  loss: LossName,
  prediction: tf.Tensor,
  target: 0 | 1,
): tf.Tensor {
  const perSample = loss === "mse" ? tf.square(tf.sub(prediction, constant(target))) : tf.neg(
    tf.maximum(
      tf.log(target === 1 ? prediction : tf.sub(constant(1), prediction)),
      constant(-100),
    ),
  );
  return tf.mean(perSample, [1, 2]);
}

/**
 * The gradient of the mean loss with respect to the prediction, as PyTorch
 * computes it (BCE: `(p - t) / max(p (1 - p), 1e-12)`, over the batch size).
 */
export function lossGradient(
  loss: LossName,
  prediction: tf.Tensor,
  target: 0 | 1,
): tf.Tensor {
  const { count, error } = errorOf(prediction, target);
  if (loss === "mse") return tf.mul(error, constant(2 / count));
  const curvature = tf.maximum(sigmoidSlope(prediction), constant(1e-12));
  return tf.div(error, tf.mul(curvature, constant(count)));
}

/**
 * The gradient of the mean loss with respect to the logit `z` of a sigmoid
 * output `p = σ(z)`: the loss's gradient and the sigmoid's in fewer kernels,
 * with PyTorch's arithmetic (BCE divides by `max(p (1 − p), 1e-12)` and the
 * sigmoid multiplies by `p (1 − p)`: `(p − t) · min(p (1 − p) · 1e12, 1)`).
 */
export function lossGradientAtLogit(
  loss: LossName,
  prediction: tf.Tensor,
  target: 0 | 1,
): tf.Tensor {
  const { count, error } = errorOf(prediction, target);
  const slope = sigmoidSlope(prediction);
  if (loss === "mse") return tf.mul(tf.mul(error, slope), constant(2 / count));
  const gradient = tf.mul(error, tf.minimum(tf.mul(slope, constant(1e12)), constant(1)));
  return count === 1 ? gradient : tf.mul(gradient, constant(1 / count));
}

/** `p − t` (no kernel for t = 0) and how many predictions each run's mean is over. */
function errorOf(prediction: tf.Tensor, target: 0 | 1): { count: number; error: tf.Tensor } {
  return {
    count: prediction.size / prediction.shape[0],
    error: target === 0 ? prediction : tf.sub(prediction, constant(1)),
  };
}
