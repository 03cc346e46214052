/**
 * The batches a sweep trains on its Workers: runs that share a network
 * structure train together, and groups are split where that keeps every
 * core busy to the end. A batch's cost is its launch overhead plus its
 * runs' arithmetic, so a group of the seed's 121-parameter model (launch-
 * bound) stays whole, while a group of ring runs at batch 512 (arithmetic-
 * bound: halving it halves its time) is cut until no batch is longer than
 * half a worker's share. Batches go out longest first, so the last to
 * finish is a short one. Splitting never changes a run's numbers: a run
 * trains to the same bits in any batch.
 *
 * @module
 */
import { networkParameterCount } from "../nn/layers/mod.ts";
import { trainingSetup } from "../design/factors.ts";
import type { PlannedRun } from "../design/grid.ts";
import { penaltyList } from "../kinds/penalties/mod.ts";
import { structureKey } from "./shards.ts";

/** A set of runs trained together by one Worker. */
export interface Batch {
  readonly id: number;
  readonly runs: readonly PlannedRun[];
}

/** A batch's fixed cost per iteration, in the units of {@link runWork}: 200 seed-model runs. */
export const LAUNCH_OVERHEAD = 200;

/** A split is worth it only where the new batch's launch costs under this share of its work. */
const SPLIT_OVERHEAD_SHARE = 0.1;

/**
 * The arithmetic of one run's iteration, in units of the seed's model (121
 * parameters, one sample): parameters × batch × passes, where each critic
 * step adds two D passes to the iteration's three, consensus (its Hessian-
 * vector products) ×2.6 and a gradient penalty (its second-order pass) ×2,
 * as `deno task bench` measures them on the ring.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { runWork } from "./batches.ts";
 * import { expandGrid } from "../design/grid.ts";
 * import { validateExperiment } from "../design/experiment.ts";
 * const plan = (base: string) => expandGrid(validateExperiment({ name: "x", base, seeds: 1 }, "x.ts"));
 * const [[seed], [ring]] = [await plan("seed"), await plan("ring")];
 * assert(Math.abs(runWork(seed) - 1) < 0.05);
 * assert(runWork(ring) > 1000 * runWork(seed));
 * ```
 */
export function runWork(run: PlannedRun): number {
  const { config } = run;
  const setup = trainingSetup(config);
  const parameters = networkParameterCount(setup.discriminator) +
    networkParameterCount(setup.generator);
  const passes = (2 * (config.dSteps ?? 1) + 1) / 3;
  const consensus = config.consensus ? 2.6 : 1;
  const penalty = penaltyList(config.penalty).some((one) => one.name !== "weight_clip") ? 2 : 1;
  return (parameters * config.batchSize / 121) * passes * consensus * penalty;
}

/**
 * The predicted cost of a batch: its iterations × (launch overhead + its
 * runs' work).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { batchWork } from "./batches.ts";
 * assertEquals(batchWork(16, 1000, 1), 216_000);
 * ```
 */
export function batchWork(runs: number, iterations: number, workPerRun: number): number {
  return iterations * (LAUNCH_OVERHEAD + runs * workPerRun);
}

/**
 * Groups runs that share everything but seed and learning rates, then splits
 * groups so that every worker has a batch, none exceeds `maxRuns`, and (where
 * a run's arithmetic outweighs a batch's launch) none is longer than half a
 * worker's share; longest first.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { makeBatches } from "./batches.ts";
 * import { expandGrid } from "../design/grid.ts";
 * import { validateExperiment } from "../design/experiment.ts";
 * const runs = await expandGrid(validateExperiment({ name: "x", base: "seed", seeds: 8 }, "x.ts"));
 * assertEquals(makeBatches(runs, 2).map((batch) => batch.runs.length), [4, 4]);
 * ```
 */
export function makeBatches(
  runs: readonly PlannedRun[],
  workers: number,
  maxRuns = 256,
): Batch[] {
  const groups = new Map<string, PlannedRun[]>();
  for (const run of runs) {
    const key = structureKey(run);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const piecesPerGroup = Math.max(1, Math.ceil(workers / Math.max(1, groups.size)));
  const pieces: Piece[] = [];
  for (const group of groups.values()) {
    const count = Math.max(
      Math.min(piecesPerGroup, group.length),
      Math.ceil(group.length / maxRuns),
    );
    const size = Math.ceil(group.length / count);
    const work = runWork(group[0]);
    for (let start = 0; start < group.length; start += size) {
      pieces.push(piece(group.slice(start, start + size), work));
    }
  }
  splitLongest(pieces, workers);
  return pieces
    .map((one, order) => ({ ...one, order }))
    .sort((a, b) => b.cost - a.cost || a.order - b.order)
    .map(({ runs }, id) => ({ id, runs }));
}

interface Piece {
  readonly runs: readonly PlannedRun[];
  readonly work: number;
  readonly cost: number;
}

function piece(runs: readonly PlannedRun[], work: number): Piece {
  return { runs, work, cost: batchWork(runs.length, runs[0].config.iterations, work) };
}

/** Halves the longest piece while it is over half a worker's share and a split pays. */
function splitLongest(pieces: Piece[], workers: number): void {
  if (workers < 2 || pieces.length === 0) return;
  for (;;) {
    const total = pieces.reduce((sum, one) => sum + one.cost, 0);
    const limit = total / workers / 2;
    let longest = 0;
    for (let index = 1; index < pieces.length; index++) {
      if (pieces[index].cost > pieces[longest].cost) longest = index;
    }
    const { runs, work, cost } = pieces[longest];
    const half = Math.ceil(runs.length / 2);
    const pays = LAUNCH_OVERHEAD < SPLIT_OVERHEAD_SHARE * (runs.length - half) * work;
    if (cost <= limit || runs.length < 2 || !pays) return;
    pieces.splice(longest, 1, piece(runs.slice(0, half), work), piece(runs.slice(half), work));
  }
}
