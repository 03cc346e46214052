/**
 * Constant tensors made once and kept for the life of the process (or
 * Worker), so the training loop creates no tensors for its constants.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

const scalars = new Map<number, tf.Scalar>();
const centerings = new Map<string, tf.Tensor3D>();

/**
 * A kept scalar tensor: the same tensor for the same value every call.
 *
 * @example
 * ```ts
 * import { constant } from "./constants.ts";
 * constant(0.5) === constant(0.5); // true
 * ```
 */
export function constant(value: number): tf.Scalar {
  let tensor = scalars.get(value);
  if (!tensor || tensor.isDisposed) {
    tensor = tf.keep(tf.scalar(value));
    scalars.set(value, tensor);
  }
  return tensor;
}

/**
 * The centering matrix `I − 1/n`, one copy per run (`[runs, n, n]`): `x @ C`
 * subtracts from each row of `x` its mean in one kernel instead of two. (A
 * `[1, n, n]` matrix broadcast over the runs is three times slower in wasm.)
 */
export function centering(runs: number, n: number): tf.Tensor3D {
  const key = `${runs}x${n}`;
  let tensor = centerings.get(key);
  if (!tensor || tensor.isDisposed) {
    const values = new Float32Array(runs * n * n).map((_, k) => {
      const cell = k % (n * n);
      return (Math.floor(cell / n) === cell % n ? 1 : 0) - 1 / n;
    });
    tensor = tf.keep(tf.tensor3d(values, [runs, n, n]));
    centerings.set(key, tensor);
  }
  return tensor;
}
