/**
 * `optimistic_adam` (Daskalakis et al. 2018, "Training GANs with
 * Optimism"): Adam's bias-corrected direction `d_t = m̂_t / (√v̂_t + eps)`,
 * then `θ −= 2 · lr · d_t − lr · d_{t−1}`, with `d_0 = 0`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { optimisticAdam } from "./optimistic_adam.ts";
 * assertEquals(optimisticAdam.options.beta1.default, 0.9);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { adam, adamDirection, type AdamSettings, fusedAdamDirection } from "./adam.ts";
import { f32, type OptimiserKind } from "./kind.ts";

/** Optimistic Adam. */
export const optimisticAdam: OptimiserKind<AdamSettings> = {
  description: "optimistic Adam: θ −= 2·lr·d_t − lr·d_{t−1} along Adam's direction d",
  options: adam.options,
  create(settings, context) {
    const direction = adamDirection(settings, context);
    let previous = context.zeros();
    return {
      step(parameters, gradient) {
        const current = tf.keep(direction.next(gradient));
        const updated = tf.sub(parameters, tf.sub(tf.mul(current, constant(2)), previous));
        tf.dispose(previous);
        previous = current;
        return updated;
      },
      state: () => [context.rates, ...direction.state(), previous],
      save: () => {
        const saved = direction.save();
        return { ...saved, values: [...saved.values, previous.dataSync() as Float32Array] };
      },
      restore({ step, values }) {
        direction.restore({ step, values: values.slice(0, 2) });
        tf.dispose(previous);
        previous = context.fromValues(values[2]);
      },
    };
  },
  fused(context) {
    const direction = fusedAdamDirection(context);
    const current = context.kernels.floats(context.runs * context.size);
    return {
      buffers: 3,
      step(parameters, gradient, [mean, square, previous], count) {
        direction(parameters, gradient, mean, square, count, current);
        // θ −= 2·d_t − d_{t−1}, as the reference's tf ops round it.
        for (let i = 0; i < parameters.length; i++) {
          parameters[i] = f32(parameters[i] - f32(f32(2 * current[i]) - previous[i]));
          previous[i] = current[i];
        }
      },
    };
  },
};
