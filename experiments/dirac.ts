import { defineExperiment } from "../mod.ts";

/**
 * Mescheder, Geiger & Nowozin 2018's Dirac-GAN: which training methods
 * converge to the equilibrium (θ, ψ) = (0, 0)? Each method under
 * simultaneous updates, alternating ones, and alternating ones with 5
 * critic steps.
 */
export default defineExperiment({
  name: "dirac",
  description: "The Dirac-GAN (data 0, G(z) = θ, D's score ψ·x, start (1, 1), SGD 0.2, 500 " +
    "iterations): minimax and non-saturating BCE, WGAN with clipping 1, WGAN-GP λ 1, the " +
    "seed's rescue (clipping 0.01) on the minimax and the non-saturating BCE, R1 γ 0.3 " +
    "and 1, instance noise σ 0.7, consensus γ 1 (the regularised ones on the minimax game), × " +
    "simultaneous, alternating, alternating with 5 critic steps; 8 seeds (only instance noise " +
    "draws from them: every other run is deterministic).",
  base: "dirac",
  variants: [
    { loss: "bce_minimax" },
    { loss: "bce" },
    { loss: "wasserstein", penalty: { weightClip: 1 } },
    { loss: "wasserstein", penalty: { gradientPenalty: 1 } },
    // The seed's rescue (every D parameter clamped to ±0.01), on the minimax and the seed's loss.
    { penalty: { weightClip: 0.01 } },
    { loss: "bce", penalty: { weightClip: 0.01 } },
    { penalty: { r1: 0.3 } },
    { penalty: { r1: 1 } },
    { instanceNoise: 0.7 },
    { consensus: 1 },
  ],
  sweep: {
    updates: ["simultaneous", "alternating"],
    dSteps: [1, 5],
  },
  exclude: [{ updates: "simultaneous", dSteps: 5 }],
  seeds: 8,
  recordEvery: 1,
  patternEvery: 1,
});
