import { defineExperiment } from "../mod.ts";

/** One factor around the seed: the loss. */
export default defineExperiment({
  name: "loss",
  description: "BCE (the seed's) against MSE, all else as the seed, 100,000 iterations.",
  base: "seed",
  sweep: { loss: ["bce", "mse"] },
  seeds: 8,
  iterations: 100_000,
});
