import { defineExperiment } from "../mod.ts";

/**
 * The paired relativistic loss on the Dirac-GAN (Mescheder et al. 2018):
 * data at 0 makes C(x) = 0, so RpGAN's D minimises softplus(ψθ) and G
 * softplus(−ψθ): the non-saturating GAN's gradients exactly. Does it then
 * converge where the non-saturating loss does, with R1, R2 or both?
 */
export default defineExperiment({
  name: "relativistic_dirac",
  description: "The Dirac-GAN (SGD 0.2, 500 iterations, start (1, 1)): RpGAN (rsgan) vs the " +
    "non-saturating loss (bce) × no penalty, R1 γ 1, R2 γ 1, R1 + R2 γ 1 × simultaneous or " +
    "alternating updates; 2 seeds (every run is deterministic).",
  base: "dirac",
  sweep: {
    loss: ["bce", "rsgan"],
    penalty: ["none", { r1: 1 }, { r2: 1 }, [{ r1: 1 }, { r2: 1 }]],
    updates: ["simultaneous", "alternating"],
  },
  seeds: 2,
  recordEvery: 1,
  patternEvery: 1,
});
