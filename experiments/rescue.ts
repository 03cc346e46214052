import { choice, defineExperiment, logUniform, uniform } from "../mod.ts";

/**
 * Where (if anywhere) does the seed's GAN learn 1,0,1,0,1,0? A random
 * search on the seed's model over both learning rates (log-uniform over
 * four decades each), Adam's β1, the loss, the penalty (with its weight),
 * the normalisation and the critic steps. Sized to finish in about half
 * an hour on 2 cores: 64 configurations × 4 seeds at 20,000 iterations
 * (the quick experiment's length); categorical dimensions are kept few so
 * that samples share batches. The three best configurations are then
 * confirmed at full length over 16 fresh seeds (experiments/rescue_confirm_*.ts).
 */
export default defineExperiment({
  name: "rescue",
  description: "Random search on the seed's model: learning rates log-uniform over 1e-5–1e-1, " +
    "Adam's β1 in [0, 0.9], loss, penalty (weight log-uniform), normalisation, 1 or 5 critic " +
    "steps; 64 configurations × 4 seeds × 20,000 iterations.",
  base: "seed",
  search: {
    samples: 64,
    seed: 2026,
    space: {
      "lr.d": logUniform(1e-5, 1e-1),
      "lr.g": logUniform(1e-5, 1e-1),
      "optimiser.beta1": uniform(0, 0.9),
      loss: choice(["bce", "bce_minimax", "mse", "hinge", "wasserstein"]),
      penalty: choice(["none", { weightClip: 0.01 }, { gradientPenalty: 10 }, { r1: 10 }]),
      "penalty.weightClip": logUniform(1e-3, 1e-1),
      "penalty.gradientPenalty": logUniform(0.1, 10),
      "penalty.r1": logUniform(0.1, 10),
      normalisation: choice(["layer_norm", "none"]),
      dSteps: choice([1, 5]),
    },
  },
  seeds: 4,
  iterations: 20_000,
});
