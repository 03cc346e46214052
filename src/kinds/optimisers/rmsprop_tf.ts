/**
 * `rmsprop_tf`, TensorFlow 1's `tf.train.RMSPropOptimizer` without momentum
 * (the optimiser of The Numerics of GANs' notebooks): the accumulator starts
 * at 1, `ms = ms + (g² − ms)(1 − ρ)`, `θ −= lr · g / √(ms + ε)`, with ε
 * inside the square root and TensorFlow's defaults ρ 0.9, ε 1e-10.
 * PyTorch's `rmsprop` starts at 0 and adds ε outside the root.
 *
 * Read from TensorFlow's code: `tensorflow/python/training/rmsprop.py` (the
 * defaults; the `rms` slot made with `init_ops.ones_initializer`) and
 * `tensorflow/core/kernels/training_ops.cc` (`ApplyRMSProp`:
 * `ms += (grad² − ms)·(1 − ρ)`, `mom = mom·momentum + grad·lr / √(ms + ε)`,
 * `var −= mom`). The name follows timm's `RMSpropTF`
 * (`timm/optim/rmsprop_tf.py` in pytorch-image-models), which emulates the
 * same rule in PyTorch. The decay ρ is the option `alpha`, as `rmsprop`
 * names it, so that both share one vocabulary; there is no momentum option
 * (TensorFlow's default, 0, is the only one trained).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rmspropTf } from "./rmsprop_tf.ts";
 * assertEquals(rmspropTf.options.alpha.default, 0.9);
 * assertEquals(rmspropTf.options.eps.default, 1e-10);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { f32, type OptimiserKind, positiveOption, rateOption } from "./kind.ts";

/** TensorFlow RMSprop's settings: the decay ρ (as `alpha`) and ε. */
export type RmspropTfSettings = {
  readonly alpha: number;
  readonly eps: number;
};

/**
 * TensorFlow 1's RMSprop (no momentum, not centred).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { fusedOptimiser } from "./mod.ts";
 * // One step from θ = 1 with g = 1 at lr 0.1: ms = 1 + (1 − 1)·0.1 = 1, θ = 1 − 0.1/√(1 + ε).
 * const optimiser = fusedOptimiser({ name: "rmsprop_tf" }, [0.1], 1);
 * const [parameters, square] = [Float32Array.of(1), Float32Array.of(...optimiser.initial!)];
 * optimiser.step(parameters, Float32Array.of(1), [square], 1);
 * assertAlmostEquals(parameters[0], 0.9, 1e-7);
 * ```
 */
export const rmspropTf: OptimiserKind<RmspropTfSettings> = {
  description:
    "RMSprop as TensorFlow 1's (accumulator from 1, ε inside the root, no momentum); The Numerics of GANs' optimiser",
  options: { alpha: rateOption("alpha", 0.9), eps: positiveOption(1e-10) },
  create(_settings, { rates, zeros, fromValues, setting }) {
    const [oneLessAlpha, eps] = [setting("alpha", (a) => 1 - a), setting("eps")];
    // TensorFlow's "rms" slot starts at ones.
    let square = tf.tidy(() => tf.onesLike(zeros()));
    let count = 0;
    return {
      step(parameters, gradient) {
        count++;
        const next = tf.add(square, tf.mul(tf.sub(tf.square(gradient), square), oneLessAlpha));
        tf.dispose(square);
        square = tf.keep(next);
        const step = tf.div(tf.mul(gradient, rates), tf.sqrt(tf.add(square, eps)));
        return tf.sub(parameters, step);
      },
      state: () => [rates, square],
      save: () => ({ step: count, values: [square.dataSync() as Float32Array] }),
      restore({ step, values: [saved] }) {
        tf.dispose(square);
        [square, count] = [fromValues(saved), step];
      },
    };
  },
  fused({ runs, rates, settingValues }) {
    // Per run: lr, 1 − ρ, ε, each as the reference's float32 factor.
    const rate = Float32Array.from(rates);
    const oneLessAlpha = Float32Array.from(settingValues("alpha"), (alpha) => f32(1 - alpha));
    const eps = Float32Array.from(settingValues("eps"), f32);
    return {
      buffers: 1,
      initial: [1],
      step(parameters, gradient, [square]) {
        // Parameter k of run r at k·R + r; each operation rounded as the tf ops round it.
        for (let e = 0; e < parameters.length; e++) {
          const r = e % runs;
          const g = gradient[e];
          const s = square[e] = f32(square[e] + f32(f32(f32(g * g) - square[e]) * oneLessAlpha[r]));
          parameters[e] = f32(
            parameters[e] - f32(f32(g * rate[r]) / f32(Math.sqrt(f32(s + eps[r])))),
          );
        }
      },
    };
  },
};
