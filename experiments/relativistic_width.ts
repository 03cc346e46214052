import { defineExperiment } from "../mod.ts";

/**
 * Sun, Fang & Schwing 2020 (Towards a better global loss landscape of
 * GANs) prove the paired relativistic loss has no bad basins where the
 * standard loss has exponentially many, and find it does better with narrow
 * networks. On the seed's model the standard loss learns the pattern at
 * hidden width 8 and 32 but never at the seed's 3 (`experiments/width.ts`):
 * does RpGAN learn at widths where it does not?
 */
export default defineExperiment({
  name: "relativistic_width",
  description: "Hidden widths 2, 3 (the seed's), 4 and 8 for both networks at the seed's depth " +
    "× RpGAN (rsgan) or the non-saturating loss (bce) × LayerNorm or none, joint D updates, the " +
    "seed's rates (Adam D 0.001 / G 0.01); 16 seeds, 100,000 iterations.",
  base: "seed",
  sweep: {
    hidden: [
      { d: [2, 2], g: [2, 2, 2] },
      { d: [3, 3], g: [3, 3, 3] },
      { d: [4, 4], g: [4, 4, 4] },
      { d: [8, 8], g: [8, 8, 8] },
    ],
    loss: ["bce", "rsgan"],
    normalisation: ["layer_norm", "none"],
    dUpdate: ["joint"],
  },
  seeds: 16,
  iterations: 100_000,
});
