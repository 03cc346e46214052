import { defineExperiment, type Sweep } from "../mod.ts";

/**
 * The mixtures' laptop budget, seed-style: non-saturating BCE (the preset's), Adam 1e-3 for both,
 * alternating updates, batch 64; `gaussian_grid.ts` and `ring_generator_batch.ts` train the same.
 *
 * @example
 * ```ts
 * import { LAPTOP_SWEEP } from "./ring.ts";
 * if (LAPTOP_SWEEP.batchSize[0] !== 64) throw new Error("the laptop budget's batch is 64");
 * ```
 */
export const LAPTOP_SWEEP = {
  optimiser: ["adam"],
  lr: [{ d: 1e-3, g: 1e-3 }],
  updates: ["alternating"],
  batchSize: [64],
} as const satisfies Sweep;

/**
 * The laptop budget's length: 16 seeds of 5,000 iterations, a record every 50 and G's outputs every 25.
 *
 * @example
 * ```ts
 * import { LAPTOP_LENGTH } from "./ring.ts";
 * if (LAPTOP_LENGTH.iterations !== 5_000) throw new Error("the laptop budget is 5,000 iterations");
 * ```
 */
export const LAPTOP_LENGTH = {
  seeds: 16,
  iterations: 5_000,
  recordEvery: 50,
  patternEvery: 25,
} as const;

/**
 * the ring of 8 Gaussians (radius 1, σ 0.01): does a seed-style GAN cover the modes, and which
 * method helps — consensus optimisation, R1, instance noise, spectral norm,
 * or the weight clipping that rescues the seed's problem?
 */
export default defineExperiment({
  name: "ring",
  description:
    "the ring of 8 Gaussians (radius 1, σ 0.01) on the Numerics of GANs' networks (ReLU, D 2→4×16→1, G " +
    "z16→4×16→2), trained seed-style on a laptop's budget: non-saturating BCE, Adam 1e-3 for " +
    "both, alternating updates, one joint D step, batch 64, 5,000 iterations. Methods: none, " +
    "consensus γ 1, R1 γ 1, instance noise σ 0.1, spectral norm on D, weight clipping 0.01 " +
    "(the seed's rescue); 16 seeds. Judged on 2,500 samples of the final G.",
  base: "ring",
  sweep: LAPTOP_SWEEP,
  variants: [
    { penalty: "none" },
    { consensus: 1 },
    { penalty: { r1: 1 } },
    { instanceNoise: 0.1 },
    { normalisation: { d: "spectral_norm", g: "none" } },
    { penalty: { weightClip: 0.01 } },
  ],
  ...LAPTOP_LENGTH,
});
