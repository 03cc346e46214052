import { choice, defineExperiment, logUniform, uniform } from "../mod.ts";

/**
 * A small random search, to show how it is declared and how fast it trains:
 * everything it searches (learning rates, Adam's betas, the clip value)
 * may differ between the runs of one batch, so its 128 runs train as a few
 * large batches. A demonstration (2,000 iterations), not a finding.
 */
export default defineExperiment({
  name: "search_demo",
  description: "32 configurations drawn around the WGAN-style clipped seed model, 4 seeds each, " +
    "2,000 iterations: a demonstration of search and of batches that mix configurations.",
  base: "seed",
  search: {
    samples: 32,
    seed: 1,
    space: {
      "lr.d": logUniform(1e-5, 1e-1),
      "lr.g": logUniform(1e-5, 1e-1),
      "optimiser.beta1": uniform(0, 0.9),
      "optimiser.beta2": uniform(0.9, 0.999),
      penalty: choice([{ weightClip: 0.01 }]),
      "penalty.weightClip": logUniform(1e-3, 1e-1),
    },
  },
  seeds: 4,
  iterations: 2000,
});
