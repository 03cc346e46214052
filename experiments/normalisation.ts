import { defineExperiment } from "../mod.ts";

/** One factor around the seed: the normalisation after each hidden activation. */
export default defineExperiment({
  name: "normalisation",
  description: "LayerNorm (the seed's) against none, and BatchNorm where the batch " +
    "allows it (batch size 8; batch norm cannot normalise a batch of 1), 100,000 iterations.",
  base: "seed",
  sweep: {
    normalisation: ["layer_norm", "none", "batch_norm"],
    batchSize: [1, 8],
  },
  exclude: [{ normalisation: "batch_norm", batchSize: 1 }],
  seeds: 8,
  iterations: 100_000,
});
