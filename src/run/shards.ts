/**
 * Shards that keep batches whole: runs that share a network structure (all
 * but seed and learning rates) stay together, a group larger than a shard's
 * share is cut into contiguous blocks, and the blocks are dealt out by cost
 * (longest first, to the least loaded shard). The plan depends on the runs
 * alone, so shard K of N is the same set on every node.
 *
 * @module
 */
import { canonicalJson } from "../core/canonical_json.ts";
import { penaltyList } from "../kinds/penalties/mod.ts";
import type { PlannedRun, Shard } from "../design/grid.ts";

/**
 * The key of the group a run trains in: its configuration less what may
 * differ between the runs of one batch (learning rates, the optimiser's
 * settings, the penalty's weight).
 */
export function structureKey(run: PlannedRun): string {
  const { lr: _lr, optimiser, penalty, ...rest } = run.config;
  // The penalties' names; a single penalty keeps its name alone, as before lists.
  const names = penaltyList(penalty).map((one) => one.name);
  return canonicalJson({
    ...rest,
    optimiser: optimiser.name,
    penalty: names.length > 1 ? names : names[0],
  });
}

/**
 * The predicted cost of training `runs` runs together for `iterations`
 * iterations with `dSteps` critic steps: launch-bound, so a batch costs
 * little more than one run (×(1 + R/200), from the engine's timings), and
 * each critic step adds two D passes to the iteration's three.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { batchCost } from "./shards.ts";
 * assertEquals(batchCost(16, 100_000, 1), 108_000);
 * ```
 */
export function batchCost(runs: number, iterations: number, dSteps: number): number {
  return iterations * (1 + runs / 200) * (2 * dSteps + 1) / 3;
}

/** A contiguous block of one structure group. */
export interface ShardBlock {
  readonly runs: readonly PlannedRun[];
  readonly cost: number;
}

/** One shard's blocks and its predicted cost. */
export interface ShardPlan {
  readonly blocks: readonly ShardBlock[];
  readonly cost: number;
}

const costOf = (runs: readonly PlannedRun[]) =>
  batchCost(runs.length, runs[0].config.iterations, runs[0].config.dSteps ?? 1);

/**
 * Every shard's blocks, for `count` shards.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { planShards } from "./shards.ts";
 * import { expandGrid } from "../design/grid.ts";
 * import { validateExperiment } from "../design/experiment.ts";
 * const runs = await expandGrid(validateExperiment(
 *   { name: "x", base: "seed", sweep: { loss: ["bce", "mse"] }, seeds: 4 }, "x.ts",
 * ));
 * assertEquals(planShards(runs, 2).map((shard) => shard.blocks.length), [1, 1]);
 * ```
 */
export function planShards(runs: readonly PlannedRun[], count: number): ShardPlan[] {
  const groups = new Map<string, PlannedRun[]>();
  for (const run of runs) {
    const key = structureKey(run);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const total = [...groups.values()].reduce((sum, group) => sum + costOf(group), 0);
  const share = total / count;
  const blocks: (ShardBlock & { order: number })[] = [];
  for (const group of groups.values()) {
    const pieces = Math.min(group.length, Math.max(1, Math.ceil(costOf(group) / share - 1e-9)));
    const size = Math.ceil(group.length / pieces);
    for (let start = 0; start < group.length; start += size) {
      const part = group.slice(start, start + size);
      blocks.push({ runs: part, cost: costOf(part), order: blocks.length });
    }
  }
  blocks.sort((a, b) => b.cost - a.cost || a.order - b.order);
  const shards = Array.from({ length: count }, () => ({ blocks: [] as ShardBlock[], cost: 0 }));
  for (const { runs: part, cost } of blocks) {
    let least = 0;
    for (let k = 1; k < count; k++) if (shards[k].cost < shards[least].cost) least = k;
    shards[least].blocks.push({ runs: part, cost });
    shards[least].cost += cost;
  }
  return shards;
}

/** The runs of one shard, in grid order. */
export function shardRuns(runs: readonly PlannedRun[], shard: Shard): PlannedRun[] {
  if (shard.count === 1) return [...runs];
  const mine = new Set(planShards(runs, shard.count)[shard.index].blocks.flatMap((b) => b.runs));
  return runs.filter((run) => mine.has(run));
}
