import { defineExperiment } from "../mod.ts";

/** Would a wider network learn the pattern? The seed's depth at widths 3 (the seed's), 8 and 32. */
export default defineExperiment({
  name: "width",
  description: "Hidden widths 3 (the seed's), 8 and 32 for both networks at the seed's depth " +
    "(D 2 hidden layers, G 3) × LayerNorm or none × the seed's loss (non-saturating BCE) and " +
    "the minimax BCE, at the seed's rates (Adam D 0.001 / G 0.01); 16 seeds, 100,000 iterations.",
  base: "seed",
  sweep: {
    hidden: [
      { d: [3, 3], g: [3, 3, 3] },
      { d: [8, 8], g: [8, 8, 8] },
      { d: [32, 32], g: [32, 32, 32] },
    ],
    normalisation: ["layer_norm", "none"],
    loss: ["bce", "bce_minimax"],
  },
  seeds: 16,
  iterations: 100_000,
});
