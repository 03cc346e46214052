/**
 * The hyperbolic tangent, fused: `y = tanh x`, `dx = dy · (1 − y²)`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { tanh } from "./tanh.ts";
 * const y = new Float32Array(1);
 * tanh.create({ type: "tanh" }, { runs: 1, batch: 1, offset: 0, stride: 0 })
 *   .forward(Float32Array.of(1), y, new Float32Array());
 * assertAlmostEquals(y[0], Math.tanh(1), 1e-7);
 * ```
 *
 * @module
 */
import { activationOfOutput, type FusedLayerKind } from "./kind.ts";
import type { ActivationLayer } from "../../layers.ts";

/** The tanh's fused form. */
export const tanh: FusedLayerKind<ActivationLayer> = activationOfOutput(
  Math.tanh,
  (y) => 1 - y * y,
);
