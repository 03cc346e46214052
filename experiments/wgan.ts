import { defineExperiment } from "../mod.ts";

/** The `wgan` preset: a recipe of the GAN literature on the seed's networks. */
export default defineExperiment({
  name: "wgan",
  description:
    "WGAN's recipe (Wasserstein loss, weight clipping 0.01, RMSprop 5e-5, 5 critic steps) on the seed's networks, 16 seeds, 100,000 iterations.",
  base: "wgan",
  seeds: 16,
  iterations: 100_000,
});
