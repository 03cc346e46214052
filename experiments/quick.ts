import { defineExperiment } from "../mod.ts";

/** What `deno task sweep` runs by default: all four factors, short runs, in minutes. */
export default defineExperiment({
  name: "quick",
  description: "All four factors around the seed (loss, optimiser, learning rates, " +
    "normalisation), 4 seeds, 20,000 iterations: a first answer in a minute or two.",
  base: "seed",
  sweep: {
    loss: ["bce", "mse"],
    optimiser: ["adam", "sgd"],
    lr: [{ d: 0.001, g: 0.01 }, { d: 0.005, g: 0.01 }],
    normalisation: ["layer_norm", "none"],
  },
  seeds: 4,
  iterations: 20_000,
});
