import { defineExperiment } from "../mod.ts";

/** The book's first version: width 4, sigmoid, MSE, SGD 0.01, 10,000 iterations. */
export default defineExperiment({
  name: "book",
  description: "The book's first 1010 GAN (D 4→3→1, G 1→3→4, sigmoid, MSE, SGD 0.01), " +
    "10,000 iterations, 16 seeds. Its published result: G(0.5) ≈ [0.94, 0.05, 0.94, 0.05].",
  base: "book",
  seeds: 16,
  iterations: 10_000,
});
