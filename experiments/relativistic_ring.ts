import { defineExperiment } from "../mod.ts";

/**
 * The paired relativistic loss (RpGAN) against the non-saturating loss on the ring of 8
 * Gaussians, without a penalty and with R1, R2 or both, at the committed ring study's laptop
 * budget (experiments/ring.ts): does RpGAN cover more modes where neither loss converges?
 */
export default defineExperiment({
  name: "relativistic_ring",
  description:
    "RpGAN (rsgan) vs the non-saturating loss (bce) × no penalty, R1 γ 1, R2 γ 1, R1 + R2 γ 1 " +
    "on the ring of 8 Gaussians at experiments/ring.ts's budget (Adam 1e-3, alternating, " +
    "batch 64, 5,000 iterations) with one D step on the summed terms; 16 seeds",
  base: "ring",
  sweep: {
    loss: ["bce", "rsgan"],
    penalty: ["none", { r1: 1 }, { r2: 1 }, [{ r1: 1 }, { r2: 1 }]],
    optimiser: ["adam"],
    lr: [{ d: 1e-3, g: 1e-3 }],
    updates: ["alternating"],
    batchSize: [64],
    dUpdate: ["joint"],
  },
  seeds: 16,
  iterations: 5_000,
  recordEvery: 50,
  patternEvery: 25,
});
