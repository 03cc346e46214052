import { defineExperiment } from "../mod.ts";
import { GDPP_LENGTH, GDPP_SWEEP } from "./gdpp_ring.ts";

/**
 * The plain GAN of GDPP's Table 1 (Elfeki, Couprie, Rivière & Elhoseiny 2019), grid columns, at the
 * settings of the script the table's synthetic rows come from, M-Elfeki/GDPP
 * `gdppgan_Synthetic.py` (read at 9933aff) without its GDPP term: its grid (25 modes on {−4, −2, 0, 2, 4}², σ 0.05, the same as gansweep's grid); G z256 → 128 → 128 → 2 and
 * D 2 → 128 → 128 → 1, tanh, orthogonal initialisation gain 1.4, biases zero; the non-saturating
 * loss with D's one step on the summed terms; Adam G 1e-3 / D 1e-4, β1 0.5, ε 1e-8; batch 512;
 * 25,000 steps with both players on one real batch and one z (`sess.run([g_train_op,
 * d_train_op])`: simultaneous). Modes and high-quality share from 2,500 samples, within 3σ of the
 * nearest mean, as the script's evaluation.
 *
 * What differs from the script: PyTorch's Adam (ε outside the bias correction; TF's Adam adds ε̂
 * to the uncorrected root, a difference of order 1e-8); the seeds; TF runs both train ops in one
 * `Session.run` without a dependency, which gansweep reads as simultaneous. Budget: 2 seeds, not
 * 16 (about 12 min of one core per run on the 2-core machine). The table's GAN row is identical to
 * VEEGAN's Table 1, so it may come from VEEGAN's settings rather than this script; its number of
 * runs is not stated.
 */
export default defineExperiment({
  name: "gdpp_grid",
  description:
    "GDPP's Table 1 plain GAN on the grid at gdppgan_Synthetic.py's settings (2×128 tanh, " +
    "z 256, orthogonal 1.4, Adam G 1e-3 / D 1e-4 β1 0.5, batch 512, 25,000 simultaneous steps); " +
    "2 seeds",
  base: "grid",
  sweep: GDPP_SWEEP,
  seeds: 2,
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
      { configuration: {}, measure: "modes_captured", value: 3.3 },
      { configuration: {}, measure: "high_quality_share", value: 0.005, note: "0.5% in the table" },
    ],
  },
});
