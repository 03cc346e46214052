/**
 * `adam` (Kingma & Ba 2015) as PyTorch's `torch.optim.Adam` defines it,
 * with bias correction: `m = β1 m + (1 − β1) g`, `v = β2 v + (1 − β2) g²`,
 * `θ −= lr · m̂ / (√v̂ + eps)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { adam } from "./adam.ts";
 * assertEquals(adam.options.beta2.default, 0.999);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  f32,
  type FusedOptimiserContext,
  type OptimiserContext,
  type OptimiserKind,
  type OptimiserSnapshot,
  positiveOption,
  rateOption,
} from "./kind.ts";

/** Adam's settings. */
export type AdamSettings = {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
};

/**
 * Adam's bias-corrected direction `m̂ / (√v̂ + eps)` each step, over packed
 * parameters: what Adam and optimistic Adam step along.
 */
export function adamDirection(_settings: AdamSettings, context: OptimiserContext) {
  let mean = context.zeros();
  let square = context.zeros();
  let count = 0;
  const [beta1, oneLessBeta1] = [context.setting("beta1"), context.setting("beta1", (b) => 1 - b)];
  const [beta2, oneLessBeta2] = [context.setting("beta2"), context.setting("beta2", (b) => 1 - b)];
  const [beta1s, beta2s, epss] = ["beta1", "beta2", "eps"].map(context.settingValues);
  const shared = [beta1s, beta2s, epss].every((values) => values.every((v) => v === values[0]));
  const runs = context.rateValues.length;
  return {
    /**
     * Updates the moments with `gradient`; returns `lr · m̂ / (√v̂ + eps)`,
     * multiplied through by √c2 (c = 1 − β^t) so that one per-step scalar
     * per run is uploaded instead of computed.
     */
    next(gradient: tf.Tensor): tf.Tensor {
      count++;
      const newMean = tf.add(tf.mul(mean, beta1), tf.mul(gradient, oneLessBeta1));
      const newSquare = tf.add(tf.mul(square, beta2), tf.mul(tf.square(gradient), oneLessBeta2));
      tf.dispose([mean, square]);
      mean = tf.keep(newMean);
      square = tf.keep(newSquare);
      const root2 = (r: number) => Math.sqrt(1 - beta2s[r] ** count);
      const stepSize = tf.tensor3d(
        context.rateValues.map((rate, r) => rate * (root2(r) / (1 - beta1s[r] ** count))),
        [runs, 1, 1],
      );
      const epsTerm = shared
        ? tf.scalar(epss[0] * root2(0))
        : tf.tensor3d(epss.map((eps, r) => eps * root2(r)), [runs, 1, 1]);
      const denominator = tf.add(tf.sqrt(square), epsTerm);
      return tf.mul(tf.div(mean, denominator), stepSize);
    },
    state: () => [mean, square],
    save: (): OptimiserSnapshot => ({
      step: count,
      values: [mean, square].map((t) => t.dataSync() as Float32Array),
    }),
    restore({ step, values: [savedMean, savedSquare] }: OptimiserSnapshot) {
      tf.dispose([mean, square]);
      [mean, square, count] = [
        context.fromValues(savedMean),
        context.fromValues(savedSquare),
        step,
      ];
    },
  };
}

/**
 * Adam's direction, fused: updates the moments `mean` and `square` with
 * `gradient` and subtracts `lr · m̂ / (√v̂ + eps)` (as {@link adamDirection}
 * computes it, each run's factors in float32) from `parameters`, or writes
 * it into `into` if given.
 */
export function fusedAdamDirection(
  { runs, rates, settingValues, kernels }: FusedOptimiserContext,
) {
  const [beta1s, beta2s, epss] = ["beta1", "beta2", "eps"].map(settingValues);
  // Per run: the step's size and ε′ (set each step), then β₁, 1 − β₁, β₂, 1 − β₂.
  const factors = kernels.floats(6 * runs);
  [beta1s, beta1s, beta2s, beta2s].forEach((values, k) =>
    factors.set(values.map((beta) => f32(k % 2 ? 1 - beta : beta)), (k + 2) * runs)
  );
  return (
    parameters: Float32Array,
    gradient: Float32Array,
    mean: Float32Array,
    square: Float32Array,
    count: number,
    into?: Float32Array,
  ) => {
    let root2 = 0;
    let correction1 = 0;
    for (let r = 0; r < runs; r++) {
      // Runs mostly share their betas: the powers are worked out once for each run of equal ones.
      if (r === 0 || beta2s[r] !== beta2s[r - 1]) root2 = Math.sqrt(1 - beta2s[r] ** count);
      if (r === 0 || beta1s[r] !== beta1s[r - 1]) correction1 = 1 - beta1s[r] ** count;
      factors[r] = f32(rates[r] * (root2 / correction1));
      factors[runs + r] = f32(epss[r] * root2);
    }
    kernels.adam(parameters, gradient, mean, square, factors, runs, into);
  };
}

/** Adam. */
export const adam: OptimiserKind<AdamSettings> = {
  description: "Adam with PyTorch's bias correction",
  options: {
    beta1: rateOption("beta1", 0.9),
    beta2: rateOption("beta2", 0.999),
    eps: positiveOption(1e-8),
  },
  create(settings, context) {
    const direction = adamDirection(settings, context);
    return {
      step: (parameters, gradient) => tf.sub(parameters, direction.next(gradient)),
      state: () => [context.rates, ...direction.state()],
      save: () => direction.save(),
      restore: (snapshot) => direction.restore(snapshot),
    };
  },
  fused(context) {
    const direction = fusedAdamDirection(context);
    return {
      buffers: 2,
      step(parameters, gradient, [mean, square], count) {
        direction(parameters, gradient, mean, square, count);
      },
    };
  },
};
