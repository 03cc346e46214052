/**
 * The driver trains a batch in chunks whose length follows the machine's
 * speed (and the first is one iteration, to measure it): a run's numbers
 * must not depend on where the chunks end. The same batch trained in chunks
 * of 1, 7, 50 and 150 iterations, on either engine, ends bit for bit alike.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import type { RunRecord } from "../src/engine/records.ts";
import { ENGINES, trainBatch } from "../src/engine/train.ts";
import { type Factors, resolveConfig, trainingSetup } from "../src/design/factors.ts";

await useBackend();

const CASES: [string, Partial<Factors>][] = [
  ["the seed (Adam, LayerNorm)", {}],
  ["WGAN-GP with noise input and 3 critic steps", {
    loss: "wasserstein",
    penalty: { gradientPenalty: 1 },
    generatorInput: { noise: 2 },
    dSteps: 3,
  }],
];

/** Every number a run's record holds, as bits (so that NaN and −0 compare too). */
const bits = (record: RunRecord) => ({
  curveIterations: record.curveIterations,
  patternIterations: record.patternIterations,
  curves: Object.fromEntries(
    Object.entries(record.curves).map((
      [column, values],
    ) => [column, [...new Uint32Array(values.buffer)]]),
  ),
  patterns: [...new Uint32Array(record.patterns.buffer)],
  finalParameters: JSON.stringify(record.finalParameters),
});

for (const [[name, levels], engine] of CASES.flatMap((c) => ENGINES.map((e) => [c, e] as const))) {
  Deno.test(`${engine} engine, ${name}: chunks of 1, 7, 50 or 150 iterations give the same bits`, async () => {
    const setup = trainingSetup(resolveConfig("seed", levels, { iterations: 150 }));
    const runs = [1, 2].map((seed) => ({
      seed,
      learningRates: { discriminator: 0.002 * seed, generator: 0.004 },
    }));
    const chunked = async (progressEvery: number) => {
      const chunks: number[] = [];
      const records = await trainBatch(setup, runs, {
        engine,
        progressEvery,
        chunkSeconds: 1e9, // chunks by iterations alone here, the same on any machine
        onProgress: ({ iterationsDone }) => chunks.push(iterationsDone),
      });
      return { records: records.map(bits), chunks };
    };
    const [one, seven, fifty, whole] = await Promise.all([1, 7, 50, 150].map(chunked));
    // The chunks did differ: every iteration, every 7th (and the last), every 50th, the end alone
    // (after the one-iteration chunk that measures the speed).
    assertEquals(one.chunks.length, 150);
    assertEquals(seven.chunks.slice(0, 3), [1, 7, 14]);
    assertEquals(seven.chunks.at(-1), 150);
    assertEquals(fifty.chunks, [1, 50, 100, 150]);
    assertEquals(whole.chunks, [1, 150]);
    for (const other of [seven, fifty, whole]) assertEquals(other.records, one.records);
    // The runs themselves differ (so that equal records mean something).
    assertNotEquals(one.records[0].curves, one.records[1].curves);
  });
}
