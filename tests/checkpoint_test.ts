/**
 * A batch continued from a snapshot ends with exactly the numbers of a
 * batch that was never interrupted, for every kind of state the engine
 * keeps (optimiser moments, momentum, spectral vectors, random streams),
 * on either engine.
 */
import { assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import type { RunRecord } from "../src/engine/records.ts";
import type { BatchSnapshot } from "../src/engine/snapshot.ts";
import { ENGINES, trainBatch } from "../src/engine/train.ts";
import { type Factors, resolveConfig, trainingSetup } from "../src/design/factors.ts";

await useBackend();

const CASES: [string, Partial<Factors>][] = [
  ["the seed (Adam, LayerNorm)", {}],
  ["WGAN (RMSprop, weight clipping, 5 critic steps)", {
    loss: "wasserstein",
    optimiser: "rmsprop",
    penalty: { weightClip: 0.01 },
    dSteps: 5,
  }],
  ["SN-GAN with a gradient penalty, noise input, optimistic Adam", {
    loss: "hinge",
    normalisation: { d: "spectral_norm", g: "layer_norm" },
    penalty: { gradientPenalty: 1 },
    generatorInput: { noise: 2 },
    optimiser: "optimistic_adam",
  }],
  ["TensorFlow's RMSprop (its accumulator starts at 1), simultaneous updates", {
    optimiser: "rmsprop_tf",
    updates: "simultaneous",
  }],
  ["SGD with momentum, batches of 2", { optimiser: { name: "sgd", momentum: 0.9 }, batchSize: 2 }],
];

const same = (a: RunRecord, b: RunRecord) => {
  assertEquals(a.curveIterations, b.curveIterations);
  for (const column of Object.keys(a.curves) as (keyof RunRecord["curves"])[]) {
    assertEquals(a.curves[column], b.curves[column], column);
  }
  assertEquals(a.patterns, b.patterns);
  assertEquals(a.finalParameters, b.finalParameters);
};

for (const [[name, levels], engine] of CASES.flatMap((c) => ENGINES.map((e) => [c, e] as const))) {
  Deno.test(`${engine} engine, ${name}: continued from a snapshot, bit for bit the uninterrupted batch`, async () => {
    const setup = trainingSetup(resolveConfig("seed", levels, { iterations: 300 }));
    const runs = [1, 2].map((seed) => ({
      seed,
      learningRates: { discriminator: 0.002 * seed, generator: 0.004 },
    }));
    const snapshots: BatchSnapshot[] = [];
    const whole = await trainBatch(setup, runs, {
      engine,
      progressEvery: 100,
      checkpoint: { every: 100, seconds: 1e9, save: (snapshot) => void snapshots.push(snapshot) },
    });
    assertEquals(snapshots.map((s) => s.iterationsDone), [100, 200]);
    for (const snapshot of snapshots) {
      const continued = await trainBatch(setup, runs, {
        engine,
        progressEvery: 100,
        resume: snapshot,
      });
      continued.forEach((record, r) => same(record, whole[r]));
    }
  });
}
