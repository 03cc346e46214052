/**
 * From experiment to runs: the grid, exclusions, ids, filters and shards.
 */
import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import {
  type ExperimentSpec,
  loadExperiment,
  validateExperiment,
} from "../src/design/experiment.ts";
import { expandGrid, filterRuns, runId } from "../src/design/grid.ts";
import { planShards, shardRuns, structureKey } from "../src/run/shards.ts";
import { ROOT } from "./helpers.ts";
import { resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { fixtureLayers, readCases } from "../src/engine/parity.ts";
import { resolveShard } from "../src/cli/sweep.ts";
import { UsageError } from "../src/cli/args.ts";
import { makeBatches, runWork } from "../src/run/batches.ts";

const experiment = (spec: Partial<ExperimentSpec>) =>
  validateExperiment({ name: "t", base: "seed", ...spec }, "t.ts");

Deno.test("the grid is the cartesian product of the levels, times the seeds", async () => {
  const runs = await expandGrid(experiment({
    sweep: {
      loss: ["bce", "mse"],
      optimiser: ["adam", "sgd"],
      normalisation: ["layer_norm", "none"],
    },
    seeds: 3,
  }));
  assertEquals(runs.length, 2 * 2 * 2 * 3);
  assertEquals(new Set(runs.map((r) => r.id)).size, runs.length);
  assertEquals(runs.slice(0, 4).map((r) => [r.columns.normalisation, r.seed]), [
    ["layer_norm", 1],
    ["layer_norm", 2],
    ["layer_norm", 3],
    ["none", 1],
  ]);
  const unswept = runs[0].columns;
  assertEquals([unswept.lr_d, unswept.lr_g, unswept.activation_d, unswept.activation_g], [
    "0.001",
    "0.01",
    "sigmoid",
    "leaky_relu",
  ]);
});

Deno.test("exclude drops every combination that matches all its fields", async () => {
  const runs = await expandGrid(experiment({
    sweep: { normalisation: ["layer_norm", "none", "batch_norm"], batchSize: [1, 4] },
    exclude: [{ normalisation: "batch_norm", batchSize: 1 }, {
      normalisation: "none",
      batchSize: 4,
    }],
    seeds: 1,
  }));
  assertEquals(
    runs.map((r) => `${r.columns.normalisation}@${r.columns.batch_size}`),
    ["layer_norm@1", "layer_norm@4", "none@1", "batch_norm@4"],
  );
});

Deno.test("run ids are stable, and change with any factor, the iterations or the seed", async () => {
  const config = resolveConfig("seed", {}, { iterations: 1000 });
  const id = await runId(config, 1);
  assertEquals(id, await runId(resolveConfig("seed", {}, { iterations: 1000 }), 1));
  assertEquals(id.length, 12);
  assertNotEquals(id, await runId(config, 2));
  assertNotEquals(id, await runId(resolveConfig("seed", {}, { iterations: 1001 }), 1));
  assertNotEquals(id, await runId(resolveConfig("seed", { loss: "mse" }, { iterations: 1000 }), 1));
  // Spelling a default out gives the same run as leaving it to the preset.
  assertEquals(
    id,
    await runId(resolveConfig("seed", { optimiser: { name: "adam" } }, { iterations: 1000 }), 1),
  );
});

Deno.test("the presets build the very networks of the PyTorch reference runs", async () => {
  const cases = await readCases(new URL("./parity", import.meta.url).pathname);
  const seedCase = cases.find((c) => c.case === "seed-bce-adam-layernorm")!;
  const bookCase = cases.find((c) => c.case === "book-mse-sgd-sigmoid")!;
  const seed = trainingSetup(resolveConfig("seed", {}));
  const book = trainingSetup(resolveConfig("book", {}));
  assertEquals(seed.discriminator, fixtureLayers(seedCase.discriminator.layers));
  assertEquals(seed.generator, fixtureLayers(seedCase.generator.layers));
  assertEquals(book.discriminator, fixtureLayers(bookCase.discriminator.layers));
  assertEquals(book.generator, fixtureLayers(bookCase.generator.layers));
});

Deno.test("--only keeps the runs whose columns match (any of a column's values)", async () => {
  const runs = await expandGrid(experiment({
    sweep: { loss: ["bce", "mse"], optimiser: ["adam", "sgd"] },
    seeds: 2,
  }));
  assertEquals(filterRuns(runs, ["loss=mse"]).length, 4);
  assertEquals(filterRuns(runs, ["loss=mse,optimiser=sgd"]).length, 2);
  assertEquals(filterRuns(runs, ["optimiser=sgd", "optimiser=adam", "seed=2"]).length, 4);
});

Deno.test("shards keep batches whole: disjoint, covering, balanced by cost, the same on every node", async () => {
  const grid = await loadExperiment(`${ROOT}/experiments/grid.ts`);
  const runs = await expandGrid(grid);
  const plans = planShards(runs, 8);
  const parts = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => shardRuns(runs, { index, count: 8 }));
  assertEquals(parts.flat().map((r) => r.id).sort(), runs.map((r) => r.id).sort());
  const total = plans.reduce((sum, plan) => sum + plan.cost, 0);
  for (const [index, part] of parts.entries()) {
    // At most 2 structure groups (batches), and within 15% of an eighth of the cost.
    assert(new Set(part.map(structureKey)).size <= 2, `shard ${index}`);
    assert(Math.abs(plans[index].cost / total - 1 / 8) <= 0.15 / 8, `shard ${index}`);
  }
  // Recomputed from scratch (another node): the same sets.
  const again = [0, 1, 2, 3, 4, 5, 6, 7].map((index) =>
    shardRuns(runs, { index, count: 8 }).map((r) => r.id)
  );
  assertEquals(again, parts.map((part) => part.map((r) => r.id)));
  // One large group is cut into contiguous blocks.
  const seed = await expandGrid(await loadExperiment(`${ROOT}/experiments/seed.ts`));
  const quarters = [0, 1, 2, 3].map((index) => shardRuns(seed, { index, count: 4 }));
  assertEquals(quarters.map((q) => q.map((r) => r.seed)), [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
    [13, 14, 15, 16],
  ]);
});

