/**
 * Stratified real batches (`realBatch: "stratified"`, The Numerics of GANs'
 * notebook: `mus` tiled over the batch, row k from mode k mod M): every
 * batch both engines are given holds each mode equally often, in order;
 * impossible combinations are refused with the reason.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { ROOT } from "./helpers.ts";
import { sampleData } from "../src/core/data.ts";
import { createRandom } from "../src/core/random.ts";
import { FactorError, resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { PROBLEM_KINDS } from "../src/design/problems/mod.ts";
import { planBatch } from "../src/engine/plan.ts";
import { NetworkError } from "../src/nn/layers/mod.ts";

/** The index of the mode nearest each sample. */
function nearestModes(samples: Float32Array, means: readonly (readonly number[])[]): number[] {
  return Array.from({ length: samples.length / 2 }, (_, s) => {
    const distances = means.map(([x, y]) =>
      (samples[2 * s] - x) ** 2 + (samples[2 * s + 1] - y) ** 2
    );
    return distances.indexOf(Math.min(...distances));
  });
}

Deno.test("a stratified ring batch of 512 holds 64 of each mode, row k from mode k mod 8", () => {
  const setup = trainingSetup(resolveConfig("ring", { realBatch: "stratified", batchSize: 512 }));
  const plan = planBatch({ ...setup, iterations: 3 }, [{
    seed: 4,
    learningRates: { discriminator: 1e-4, generator: 1e-4 },
  }]);
  const { means } = PROBLEM_KINDS.ring.data;
  for (let iteration = 0; iteration < 3; iteration++) {
    const batch = new Float32Array(512 * 2);
    plan.realSource(0, iteration, batch);
    assertEquals(nearestModes(batch, means), Array.from({ length: 512 }, (_, k) => k % 8));
  }
});

Deno.test("independent batches (the default) are not stratified: modes drawn at random", () => {
  const setup = trainingSetup(resolveConfig("ring", { batchSize: 512 }));
  const plan = planBatch(setup, [{ seed: 4, learningRates: { discriminator: 1, generator: 1 } }]);
  const batch = new Float32Array(512 * 2);
  plan.realSource(0, 0, batch);
  const modes = nearestModes(batch, PROBLEM_KINDS.ring.data.means);
  const counts = Array.from({ length: 8 }, (_, m) => modes.filter((k) => k === m).length);
  assert(counts.some((count) => count !== 64), `counts ${counts}`);
});

Deno.test("stratified samples are each mode's mean plus σ times standard normal noise", () => {
  const spec = {
    kind: "mixture",
    width: 2,
    means: [[0, 0], [10, 10]],
    sigma: 0.5,
    stratified: true,
  } as const;
  const into = new Float32Array(2 * 4000);
  sampleData(spec, createRandom(2), into);
  for (const mode of [0, 1]) {
    const values = Array.from({ length: 2000 }, (_, s) => into[2 * (2 * s + mode)] - 10 * mode);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    assert(Math.abs(mean) < 4 * 0.5 / Math.sqrt(2000), `mode ${mode} mean ${mean}`);
    assert(Math.abs(sd - 0.5) < 0.05, `mode ${mode} sd ${sd}`);
  }
});

Deno.test("stratified batches need a mixture, and a batch that is a multiple of its modes", () => {
  assertThrows(
    () => resolveConfig("seed", { realBatch: "stratified" }),
    FactorError,
    "seed's data is not a mixture of modes",
  );
  const setup = trainingSetup(resolveConfig("ring", { realBatch: "stratified", batchSize: 60 }));
  assertThrows(
    () => planBatch(setup, [{ seed: 1, learningRates: { discriminator: 1, generator: 1 } }]),
    NetworkError,
    "batchSize must be a multiple of 8 (got 60)",
  );
  assertEquals("realBatch" in resolveConfig("ring", { realBatch: "independent" }), false);
});

Deno.test("the notebook's own batches (made with PyTorch) have our rows' modes and spread", async () => {
  const notebook: { mode_of_row: number[]; sigma: number; batches: number[][][] } = JSON.parse(
    await Deno.readTextFile(`${ROOT}/tests/parity/draws/notebook-stratified-batches.json`),
  );
  const { means } = PROBLEM_KINDS.ring.data;
  const setup = trainingSetup(resolveConfig("ring", { realBatch: "stratified", batchSize: 512 }));
  const plan = planBatch(setup, [{ seed: 2, learningRates: { discriminator: 1, generator: 1 } }]);
  const ours = new Float32Array(512 * 2);
  plan.realSource(0, 0, ours);
  assertEquals(nearestModes(ours, means), notebook.mode_of_row);
  for (const batch of notebook.batches) {
    assertEquals(nearestModes(Float32Array.from(batch.flat()), means), notebook.mode_of_row);
  }
  // Each row's offset from its mode: the same spread (σ 0.01) within sampling error.
  const spread = (rows: ArrayLike<number>) => {
    let squares = 0;
    for (let k = 0; k < 512; k++) {
      const [x, y] = means[notebook.mode_of_row[k]];
      squares += (rows[2 * k] - x) ** 2 + (rows[2 * k + 1] - y) ** 2;
    }
    return Math.sqrt(squares / 1024);
  };
  assertAlmostEquals(spread(ours) / notebook.sigma, 1, 0.1);
  assertAlmostEquals(spread(notebook.batches[0].flat()) / notebook.sigma, 1, 0.1);
});
