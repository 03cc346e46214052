import { defineExperiment } from "../mod.ts";

/**
 * Sun, Fang & Schwing 2020 (Towards a better global loss landscape of GANs) on their five
 * Gaussians, at the settings of AilsaF/RS-GAN `5gaussian.py` (read at bc01610): 5 modes on the unit
 * circle, variance 0.002; G 2→128→128→2 ReLU fed z ~ N(0, I₂); D 2→128→128→1 leaky ReLU;
 * Adam 1e-4 β (0, 0.9) for both; batch 128; 20,000 iterations of one D step then one G step on the
 * same real batch and z (`generatorBatch: "reuse"`); PyTorch's default initialisation. JS-GAN
 * (the non-saturating loss, the script's "vanilla") against RS-GAN (the paired relativistic loss,
 * pairs sample by sample as the script's `get_rsgan_dloss`), at the script's width 128 and at
 * narrower networks (32, 16, 8), the axis of the paper's narrow-network claim (which the paper
 * makes on images; the script's widths are fixed at 128).
 *
 * What differs from the script: D's leaky slope is gansweep's 0.02 (the script's 0.2); D's last
 * layer has a bias (the script's has none); RS-GAN's D is not renormalised after each step (the
 * script sets its last layer's weight to unit norm); batches are drawn from the mixture, not from a
 * fixed set of 10,000 samples. The script reports no numbers (it saves scatter plots), so there
 * is no `published` block: the measures are gansweep's (modes within 3σ of 2,500 samples).
 */
export default defineExperiment({
  name: "five_gaussians",
  description: "JS-GAN (bce) vs RS-GAN (rsgan) on Sun, Fang & Schwing's 5 Gaussians at " +
    "AilsaF/RS-GAN 5gaussian.py's settings (Adam 1e-4 β (0, 0.9), batch 128, 20,000 " +
    "alternating steps on one batch and z, z of 2) × hidden width 128 (the script's), 32, 16, 8 " +
    "for both networks; 16 seeds",
  base: "five_gaussians",
  sweep: {
    loss: ["bce", "rsgan"],
    hidden: [
      { d: [128, 128], g: [128, 128] },
      { d: [32, 32], g: [32, 32] },
      { d: [16, 16], g: [16, 16] },
      { d: [8, 8], g: [8, 8] },
    ],
    activation: [{ d: "leaky_relu", g: "relu" }],
    generatorInput: [{ noise: 2 }],
    optimiser: [{ name: "adam", beta1: 0, beta2: 0.9 }],
    lr: [{ d: 1e-4, g: 1e-4 }],
    batchSize: [128],
    updates: ["alternating"],
    generatorBatch: ["reuse"],
    dUpdate: ["joint"],
  },
  seeds: 16,
  iterations: 20_000,
  recordEvery: 200,
  patternEvery: 1_000,
});