Deno.test("the shard comes from --shard, Slurm's or Kubernetes' variables", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assertEquals(resolveShard("1/4", undefined, env({})), { index: 1, count: 4 });
  assertEquals(resolveShard(undefined, undefined, env({})), { index: 0, count: 1 });
  assertEquals(
    resolveShard(
      undefined,
      undefined,
      env({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4" }),
    ),
    { index: 3, count: 4 },
  );
  assertEquals(
    resolveShard(
      undefined,
      undefined,
      env({
        SLURM_ARRAY_TASK_ID: "2",
        SLURM_ARRAY_TASK_COUNT: "4",
        SLURM_ARRAY_TASK_MIN: "1",
      }),
    ),
    { index: 1, count: 4 },
  );
  assertEquals(resolveShard(undefined, "5", env({ JOB_COMPLETION_INDEX: "4" })), {
    index: 4,
    count: 5,
  });
  assertEquals(
    resolveShard(
      undefined,
      undefined,
      env({ JOB_COMPLETION_INDEX: "0", GANSWEEP_SHARD_COUNT: "2" }),
    ),
    { index: 0, count: 2 },
  );
  assertThrows(() => resolveShard("4/4"), UsageError);
  assertThrows(() => resolveShard(undefined, "2", env({ JOB_COMPLETION_INDEX: "2" })), UsageError);
});

Deno.test("batches group runs of one structure, and split them so every worker has one", async () => {
  const runs = await expandGrid(experiment({
    sweep: { loss: ["bce", "mse"], lr: [{ d: 0.001, g: 0.01 }, { d: 0.002, g: 0.01 }] },
    seeds: 4,
  }));
  const two = makeBatches(runs, 2);
  assertEquals(two.length, 2);
  assert(two.every((b) => new Set(b.runs.map((r) => r.config.loss)).size === 1));
  assertEquals(two.map((b) => b.runs.length), [8, 8]);
  const four = makeBatches(runs, 4);
  assertEquals(four.length, 4);
  const capped = makeBatches(runs, 1, 3);
  assert(capped.every((b) => b.runs.length <= 3));
  assertEquals(capped.flatMap((b) => b.runs).length, runs.length);
});

Deno.test("batches of arithmetic-bound runs are cut so that both workers finish together; launch-bound ones stay whole", async () => {
  const ring = await expandGrid(experiment({
    base: "ring",
    sweep: { generatorBatch: ["reuse"] },
    variants: [{ consensus: 0 }, { consensus: 10 }],
    seeds: 16,
  }));
  const batches = makeBatches(ring, 2);
  assertEquals(batches.flatMap((b) => b.runs).length, 32);
  const cost = (b: (typeof batches)[number]) => b.runs.length * runWork(b.runs[0]);
  // Longest first, dealt to whichever worker is free: the two workers' loads.
  const loads = [0, 0];
  for (const batch of batches) loads[loads[0] <= loads[1] ? 0 : 1] += cost(batch);
  assert(Math.max(...loads) / Math.min(...loads) < 1.1, `loads ${loads}`);
  assert(batches.every((b, i) => i === 0 || cost(batches[i - 1]) >= cost(b)));
  const seed = await expandGrid(experiment({ sweep: { loss: ["bce", "mse"] }, seeds: 16 }));
  assertEquals(makeBatches(seed, 2).map((b) => b.runs.length), [16, 16]);
});
