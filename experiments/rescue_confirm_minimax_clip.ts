import { defineExperiment } from "../mod.ts";

/**
 * Confirms the rescue search's second-best configuration (4 of 4 seeds
 * learned the pattern at 20,000 iterations; `results/rescue/search.csv`,
 * second row) on 16 fresh seeds at the seed's full 100,000 iterations.
 */
export default defineExperiment({
  name: "rescue_confirm_minimax_clip",
  description: "The rescue search's second configuration (minimax BCE, weight clipping 0.04894, " +
    "LayerNorm, 5 critic steps, Adam β1 0.002389, D 4.251e-5 / G 5.492e-5) on 16 fresh seeds " +
    "(5–20), 100,000 iterations.",
  base: "seed",
  sweep: {
    loss: ["bce_minimax"],
    optimiser: [{ name: "adam", beta1: 0.002389 }],
    lr: [{ d: 0.00004251, g: 0.00005492 }],
    normalisation: ["layer_norm"],
    penalty: [{ weightClip: 0.04894 }],
    dSteps: [5],
  },
  seeds: Array.from({ length: 16 }, (_, i) => i + 5),
  iterations: 100_000,
});
