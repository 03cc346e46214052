/**
 * Seeded random tensors for tests of the engine's arithmetic.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRandom } from "../src/core/random.ts";

/** A tensor of `shape` with values uniform in [low, high), the same for the same seed. */
export function randomTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  const random = createRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => low + (high - low) * random.next());
  return tf.tensor(values, shape);
}
