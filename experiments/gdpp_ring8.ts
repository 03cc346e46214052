import { defineExperiment } from "../mod.ts";

/**
 * `gdpp_ring.ts`'s settings (M-Elfeki/GDPP `gdppgan_Synthetic.py`, read at 9933aff, without its
 * GDPP term) on the ring of 8 distinct modes, `2πk/8` (gansweep's `ring`), instead of the script's
 * `linspace(0, 2π, 8)` ring with a repeated mode: what the same GAN does where the ring is the one
 * the table's caption describes. No published block: the table's numbers are for the script's
 * ring. Budget: 2 seeds (about 12 min of one core per run on the 2-core machine).
 */
export default defineExperiment({
  name: "gdpp_ring8",
  description: "GDPP's plain GAN settings (2×128 tanh, z 256, orthogonal 1.4, Adam G 1e-3 / D " +
    "1e-4 β1 0.5, batch 512, 25,000 simultaneous steps) on the ring of 8 distinct modes; 2 seeds",
  base: "ring",
  sweep: {
    hidden: [{ d: [128, 128], g: [128, 128] }],
    activation: ["tanh"],
    generatorInput: [{ noise: 256 }],
    init: [{ name: "orthogonal", gain: 1.4 }],
    loss: ["bce"],
    optimiser: [{ name: "adam", beta1: 0.5, beta2: 0.999, eps: 1e-8 }],
    lr: [{ d: 1e-4, g: 1e-3 }],
    batchSize: [512],
    updates: ["simultaneous"],
    generatorBatch: ["reuse"],
    dUpdate: ["joint"],
  },
  seeds: 2,
  iterations: 25_000,
  recordEvery: 250,
  patternEvery: 2_500,
});
