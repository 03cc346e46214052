/**
 * What `deno task sweep` says while it works: the progress line, the note
 * on Ctrl-C, a shard's summary and the note on a folder whose definition
 * changed.
 *
 * @module
 */
import type { Shard } from "../design/grid.ts";
import type { ShardPlan } from "../run/shards.ts";
import type {
  ExperimentPlan,
  InterruptedBatch,
  SweepOutcome,
  SweepProgress,
} from "../run/sweep.ts";
import { formatDuration } from "../run/estimate.ts";
import { FACTOR_COLUMNS } from "../design/factors.ts";
/**
 * One progress line: runs done, the batches in training (iterations done of
 * their total), throughput, elapsed time and the ETA.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { progressLine } from "./sweep.ts";
 * assertEquals(
 *   progressLine({
 *     runsDone: 12,
 *     runsTotal: 32,
 *     runIterationsDone: 300_000,
 *     runIterationsTotal: 640_000,
 *     elapsedSeconds: 150,
 *     running: [{ runs: 4, iterationsDone: 2_500, iterations: 20_000 }],
 *     etaSeconds: 170,
 *   }),
 *   "sweep: 12/32 runs done · batch of 4: 2,500/20,000 it · 2,000 run-iterations/s · " +
 *     "2m30s elapsed · ETA 2m50s",
 * );
 * ```
 */
export function progressLine(p: SweepProgress): string {
  const rate = p.runIterationsDone / Math.max(p.elapsedSeconds, 1e-9);
  const count = (n: number) => n.toLocaleString("en");
  const running = p.running.map((batch) =>
    `batch of ${batch.runs}: ${count(batch.iterationsDone)}/${count(batch.iterations)} it`
  );
  return [
    `sweep: ${p.runsDone}/${p.runsTotal} runs done`,
    ...running,
    `${count(Math.round(rate))} run-iterations/s`,
    `${formatDuration(p.elapsedSeconds)} elapsed`,
    `ETA ${formatDuration(p.etaSeconds)}`,
  ].join(" · ");
}

/**
 * What Ctrl-C says, once: how many runs are finished and saved where, and
 * what the batches in training left (a checkpoint, or nothing yet).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { interruptNote } from "./sweep.ts";
 * assertEquals(
 *   interruptNote({
 *     folders: [{ runsFile: "results/ring/runs.csv", runs: 32, finished: 12 }],
 *     running: [
 *       { runs: 4, iterationsDone: 3_100, checkpointAt: 3_000, checkpoints: "results/ring/checkpoints" },
 *       { runs: 4, iterationsDone: 900, checkpoints: "results/ring/checkpoints" },
 *     ],
 *   }),
 *   "sweep: interrupted: 12 of 32 runs finished and saved in results/ring/runs.csv; " +
 *     "1 running batch (4 runs) checkpointed at iteration 3,000 in results/ring/checkpoints; " +
 *     "1 running batch (4 runs) had no checkpoint yet and starts over; " +
 *     "rerun the same command to resume",
 * );
 * ```
 */
export function interruptNote(
  { folders, running }: Pick<SweepOutcome, "folders" | "running">,
): string {
  const finished = folders.reduce((sum, folder) => sum + folder.finished, 0);
  const parts = [
    finished === 0
      ? "nothing finished yet"
      : folders.filter((folder) => folder.finished > 0).map((folder) =>
        `${folder.finished} of ${folder.runs} runs finished and saved in ${folder.runsFile}`
      ).join(", "),
  ];
  const batches = (list: readonly InterruptedBatch[]) => {
    const runs = list.reduce((sum, batch) => sum + batch.runs, 0);
    return `${list.length} running batch${list.length === 1 ? "" : "es"} (${runs} run${
      runs === 1 ? "" : "s"
    })`;
  };
  const kept = running.filter((batch) => batch.checkpointAt !== undefined);
  if (kept.length) {
    const iterations = [...new Set(kept.map((batch) => batch.checkpointAt!))]
      .sort((a, b) => a - b).map((n) => n.toLocaleString("en"));
    const where = [...new Set(kept.map((batch) => batch.checkpoints))].join(", ");
    parts.push(
      `${batches(kept)} checkpointed at iteration${iterations.length === 1 ? "" : "s"} ` +
        `${iterations.join(", ")} in ${where}`,
    );
  }
  const lost = running.filter((batch) => batch.checkpointAt === undefined);
  if (lost.length) {
    parts.push(
      `${batches(lost)} had no checkpoint yet and start${lost.length === 1 ? "s" : ""} over`,
    );
  }
  const anything = finished > 0 || kept.length > 0;
  parts.push(anything ? "rerun the same command to resume" : "rerun the same command to start");
  return `sweep: interrupted: ${parts.join("; ")}`;
}

/**
 * What `--list --shard K/N` says of the shard: its blocks (each trained
 * as whole batches) and its predicted share of the experiment's cost.
 */
export function shardSummary(shards: readonly ShardPlan[], shard: Shard): string {
  const total = shards.reduce((sum, s) => sum + s.cost, 0);
  const mine = shards[shard.index];
  const percent = (cost: number) => `${(100 * cost / total).toFixed(1)}%`;
  const lines = [
    `# shard ${shard.index} of ${shard.count}: ${mine.blocks.length} block(s) of runs that ` +
    `train together, predicted ${percent(mine.cost)} of the cost (an even share: ` +
    `${(100 / shard.count).toFixed(1)}%)`,
  ];
  for (const block of mine.blocks) {
    const columns = block.runs[0].columns;
    const structure = FACTOR_COLUMNS.filter((c) => c !== "lr_d" && c !== "lr_g")
      .map((c) => `${c}=${columns[c]}`).join(" ");
    lines.push(`#   ${block.runs.length} runs, ${percent(block.cost)}: ${structure}`);
  }
  return lines.join("\n");
}

/**
 * What a sweep says of a folder's definition: that an override sends its
 * runs to a folder of their own, and how many runs of an earlier
 * definition the folder holds and leaves out; undefined if neither.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { definitionNote } from "./sweep.ts";
 * const plan = { folder: { directory: "results/grid" }, undeclared: 8 };
 * assertEquals(
 *   definitionNote(plan, "results/grid"),
 *   "results/grid holds 8 runs its file no longer declares (an edited level, seed or " +
 *     "iteration count): kept in runs.csv, left out of every table",
 * );
 * ```
 */
export function definitionNote(
  plan: Pick<ExperimentPlan, "undeclared"> & { folder: { directory: string } },
  declaredFolder: string,
): string | undefined {
  const notes: string[] = [];
  if (plan.folder.directory !== declaredFolder) {
    notes.push(
      `--iterations/--seeds change what a run is, so these runs go to ${plan.folder.directory}, ` +
        `apart from ${declaredFolder}`,
    );
  }
  if (plan.undeclared > 0) {
    notes.push(
      `${plan.folder.directory} holds ${plan.undeclared} run${plan.undeclared === 1 ? "" : "s"} ` +
        "its file no longer declares (an edited level, seed or iteration count): kept in " +
        "runs.csv, left out of every table",
    );
  }
  return notes.length ? notes.join("; ") : undefined;
}
