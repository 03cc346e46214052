import { defineExperiment } from "../mod.ts";

/**
 * Does the seed's rescue, weight clipping at 0.01, carry over to the
 * Dirac-GAN? Its 500 iterations (experiments/dirac.ts) are too few for a
 * player whose D is held to |ψ| ≤ 0.01: the same runs at 5,000.
 */
export default defineExperiment({
  name: "dirac_clip",
  description: "The Dirac-GAN with every D parameter clamped to ±0.01 (the seed's rescue), the " +
    "minimax and the non-saturating BCE, × simultaneous, alternating, alternating with 5 critic " +
    "steps, 5,000 iterations (10× the paper's budget); deterministic, one seed.",
  base: "dirac",
  variants: [
    { penalty: { weightClip: 0.01 } },
    { loss: "bce", penalty: { weightClip: 0.01 } },
  ],
  sweep: {
    updates: ["simultaneous", "alternating"],
    dSteps: [1, 5],
  },
  exclude: [{ updates: "simultaneous", dSteps: 5 }],
  seeds: 1,
  iterations: 5_000,
  recordEvery: 10,
  patternEvery: 10,
});
