/**
 * The sigmoid-weighted linear unit, `y = x · σ(x)` (SiLU, or swish with
 * β = 1: Elfwing et al. 2018; Ramachandran et al. 2017; PyTorch's
 * `nn.SiLU`), `dx = dy · σ(x) (1 + x (1 − σ(x)))`.
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * import { silu, siluKind } from "./silu.ts";
 * const y = new Float32Array(1);
 * siluKind.fused(silu(), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(2), y, new Float32Array());
 * assertAlmostEquals(y[0], 2 / (1 + Math.exp(-2)), 1e-6);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { type ActivationKind, PARAMETER_FREE } from "./kind.ts";

/** The sigmoid-weighted linear unit. */
export interface SiluLayer {
  readonly type: "silu";
}

/** The sigmoid-weighted linear unit, `x · σ(x)`. */
export function silu(): SiluLayer {
  return { type: "silu" };
}

/** The SiLU layer kind. */
export const siluKind: ActivationKind<SiluLayer> = {
  ...PARAMETER_FREE,
  description: "the sigmoid-weighted linear unit, x · σ(x) (SiLU, swish)",
  activation: silu,
  reference: {
    forward(x) {
      const gate = tf.sigmoid(x);
      return { output: tf.mul(x, gate), saved: [x, gate] };
    },
    backward(dy, [x, gate]) {
      // σ(x) (1 + x (1 − σ(x)))
      const slope = tf.mul(gate, tf.add(constant(1), tf.mul(x, tf.sub(constant(1), gate))));
      return { input: tf.mul(dy, slope), parameters: [] };
    },
  },
  fused: () => ({
    forward(x, y) {
      for (let i = 0; i < y.length; i++) y[i] = x[i] / (1 + Math.exp(-x[i]));
    },
    backward(dy, dx, x) {
      if (!dx) return;
      for (let i = 0; i < dx.length; i++) {
        const gate = 1 / (1 + Math.exp(-x[i]));
        dx[i] = dy[i] * gate * (1 + x[i] * (1 - gate));
      }
    },
    tangent(tx, ty, x) {
      for (let i = 0; i < ty.length; i++) {
        const gate = 1 / (1 + Math.exp(-x[i]));
        ty[i] = tx[i] * gate * (1 + x[i] * (1 - gate));
      }
    },
    secondOrder(tx, g, dx, x) {
      if (!dx) return;
      // φ'' = σ (1 − σ) (2 + x (1 − 2σ))
      for (let i = 0; i < dx.length; i++) {
        const gate = 1 / (1 + Math.exp(-x[i]));
        dx[i] += g[i] * tx[i] * gate * (1 - gate) * (2 + x[i] * (1 - 2 * gate));
      }
    },
  }),
};
