import { defineExperiment } from "../mod.ts";

/** One factor around the seed: the learning rates of D and G. */
export default defineExperiment({
  name: "learning_rate",
  description: "The seed's learning rates (D 0.001, G 0.01) against a tenth, ten times, " +
    "equal rates, and the SGD alternative's D rate (0.005), with Adam, 100,000 iterations.",
  base: "seed",
  sweep: {
    lr: [
      { d: 0.001, g: 0.01 },
      { d: 0.0001, g: 0.001 },
      { d: 0.01, g: 0.1 },
      { d: 0.001, g: 0.001 },
      { d: 0.005, g: 0.01 },
    ],
  },
  seeds: 8,
  iterations: 100_000,
});
