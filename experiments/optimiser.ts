import { defineExperiment } from "../mod.ts";

/** One factor around the seed: the optimiser, at the seed's learning rates. */
export default defineExperiment({
  name: "optimiser",
  description: "Adam (the seed's) against plain SGD and SGD with momentum 0.9, at the " +
    "seed's learning rates (D 0.001, G 0.01), 100,000 iterations.",
  base: "seed",
  sweep: { optimiser: ["adam", "sgd", { name: "sgd", momentum: 0.9 }] },
  seeds: 8,
  iterations: 100_000,
});
