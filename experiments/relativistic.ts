import { defineExperiment } from "../mod.ts";

/**
 * The paired relativistic loss (RSGAN = RpGAN; Jolicoeur-Martineau 2019,
 * Sun, Fang & Schwing 2020) against the seed's non-saturating loss, without
 * a penalty and with R1, R2 or both (R3GAN's pair, Huang et al. 2024), on the
 * seed's model. Both losses take one D step on the summed terms (a
 * relativistic loss needs it), so that the loss is the only difference.
 */
export default defineExperiment({
  name: "relativistic",
  description: "RpGAN (rsgan) vs the non-saturating loss (bce) × no penalty, R1 γ 1, R2 γ 1, " +
    "R1 + R2 γ 1 on the seed's model, joint D updates, everything else the seed's (Adam D 0.001 " +
    "/ G 0.01, LayerNorm, batch 1); 16 seeds, 100,000 iterations.",
  base: "seed",
  sweep: {
    loss: ["bce", "rsgan"],
    penalty: ["none", { r1: 1 }, { r2: 1 }, [{ r1: 1 }, { r2: 1 }]],
    dUpdate: ["joint"],
  },
  seeds: 16,
  iterations: 100_000,
});
