import { defineExperiment, type Sweep } from "../mod.ts";

/**
 * GDPP's settings for its plain GAN, from M-Elfeki/GDPP `gdppgan_Synthetic.py` (read at 9933aff)
 * without its GDPP term, as a sweep of one configuration; `gdpp_grid.ts` and `gdpp_ring8.ts` train
 * the same on other data.
 *
 * @example
 * ```ts
 * import { GDPP_SWEEP } from "./gdpp_ring.ts";
 * if (GDPP_SWEEP.batchSize[0] !== 512) throw new Error("the script's batch is 512");
 * ```
 */
export const GDPP_SWEEP = {
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
} as const satisfies Sweep;

/**
 * The script's 25,000 steps, with a record every 250 and G's samples every 2,500.
 *
 * @example
 * ```ts
 * import { GDPP_LENGTH } from "./gdpp_ring.ts";
 * if (GDPP_LENGTH.iterations !== 25_000) throw new Error("the script trains 25,000 steps");
 * ```
 */
export const GDPP_LENGTH = { iterations: 25_000, recordEvery: 250, patternEvery: 2_500 } as const;

/**
 * The plain GAN of GDPP's Table 1 (Elfeki, Couprie, Rivière & Elhoseiny 2019), ring columns, at the
 * settings of the script the table's synthetic rows come from, M-Elfeki/GDPP
 * `gdppgan_Synthetic.py` (read at 9933aff) without its GDPP term: its ring (8 means at linspace(0, 2π, 8): 7 distinct modes, judged against the 8, as the script's evaluation); G z256 → 128 → 128 → 2 and
 * D 2 → 128 → 128 → 1, tanh, orthogonal initialisation gain 1.4, biases zero; the non-saturating
 * loss with D's one step on the summed terms; Adam G 1e-3 / D 1e-4, β1 0.5, ε 1e-8; batch 512;
 * 25,000 steps with both players on one real batch and one z (`sess.run([g_train_op,
 * d_train_op])`: simultaneous). Modes and high-quality share from 2,500 samples, within 3σ of the
 * nearest mean, as the script's evaluation.
 *
 * What differs from the script: PyTorch's Adam (ε outside the bias correction; TF's Adam adds ε̂
 * to the uncorrected root, a difference of order 1e-8); the seeds; TF runs both train ops in one
 * `Session.run` without a dependency, which gansweep reads as simultaneous. Budget: 8 seeds, not
 * 16 (about 12 min of one core per run on the 2-core machine). The table's GAN row is identical to
 * VEEGAN's Table 1, so it may come from VEEGAN's settings rather than this script; its number of
 * runs is not stated.
 */
export default defineExperiment({
  name: "gdpp_ring",
  description:
    "GDPP's Table 1 plain GAN on the ring at gdppgan_Synthetic.py's settings (2×128 tanh, " +
    "z 256, orthogonal 1.4, Adam G 1e-3 / D 1e-4 β1 0.5, batch 512, 25,000 simultaneous steps); " +
    "8 seeds",
  base: "ring_linspace",
  sweep: GDPP_SWEEP,
  seeds: 8,
  ...GDPP_LENGTH,
  published: {
    paper: {
      authors: "Elfeki, Couprie, Rivière & Elhoseiny",
      year: 2019,
      title: "Learning Diverse Generations Using Determinantal Point Processes",
      short: "GDPP",
    },
    reportedIn: "Table 1 (the repository's Figures/Fig_2.png)",
    setting: "the plain GAN row; the table does not say how many runs",
    values: [
      { configuration: {}, measure: "modes_captured", value: 1 },
      {
        configuration: {},
        measure: "high_quality_share",
        value: 0.993,
        note: "99.3% in the table",
      },
    ],
  },
});
