import { defineExperiment } from "../mod.ts";

/** The full factorial around the seed: 2 × 2 × 2 × 2 configurations × 8 seeds. */
export default defineExperiment({
  name: "grid",
  description: "Loss × optimiser × learning rates × normalisation, 8 seeds each " +
    "(128 runs), at the seed's full 100,000 iterations.",
  base: "seed",
  sweep: {
    loss: ["bce", "mse"],
    optimiser: ["adam", "sgd"],
    lr: [{ d: 0.001, g: 0.01 }, { d: 0.005, g: 0.01 }],
    normalisation: ["layer_norm", "none"],
  },
  seeds: 8,
  iterations: 100_000,
});
