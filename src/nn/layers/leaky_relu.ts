/**
 * The leaky rectifier, `x > 0 ? x : alpha · x` (PyTorch's `nn.LeakyReLU(alpha)`).
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertAlmostEquals } from "@std/assert";
 * import { leakyRelu, leakyReluKind } from "./leaky_relu.ts";
 * const y = new Float32Array(1);
 * leakyReluKind.fused(leakyRelu(0.5), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(-2), y, new Float32Array());
 * assertAlmostEquals(y[0], -1);
 * ```
 *
 * @module
 */
import { fusedRectifier, referenceRectifier } from "./activation.ts";
import { type ActivationKind, PARAMETER_FREE } from "./kind.ts";

/** `x > 0 ? x : alpha * x`. */
export interface LeakyReluLayer {
  readonly type: "leaky_relu";
  readonly alpha: number;
}

/** The seed's LeakyReLU slope (the `activation` factor's `leaky_relu`). */
export const LEAKY_SLOPE = 0.02;

/** The leaky rectifier; PyTorch's default slope is 0.01, the seed's 0.02. */
export function leakyRelu(alpha = 0.01): LeakyReluLayer {
  return { type: "leaky_relu", alpha };
}

/** The leaky ReLU layer kind. */
export const leakyReluKind: ActivationKind<LeakyReluLayer> = {
  ...PARAMETER_FREE,
  description:
    `the leaky rectifier, x > 0 ? x : alpha·x (as a level of activation, alpha ${LEAKY_SLOPE})`,
  activation: () => leakyRelu(LEAKY_SLOPE),
  problem: (layer) => Number.isFinite(layer.alpha) ? undefined : "alpha must be a finite number",
  reference: referenceRectifier((layer) => layer.alpha),
  fused: (layer, { kernels }) => fusedRectifier(Math.fround(layer.alpha), kernels),
};
