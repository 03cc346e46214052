import { defineExperiment } from "../mod.ts";

/** The update scheme on the seed's model: which order, which D step, how much instance noise. */
export default defineExperiment({
  name: "schemes",
  description: "Alternating vs simultaneous updates × separate vs joint D steps × instance " +
    "noise σ 0, 0.05, 0.2, everything else the seed's (BCE, Adam D 0.001 / G 0.01, LayerNorm); " +
    "16 seeds, 100,000 iterations.",
  base: "seed",
  sweep: {
    updates: ["alternating", "simultaneous"],
    dUpdate: ["separate", "joint"],
    instanceNoise: [0, 0.05, 0.2],
  },
  seeds: 16,
  iterations: 100_000,
});
