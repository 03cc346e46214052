/**
 * The hyperbolic tangent, `dx = dy · (1 − y²)`.
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * import { tanh, tanhKind } from "./tanh.ts";
 * const y = new Float32Array(1);
 * tanhKind.fused(tanh(), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(1), y, new Float32Array());
 * assertAlmostEquals(y[0], Math.tanh(1), 1e-7);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { activationOfOutput } from "./activation.ts";
import { type ActivationKind, PARAMETER_FREE } from "./kind.ts";

/** The hyperbolic tangent. */
export interface TanhLayer {
  readonly type: "tanh";
}

/** The hyperbolic tangent. */
export function tanh(): TanhLayer {
  return { type: "tanh" };
}

const passes = activationOfOutput({
  apply: Math.tanh,
  slope: (y) => 1 - y * y,
  curvature: (y) => -2 * y * (1 - y * y),
  applyOp: tf.tanh,
  slopeOp: (y) => tf.sub(constant(1), tf.square(y)),
});

/** The tanh layer kind. */
export const tanhKind: ActivationKind<TanhLayer> = {
  ...PARAMETER_FREE,
  description: "the hyperbolic tangent",
  activation: tanh,
  reference: passes.reference,
  fused: passes.fused,
};
