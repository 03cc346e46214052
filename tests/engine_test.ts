/**
 * Both engines train runs side by side without them touching: a run's
 * numbers are its own, whatever shares its batch.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import type { RunRecord } from "../src/engine/records.ts";
import type { RunSetup } from "../src/engine/setup.ts";
import { CURVE_COLUMNS } from "../src/engine/step.ts";
import { ENGINES, trainBatch as trainOn, type TrainWithOptions } from "../src/engine/train.ts";
import { batchNorm, linear, NetworkError, sigmoid } from "../src/nn/layers/mod.ts";
import { seededParameters } from "../src/nn/parameters.ts";
import { engineLearningRates, resolveConfig, trainingSetup } from "../src/design/factors.ts";

await useBackend();

const SEED_CONFIG = resolveConfig("seed", {});
const SEED = { ...trainingSetup(SEED_CONFIG), iterations: 300 };
const lr = engineLearningRates(SEED_CONFIG);

function worstDifference(a: RunRecord, b: RunRecord): number {
  let worst = 0;
  for (const name of CURVE_COLUMNS) {
    a.curves[name].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b.curves[name][i]))));
  }
  a.patterns.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b.patterns[i]))));
  a.finalParameters.generator.forEach((v, i) =>
    worst = Math.max(worst, Math.abs(v - b.finalParameters.generator[i]))
  );
  return worst;
}

for (const engine of ENGINES) {
  const trainBatch = (
    setup: Parameters<typeof trainOn>[0],
    runs: Parameters<typeof trainOn>[1],
    options: TrainWithOptions = {},
  ) => trainOn(setup, runs, { ...options, engine });

  Deno.test(`${engine} engine: records losses every 10 iterations and G's output every 100, as the seed does`, async () => {
    const [record] = await trainBatch(SEED, [{ seed: 3, learningRates: lr }]);
    assertEquals(record.curveIterations.length, 30);
    assertEquals(record.curveIterations.slice(0, 3), [10, 20, 30]);
    assertEquals(record.patternIterations, [100, 200, 300]);
    assertEquals(record.patterns.length, 3 * 6);
    assertEquals(record.divergedAt, null);
    assert(CURVE_COLUMNS.every((name) => record.curves[name].every(Number.isFinite)));
  });

  Deno.test(`${engine} engine: a run trained in a batch of 8 equals the same run trained alone`, async () => {
    const runs: RunSetup[] = Array.from({ length: 8 }, (_, i) => ({
      seed: 100 + i,
      learningRates: { discriminator: 0.001 * (1 + i), generator: 0.01 / (1 + i) },
    }));
    const together = await trainBatch(SEED, runs);
    for (const index of [0, 5]) {
      const [alone] = await trainBatch(SEED, [runs[index]]);
      const difference = worstDifference(together[index], alone);
      assert(difference <= 1e-5, `run ${index} differs by ${difference}`);
    }
  });

  Deno.test(`${engine} engine: the same seed twice gives identical numbers; another seed does not`, async () => {
    const [a, b, c] = await trainBatch(SEED, [
      { seed: 42, learningRates: lr },
      { seed: 42, learningRates: lr },
      { seed: 43, learningRates: lr },
    ]);
    const [again] = await trainBatch(SEED, [{ seed: 42, learningRates: lr }]);
    assertEquals(worstDifference(a, b), 0);
    assertEquals(worstDifference(a, again), 0);
    assert(worstDifference(a, c) > 1e-3);
  });

  Deno.test(`${engine} engine: a run that turns NaN is marked diverged and leaves the others unchanged`, async () => {
    const healthy = [7, 8].map((seed) => ({ seed, learningRates: lr }));
    const poisoned = seededParameters(9, SEED.discriminator, SEED.generator);
    poisoned.generator[4] = NaN;
    const withNaN = await trainBatch(SEED, [
      healthy[0],
      { seed: 9, learningRates: lr, initialParameters: poisoned },
      healthy[1],
    ]);
    const without = await trainBatch(SEED, healthy);
    assertEquals(withNaN[1].divergedAt, 10);
    assertEquals(withNaN[0].divergedAt, null);
    assert(worstDifference(withNaN[0], without[0]) <= 1e-6);
    assert(worstDifference(withNaN[2], without[1]) <= 1e-6);
  });

  Deno.test(`${engine} engine: Gaussian generator input and a batch of 4 with batch norm train`, async () => {
    const [record] = await trainBatch({
      discriminator: [linear(6, 3), sigmoid(), linear(3, 1), sigmoid()],
      generator: [linear(2, 4), batchNorm(4), sigmoid(), linear(4, 6), sigmoid()],
      loss: "mse",
      optimisers: { discriminator: { name: "sgd", momentum: 0.9 }, generator: { name: "adam" } },
      iterations: 100,
      batchSize: 4,
      generatorInput: { kind: "noise", width: 2 },
    }, [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }]);
    assertEquals(record.divergedAt, null);
    assertEquals(record.patterns.length, 6);
  });

  Deno.test(`${engine} engine: impossible setups are refused with the reason`, async () => {
    const run = [{ seed: 1, learningRates: lr }];
    const bad = (change: object, message: string) =>
      assertRejects(() => trainBatch({ ...SEED, ...change }, run), NetworkError, message);
    await bad(
      { discriminator: [linear(6, 3), batchNorm(3), linear(3, 1)] },
      "batch_norm needs a batch size of at least 2 (got 1)",
    );
    await bad({ discriminator: [linear(5, 1)] }, "takes 5 inputs but receives 6");
    await bad({ discriminator: [linear(6, 2)] }, "must end with 1 output");
    await bad({ generator: [linear(1, 4)] }, "must output the data's width 6");
    await bad({ iterations: 0 }, "iterations must be a positive integer");
  });
}
