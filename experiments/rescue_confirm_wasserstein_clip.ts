import { defineExperiment } from "../mod.ts";

/**
 * Confirms the rescue search's third configuration (3 of 4 seeds learned
 * the pattern at 20,000 iterations; `results/rescue/search.csv`, third row)
 * on 16 fresh seeds at the seed's full 100,000 iterations.
 */
export default defineExperiment({
  name: "rescue_confirm_wasserstein_clip",
  description: "The rescue search's third configuration (Wasserstein, weight clipping 0.006092, " +
    "no normalisation, 5 critic steps, Adam β1 0.751, D 4.612e-5 / G 7.043e-5) on 16 fresh " +
    "seeds (5–20), 100,000 iterations.",
  base: "seed",
  sweep: {
    loss: ["wasserstein"],
    optimiser: [{ name: "adam", beta1: 0.751 }],
    lr: [{ d: 0.00004612, g: 0.00007043 }],
    normalisation: ["none"],
    penalty: [{ weightClip: 0.006092 }],
    dSteps: [5],
  },
  seeds: Array.from({ length: 16 }, (_, i) => i + 5),
  iterations: 100_000,
});
