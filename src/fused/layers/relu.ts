/**
 * The rectifier, fused: `y = max(x, 0)`, `dx = dy` where `x > 0`, else 0.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { relu } from "./relu.ts";
 * const y = new Float32Array(2);
 * relu.create({ type: "relu" }, { runs: 1, batch: 1, offset: 0, stride: 0 })
 *   .forward(Float32Array.of(-1, 2), y, new Float32Array());
 * assertEquals(y, Float32Array.of(0, 2));
 * ```
 *
 * @module
 */
import { type FusedLayerKind, rectifier } from "./kind.ts";
import type { ActivationLayer } from "../../layers.ts";

/** The rectifier's fused form. */
export const relu: FusedLayerKind<ActivationLayer> = { create: () => rectifier(0) };
