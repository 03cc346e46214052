import { defineExperiment } from "../mod.ts";

/**
 * Confirms the rescue search's best configuration (4 of 4 seeds learned the
 * pattern at 20,000 iterations; `results/rescue/search.csv`, first row) on
 * 16 fresh seeds at the seed's full 100,000 iterations.
 */
export default defineExperiment({
  name: "rescue_confirm_mse_gp",
  description: "The rescue search's best configuration (MSE, WGAN-GP λ 0.7214, no normalisation, " +
    "5 critic steps, Adam β1 0.3169, D 0.04303 / G 0.0002096) on 16 fresh seeds (5–20), " +
    "100,000 iterations.",
  base: "seed",
  sweep: {
    loss: ["mse"],
    optimiser: [{ name: "adam", beta1: 0.3169 }],
    lr: [{ d: 0.04303, g: 0.0002096 }],
    normalisation: ["none"],
    penalty: [{ gradientPenalty: 0.7214 }],
    dSteps: [5],
  },
  seeds: Array.from({ length: 16 }, (_, i) => i + 5),
  iterations: 100_000,
});
