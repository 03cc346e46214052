/**
 * Adam and SGD over packed parameters `[R, 1, P]`, with a learning rate per
 * run (`[R, 1, 1]`). tfjs's own optimisers take one scalar learning rate for
 * all runs, so these are written over tensors, as PyTorch defines them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "./constants.ts";

/** The optimiser names an experiment may use. */
export const OPTIMISERS = ["adam", "sgd"] as const;

/** Adam's settings (PyTorch's defaults). */
export interface AdamOptions {
  readonly name: "adam";
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

/** Plain SGD, with optional (PyTorch-style, undampened) momentum. */
export interface SgdOptions {
  readonly name: "sgd";
  readonly momentum?: number;
}

/** An optimiser and its settings. */
export type OptimiserOptions = AdamOptions | SgdOptions;

/** An optimiser bound to one network's packed parameters. */
export interface Optimiser {
  /** Returns the updated parameters; the old ones are left to the caller. */
  step(parameters: tf.Tensor, gradient: tf.Tensor): tf.Tensor;
  /** Tensors the optimiser keeps between steps (for disposal). */
  state(): tf.Tensor[];
}

/**
 * An optimiser over `[R, 1, P]` parameters with learning rates `[R]`.
 *
 * @example
 * ```ts
 * import { createOptimiser } from "./optimisers.ts";
 * const optimiser = createOptimiser({ name: "sgd" }, [0.01, 0.1], 5);
 * ```
 */
export function createOptimiser(
  options: OptimiserOptions,
  learningRates: readonly number[],
  parameterCount: number,
): Optimiser {
  const runs = learningRates.length;
  const rates = tf.tensor3d(Float32Array.from(learningRates), [runs, 1, 1]);
  const zeros = () => tf.zeros([runs, 1, parameterCount]) as tf.Tensor;
  return options.name === "adam" ? adam(options, rates, zeros) : sgd(options, rates, zeros);
}

function adam(
  { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: AdamOptions,
  rates: tf.Tensor,
  zeros: () => tf.Tensor,
): Optimiser {
  const rateValues = Float32Array.from(rates.dataSync());
  const runs = rateValues.length;
  let mean = zeros();
  let square = zeros();
  let count = 0;
  return {
    step(parameters, gradient) {
      count++;
      const newMean = tf.add(tf.mul(mean, constant(beta1)), tf.mul(gradient, constant(1 - beta1)));
      const newSquare = tf.add(
        tf.mul(square, constant(beta2)),
        tf.mul(tf.square(gradient), constant(1 - beta2)),
      );
      tf.dispose([mean, square]);
      mean = tf.keep(newMean);
      square = tf.keep(newSquare);
      // PyTorch: p −= lr / c1 · m / (√v / √c2 + eps), with c = 1 − β^t; here
      // multiplied through by √c2 so that only one per-step scalar is needed.
      const root2 = Math.sqrt(1 - beta2 ** count);
      const factor = root2 / (1 - beta1 ** count);
      const stepSize = tf.tensor3d(rateValues.map((rate) => rate * factor), [runs, 1, 1]);
      const denominator = tf.add(tf.sqrt(square), tf.scalar(eps * root2));
      return tf.sub(parameters, tf.mul(tf.div(mean, denominator), stepSize));
    },
    state: () => [rates, mean, square],
  };
}

function sgd(
  { momentum = 0 }: SgdOptions,
  rates: tf.Tensor,
  zeros: () => tf.Tensor,
): Optimiser {
  if (momentum === 0) {
    return {
      step: (parameters, gradient) => tf.sub(parameters, tf.mul(gradient, rates)),
      state: () => [rates],
    };
  }
  let velocity = zeros();
  return {
    step(parameters, gradient) {
      const next = tf.add(tf.mul(velocity, constant(momentum)), gradient);
      tf.dispose(velocity);
      velocity = tf.keep(next);
      return tf.sub(parameters, tf.mul(velocity, rates));
    },
    state: () => [rates, velocity],
  };
}
