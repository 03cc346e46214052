/**
 * The leaky rectifier, fused: `y = x > 0 ? x : alpha · x`, and its slope.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { leakyRelu } from "./leaky_relu.ts";
 * const y = new Float32Array(1);
 * leakyRelu.create({ type: "leaky_relu", alpha: 0.02 }, { runs: 1, batch: 1, offset: 0, stride: 0 })
 *   .forward(Float32Array.of(-1), y, new Float32Array());
 * assertAlmostEquals(y[0], -0.02, 1e-9);
 * ```
 *
 * @module
 */
import { type FusedLayerKind, rectifier } from "./kind.ts";
import type { LeakyReluLayer } from "../../layers.ts";

/** The leaky rectifier's fused form. */
export const leakyRelu: FusedLayerKind<LeakyReluLayer> = {
  create: (layer) => rectifier(Math.fround(layer.alpha)),
};
