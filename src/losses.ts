/**
 * The two losses the seed uses, with their gradients, over `[R, B, 1]`
 * discriminator outputs and a target shared by the whole batch (1 for real,
 * 0 for fake).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

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
 * import { lossValue } from "./losses.ts";
 * lossValue("mse", tf.fill([1, 1, 1], 0.5) as tf.Tensor, 1).dataSync(); // [0.25]
 * ```
 */
export function lossValue(
  loss: LossName,
  prediction: tf.Tensor,
  target: 0 | 1,
): tf.Tensor {
  const perSample = loss === "mse"
    ? tf.square(tf.sub(prediction, target))
    : tf.neg(tf.maximum(tf.log(target === 1 ? prediction : tf.sub(1, prediction)), -100));
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
  const count = prediction.size / prediction.shape[0];
  const error = target === 0 ? prediction : tf.sub(prediction, target);
  if (loss === "mse") return tf.mul(error, 2 / count);
  const curvature = tf.maximum(tf.mul(prediction, tf.sub(1, prediction)), 1e-12);
  return tf.div(error, tf.mul(curvature, count));
}
