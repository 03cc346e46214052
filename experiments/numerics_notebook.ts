import { defineExperiment } from "../mod.ts";

/**
 * The Numerics of GANs (Mescheder, Nowozin & Geiger 2017) on the ring at its notebook's settings,
 * every one read from LMescheder/TheNumericsOfGANs `notebooks/mog-eigval-dist.ipynb` (at 68d915f):
 * 8 Gaussians on the unit circle, σ 0.01, batches stratified (the notebook tiles the 8 means over
 * the batch: 64 samples of each mode per batch of 512); G z16 → 4×16 → 2 and D 2 → 4×16 → 1,
 * ReLU, slim's Xavier uniform initialisation with zero biases; the non-saturating loss, D's one
 * step on the summed terms; TensorFlow 1's RMSprop 1e-4 (decay 0.9, ε 1e-10 inside the root, the
 * accumulator from 1); simultaneous updates on one real batch and one z per iteration; 50,000
 * iterations; simultaneous gradient descent (`method = 'simga'`) against consensus optimisation at
 * the notebook's γ 10 (`reg_param`) and at γ 1.
 *
 * What differs: the seeds (16 per method; the notebook sets none). The notebook measures nothing
 * (it saves density plots); the paper says in words that consensus covers the ring's modes and
 * simultaneous gradient descent does not, which is what the published block holds: its figure was
 * not read here, so no number is read off it.
 */
export default defineExperiment({
  name: "numerics_notebook",
  description: "the ring at The Numerics of GANs' notebook settings (stratified batches of 512, " +
    "Xavier init, TF 1's RMSprop 1e-4, simultaneous on one z, 50,000 iterations): simultaneous " +
    "gradient descent vs consensus γ 1 and γ 10; 16 seeds each",
  base: "ring",
  sweep: {
    optimiser: ["rmsprop_tf"],
    init: ["xavier_uniform"],
    realBatch: ["stratified"],
    generatorBatch: ["reuse"],
    dUpdate: ["joint"],
  },
  variants: [{ consensus: 0 }, { consensus: 1 }, { consensus: 10 }],
  seeds: 16,
  iterations: 50_000,
  recordEvery: 500,
  patternEvery: 5_000,
  published: {
    paper: {
      authors: "Mescheder, Nowozin & Geiger",
      year: 2017,
      title: "The Numerics of GANs",
    },
    reportedIn: "the mixture-of-Gaussians figure (its number not read here)",
    setting: "the notebook's settings above; the paper shows density plots, not counts",
    values: [
      {
        configuration: { consensus: 10 },
        measure: "modes_captured",
        value: 8,
        note: "'consensus covers all 8 modes' in words, not a number read off the figure",
      },
    ],
  },
});
