/**
 * The logistic sigmoid, `y = 1 / (1 + e^−x)`, `dx = dy · y (1 − y)`.
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertEquals } from "@std/assert";
 * import { sigmoid, sigmoidKind } from "./sigmoid.ts";
 * const y = new Float32Array(1);
 * sigmoidKind.fused(sigmoid(), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(0), y, new Float32Array());
 * assertEquals(y[0], 0.5);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { activationOfOutput } from "./activation.ts";
import { type ActivationKind, PARAMETER_FREE } from "./kind.ts";

/** The logistic sigmoid. */
export interface SigmoidLayer {
  readonly type: "sigmoid";
}

/** The logistic sigmoid. */
export function sigmoid(): SigmoidLayer {
  return { type: "sigmoid" };
}

/**
 * The sigmoid's derivative from its output, `y (1 − y)`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { sigmoidSlope } from "./sigmoid.ts";
 * sigmoidSlope(tf.scalar(0.5)).dataSync(); // [0.25]
 * ```
 */
export function sigmoidSlope(y: tf.Tensor): tf.Tensor {
  return tf.mul(y, tf.sub(constant(1), y));
}

const passes = activationOfOutput({
  apply: (x) => 1 / (1 + Math.exp(-x)),
  slope: (y) => y * (1 - y),
  curvature: (y) => y * (1 - y) * (1 - 2 * y),
  applyOp: tf.sigmoid,
  slopeOp: sigmoidSlope,
});

/** The sigmoid layer kind. */
export const sigmoidKind: ActivationKind<SigmoidLayer> = {
  ...PARAMETER_FREE,
  description: "the logistic sigmoid, 1 / (1 + e^−x)",
  activation: sigmoid,
  reference: passes.reference,
  // The kernels' float32 sigmoid; the second-order pass (penalties only) from its output.
  fused: (_layer, { kernels }) => ({
    ...passes.fused(),
    forward: (x, y) => kernels.sigmoid(x, y),
    backward(dy, dx, _x, y) {
      if (dx) kernels.sigmoidBackward(dy, y, dx);
    },
    tangent: (tx, ty, _x, y) => kernels.sigmoidBackward(tx, y, ty),
  }),
};
