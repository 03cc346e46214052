import { defineExperiment } from "../mod.ts";

/** The `wgan_gp` preset: a recipe of the GAN literature on the seed's networks. */
export default defineExperiment({
  name: "wgan_gp",
  description:
    "WGAN-GP's recipe (Wasserstein loss, gradient penalty λ 10, Adam 1e-4 β (0.5, 0.9), 5 critic steps) on the seed's networks, 16 seeds, 100,000 iterations.",
  base: "wgan_gp",
  seeds: 16,
  iterations: 100_000,
});
