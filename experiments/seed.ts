import { defineExperiment } from "../mod.ts";

/** The seed exactly, replicated: does its GAN converge, and how often? */
export default defineExperiment({
  name: "seed",
  description: "The seed's GAN as published (BCE, Adam D 0.001 / G 0.01, LayerNorm, " +
    "100,000 iterations), replicated over 16 seeds.",
  base: "seed",
  seeds: 16,
  iterations: 100_000,
});
