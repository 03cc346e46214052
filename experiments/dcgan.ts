import { defineExperiment } from "../mod.ts";

/** The `dcgan` preset: a recipe of the GAN literature on the seed's networks. */
export default defineExperiment({
  name: "dcgan",
  description:
    "DCGAN's training recipe (BCE, Adam 2e-4 β (0.5, 0.999)) on the seed's networks, 16 seeds, 100,000 iterations.",
  base: "dcgan",
  seeds: 16,
  iterations: 100_000,
});
