/**
 * The rectifier, `max(x, 0)`; its slope is 0 at and below zero.
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertEquals } from "@std/assert";
 * import { relu, reluKind } from "./relu.ts";
 * const y = new Float32Array(2);
 * reluKind.fused(relu(), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(-1, 2), y, new Float32Array());
 * assertEquals(y, Float32Array.of(-0, 2));
 * ```
 *
 * @module
 */
import { fusedRectifier, referenceRectifier } from "./activation.ts";
import { type ActivationKind, PARAMETER_FREE } from "./kind.ts";

/** The rectifier. */
export interface ReluLayer {
  readonly type: "relu";
}

/** The rectifier, `max(x, 0)`. */
export function relu(): ReluLayer {
  return { type: "relu" };
}

/** The ReLU layer kind. */
export const reluKind: ActivationKind<ReluLayer> = {
  ...PARAMETER_FREE,
  description: "the rectifier, max(x, 0)",
  activation: relu,
  reference: referenceRectifier(() => 0),
  fused: (_layer, { kernels }) => fusedRectifier(0, kernels),
};
