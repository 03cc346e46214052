import { defineExperiment } from "../mod.ts";

/** The `sngan` preset: a recipe of the GAN literature on the seed's networks. */
export default defineExperiment({
  name: "sngan",
  description:
    "SN-GAN's recipe (hinge loss, spectral norm on D, Adam 2e-4 β (0, 0.9)) on the seed's networks, 16 seeds, 100,000 iterations.",
  base: "sngan",
  seeds: 16,
  iterations: 100_000,
});
