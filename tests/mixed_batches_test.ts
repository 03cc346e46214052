/**
 * Runs whose optimiser settings or penalty weights differ train in one
 * batch, each as it would alone; and the sweep batches them together.
 */
import { assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import { ENGINES, trainBatch } from "../src/engine/train.ts";
import { type Factors, resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { validateExperiment } from "../src/design/experiment.ts";
import { expandGrid } from "../src/design/grid.ts";
import { makeBatches } from "../src/run/batches.ts";

await useBackend();

const CASES: [string, Partial<Factors>[]][] = [
  ["Adam's betas and eps", [
    { optimiser: { name: "adam", beta1: 0.5, beta2: 0.9 } },
    { optimiser: { name: "adam", beta1: 0, beta2: 0.99, eps: 1e-6 } },
  ]],
  ["SGD's momentum (0 beside 0.9)", [
    { optimiser: { name: "sgd", momentum: 0.9 } },
    { optimiser: { name: "sgd", momentum: 0 } },
  ]],
  ["RMSprop's alpha and weight clipping's c", [
    {
      optimiser: { name: "rmsprop", alpha: 0.9 },
      penalty: { weightClip: 0.01 },
      loss: "wasserstein",
    },
    {
      optimiser: { name: "rmsprop", alpha: 0.99 },
      penalty: { weightClip: 0.1 },
      loss: "wasserstein",
    },
  ]],
  ["WGAN-GP's λ and optimistic Adam's beta1", [
    {
      optimiser: { name: "optimistic_adam", beta1: 0.5 },
      penalty: { gradientPenalty: 1 },
      loss: "wasserstein",
    },
    {
      optimiser: { name: "optimistic_adam", beta1: 0.9 },
      penalty: { gradientPenalty: 10 },
      loss: "wasserstein",
    },
  ]],
  ["R1's γ", [{ penalty: { r1: 0.1 } }, { penalty: { r1: 10 } }]],
];

for (const [[name, levels], engine] of CASES.flatMap((c) => ENGINES.map((e) => [c, e] as const))) {
  Deno.test(`${engine} engine: a batch mixing ${name} trains each run as it would alone`, async () => {
    const configs = levels.map((level) => resolveConfig("seed", level, { iterations: 200 }));
    const runOf = (i: number) => ({
      seed: i + 1,
      learningRates: { discriminator: 0.002, generator: 0.005 },
      optimiser: configs[i].optimiser,
      penalty: configs[i].penalty,
    });
    const together = await trainBatch(trainingSetup(configs[0]), [runOf(0), runOf(1)], { engine });
    for (const i of [0, 1]) {
      const [alone] = await trainBatch(trainingSetup(configs[i]), [runOf(i)], { engine });
      assertEquals(together[i].curves, alone.curves, `run ${i}`);
      assertEquals(together[i].finalParameters, alone.finalParameters, `run ${i}`);
    }
  });
}

Deno.test("the sweep puts runs that differ only in such settings into one batch", async () => {
  const experiment = validateExperiment({
    name: "m",
    base: "seed",
    sweep: {
      optimiser: [{ name: "adam", beta1: [0, 0.5, 0.9] }],
      penalty: [{ gradientPenalty: [1, 10] }],
    },
    seeds: 2,
  }, "m.ts");
  const runs = await expandGrid(experiment);
  assertEquals(runs.length, 12);
  assertEquals(makeBatches(runs, 1).length, 1);
});
