import { defineExperiment } from "../mod.ts";

/** Every loss × every penalty (and none) on the seed's model, at its full length. */
export default defineExperiment({
  name: "zoo",
  description: "The GAN zoo on the seed's model: every loss (bce, bce_minimax, mse, hinge, " +
    "wasserstein) × no penalty, weight clipping 0.01, WGAN-GP λ 10, R1 γ 10; everything " +
    "else the seed's (Adam D 0.001 / G 0.01, LayerNorm); 16 seeds, 100,000 iterations.",
  base: "seed",
  sweep: {
    loss: ["bce", "bce_minimax", "mse", "hinge", "wasserstein"],
    penalty: ["none", { weightClip: 0.01 }, { gradientPenalty: 10 }, { r1: 10 }],
  },
  seeds: 16,
  iterations: 100_000,
});
