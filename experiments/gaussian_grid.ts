import { defineExperiment } from "../mod.ts";
import { LAPTOP_LENGTH, LAPTOP_SWEEP } from "./ring.ts";

/**
 * the grid of 25 Gaussians ({−4, −2, 0, 2, 4}², σ 0.05): does a seed-style GAN cover the modes, and which
 * method helps — consensus optimisation, R1, instance noise, spectral norm,
 * or the weight clipping that rescues the seed's problem?
 */
export default defineExperiment({
  name: "gaussian_grid",
  description:
    "the grid of 25 Gaussians ({−4, −2, 0, 2, 4}², σ 0.05) on the Numerics of GANs' networks (ReLU, D 2→4×16→1, G " +
    "z16→4×16→2), trained seed-style on a laptop's budget: non-saturating BCE, Adam 1e-3 for " +
    "both, alternating updates, one joint D step, batch 64, 5,000 iterations. Methods: none, " +
    "consensus γ 1, R1 γ 1, instance noise σ 0.1, spectral norm on D, weight clipping 0.01 " +
    "(the seed's rescue); 16 seeds. Judged on 2,500 samples of the final G.",
  base: "grid",
  sweep: LAPTOP_SWEEP,
  variants: [
    { penalty: "none" },
    { consensus: 1 },
    { penalty: { r1: 1 } },
    { instanceNoise: 0.1 },
    { normalisation: { d: "spectral_norm", g: "none" } },
    { penalty: { weightClip: 0.01 } },
  ],
  ...LAPTOP_LENGTH,
});
