/**
 * `sgd`, PyTorch's `torch.optim.SGD`: `θ −= lr · g`, or with momentum
 * `buf = momentum · buf + g` (the first step `buf = g`), `θ −= lr · buf`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sgd } from "./sgd.ts";
 * assertEquals(sgd.options.momentum.default, 0);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { f32, type OptimiserKind, rateOption } from "./kind.ts";

/** SGD's settings. */
export type SgdSettings = {
  readonly momentum: number;
};

/** Stochastic gradient descent, with optional (undampened) momentum. */
export const sgd: OptimiserKind<SgdSettings> = {
  description: "stochastic gradient descent, optional (undampened) momentum",
  options: { momentum: rateOption("momentum", 0) },
  create(_settings, { rates, zeros, fromValues, setting, settingValues }) {
    let count = 0;
    if (settingValues("momentum").every((momentum) => momentum === 0)) {
      return {
        step: (parameters, gradient) => {
          count++;
          return tf.sub(parameters, tf.mul(gradient, rates));
        },
        state: () => [rates],
        save: () => ({ step: count, values: [] }),
        restore: ({ step }) => void (count = step),
      };
    }
    let velocity = zeros();
    const momentum = setting("momentum");
    return {
      step(parameters, gradient) {
        count++;
        const next = tf.add(tf.mul(velocity, momentum), gradient);
        tf.dispose(velocity);
        velocity = tf.keep(next);
        return tf.sub(parameters, tf.mul(velocity, rates));
      },
      state: () => [rates, velocity],
      save: () => ({ step: count, values: [velocity.dataSync() as Float32Array] }),
      restore({ step, values: [saved] }) {
        tf.dispose(velocity);
        [velocity, count] = [fromValues(saved), step];
      },
    };
  },
  fused({ runs, rates, settingValues, kernels }) {
    const momenta = settingValues("momentum").map(f32);
    // Per run: lr and μ, as the reference's float32 factors.
    const factors = kernels.floats(2 * runs);
    factors.set(rates, 0);
    factors.set(momenta, runs);
    const still = momenta.every((momentum) => momentum === 0);
    return {
      buffers: still ? 0 : 1,
      step(parameters, gradient, [velocity]) {
        kernels.sgd(parameters, gradient, still ? undefined : velocity, factors, runs);
      },
    };
  },
};
