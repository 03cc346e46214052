/**
 * `rmsprop`, PyTorch's `torch.optim.RMSprop` (not centred, no momentum):
 * `v = α v + (1 − α) g²`, `θ −= lr · g / (√v + eps)`. WGAN's optimiser.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rmsprop } from "./rmsprop.ts";
 * assertEquals(rmsprop.options.alpha.default, 0.99);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { f32, type OptimiserKind, positiveOption, rateOption } from "./kind.ts";

/** RMSprop's settings. */
export type RmspropSettings = {
  readonly alpha: number;
  readonly eps: number;
};

/** RMSprop. */
export const rmsprop: OptimiserKind<RmspropSettings> = {
  description: "RMSprop (PyTorch's: not centred, no momentum); WGAN's optimiser",
  options: { alpha: rateOption("alpha", 0.99), eps: positiveOption(1e-8) },
  create(_settings, { rates, zeros, fromValues, setting }) {
    const [alpha, oneLessAlpha, eps] = [
      setting("alpha"),
      setting("alpha", (a) => 1 - a),
      setting("eps"),
    ];
    let square = zeros();
    let count = 0;
    return {
      step(parameters, gradient) {
        count++;
        const next = tf.add(tf.mul(square, alpha), tf.mul(tf.square(gradient), oneLessAlpha));
        tf.dispose(square);
        square = tf.keep(next);
        const step = tf.div(gradient, tf.add(tf.sqrt(square), eps));
        return tf.sub(parameters, tf.mul(step, rates));
      },
      state: () => [rates, square],
      save: () => ({ step: count, values: [square.dataSync() as Float32Array] }),
      restore({ step, values: [saved] }) {
        tf.dispose(square);
        [square, count] = [fromValues(saved), step];
      },
    };
  },
  fused({ runs, rates, settingValues, kernels }) {
    const [alphas, epss] = [settingValues("alpha"), settingValues("eps")];
    // Per run: lr, α, 1 − α, ε, each as the reference's float32 factor.
    const factors = kernels.floats(4 * runs);
    factors.set(rates, 0);
    factors.set(alphas.map(f32), runs);
    factors.set(alphas.map((alpha) => f32(1 - alpha)), 2 * runs);
    factors.set(epss.map(f32), 3 * runs);
    return {
      buffers: 1,
      step(parameters, gradient, [square]) {
        kernels.rmsprop(parameters, gradient, square, factors, runs);
      },
    };
  },
};
