import { defineExperiment } from "../mod.ts";

/**
 * The ring of 8 Gaussians at its preset's full budget, with The Numerics of GANs' step: one z
 * per iteration shared by D and G (`generatorBatch: "reuse"`), simultaneous RMSprop 1e-4, batch
 * 512, 50,000 iterations; simultaneous gradient descent vs consensus γ 10 (the notebook's γ).
 * Differs from the notebook `LMescheder/TheNumericsOfGANs` `notebooks/mog-eigval-dist.ipynb`
 * in three settings: PyTorch's RMSprop (TF's starts its accumulator at 1 and puts ε inside the
 * root), PyTorch's default initialisation (not Xavier) and i.i.d. batches (not 64 per mode);
 * `numerics_notebook.ts` has all three (`rmsprop_tf`, `init: "xavier_uniform"`,
 * `realBatch: "stratified"`).
 */
export default defineExperiment({
  name: "ring_budget",
  description:
    "the ring at its preset's full budget with The Numerics of GANs' step (one z per iteration): " +
    "batch 512, 50,000 iterations, simultaneous RMSprop 1e-4; plain and consensus γ 10; 16 seeds",
  base: "ring",
  sweep: { generatorBatch: ["reuse"], dUpdate: ["joint"] },
  variants: [{ consensus: 0 }, { consensus: 10 }],
  seeds: 16,
  iterations: 50_000,
  recordEvery: 500,
  patternEvery: 5_000,
});
