/**
 * The seed's problem: G, fed the constant 0.5, must emit 1,0,1,0,1,0 (each
 * slot uniform in [0.8, 1] or [0, 0.2]), judged by the shared checks
 * (`results/checks.ts`). Its preset is `seed`, whose run ids never change.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pattern } from "./pattern.ts";
 * assertEquals(pattern.data.width, 6);
 * ```
 *
 * @module
 */
import { SEED_PATTERN } from "../../core/data.ts";
import type { ProblemKind } from "./kind.ts";

/** The seed's networks and factors (the `seed` preset). */
export const SEED_PRESET = {
  description: "the seed's GAN: LayerNorm D and G, BCE, Adam (D 0.001, G 0.01)",
  discriminator: { inputs: 6, hidden: [3, 3], outputs: 1, output: "sigmoid" },
  generator: { inputs: 1, hidden: [3, 3, 3], outputs: 6, output: "leaky_relu" },
  iterations: 100_000,
  factors: {
    loss: "bce",
    optimiser: "adam",
    lr: { d: 0.001, g: 0.01 },
    normalisation: "layer_norm",
    activation: { d: "sigmoid", g: "leaky_relu" },
    batchSize: 1,
    generatorInput: 0.5,
    penalty: "none",
    dSteps: 1,
  },
} as const;

/** The 1010 pattern. */
export const pattern = {
  description: "G fed the constant 0.5 must emit the pattern 1,0,1,0,1,0",
  reference: "Make Your First GAN With PyTorch (Rashid 2020)",
  data: SEED_PATTERN,
  preset: SEED_PRESET,
  columns: [],
  verdicts: [],
  plot: { points: [[0.9, 0.1]], axes: ["g_out_0", "g_out_1"] },
} as const satisfies ProblemKind;
