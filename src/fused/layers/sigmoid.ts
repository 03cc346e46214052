/**
 * The logistic sigmoid, fused: `y = 1 / (1 + e^−x)`, `dx = dy · y (1 − y)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sigmoid } from "./sigmoid.ts";
 * const y = new Float32Array(1);
 * sigmoid.create({ type: "sigmoid" }, { runs: 1, batch: 1, offset: 0, stride: 0 })
 *   .forward(Float32Array.of(0), y, new Float32Array());
 * assertEquals(y[0], 0.5);
 * ```
 *
 * @module
 */
import { activationOfOutput, type FusedLayerKind } from "./kind.ts";
import type { ActivationLayer } from "../../layers.ts";

/** The sigmoid's fused form. */
export const sigmoid: FusedLayerKind<ActivationLayer> = activationOfOutput(
  (x) => 1 / (1 + Math.exp(-x)),
  (y) => y * (1 - y),
);
