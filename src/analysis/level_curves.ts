/**
 * The loss curves of a factor's levels on one axis: per level, the median
 * across its runs of each loss at each recorded iteration, and each run's
 * own curve (thinned); and the check window, the trailing share of the
 * iterations the checks judge, for the plot to shade.
 *
 * @module
 */
import { lossKind, type LossName } from "../kinds/losses/mod.ts";
import { readNumericCsv } from "../results/folder.ts";
import { quantile } from "./statistics.ts";
import { levelsOf, type RunRow, SUMMARY_FACTORS } from "./summary.ts";

/** The losses a curve file records, in the order the plots show them. */
export const LOSS_SERIES = ["d_loss_real", "d_loss_fake", "g_loss"] as const;

/** A run's curve file as numbers: its header and rows. */
export type Curve = { readonly header: readonly string[]; readonly rows: readonly number[][] };

/** Reads a run's curve by its id. */
export type CurveReader = (runId: string) => Promise<Curve>;

/**
 * A reader of a folder's `curves/<id>.csv` that reads each file once (the
 * report draws a run's curves in several plots).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { curveReader } from "./level_curves.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.mkdir(`${folder}/curves`);
 * await Deno.writeTextFile(`${folder}/curves/a.csv`, "iteration,g_loss\n10,0.7\n");
 * const read = curveReader(folder);
 * assertEquals((await read("a")).rows, [[10, 0.7]]);
 * await Deno.remove(folder, { recursive: true });
 * assertEquals((await read("a")).rows, [[10, 0.7]]); // from memory
 * ```
 */
export function curveReader(folder: string): CurveReader {
  const read = new Map<string, Promise<Curve>>();
  return (runId) => {
    if (!read.has(runId)) read.set(runId, readNumericCsv(`${folder}/curves/${runId}.csv`));
    return read.get(runId)!;
  };
}

/**
 * Every `step`-th index of `count` so that at most `most` remain, always
 * keeping the last.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { thinnedIndices } from "./level_curves.ts";
 * assertEquals(thinnedIndices(10, 4), [2, 5, 8, 9]);
 * ```
 */
export function thinnedIndices(count: number, most: number): number[] {
  const step = Math.max(1, Math.ceil(count / most));
  const indices: number[] = [];
  for (let i = step - 1; i < count; i += step) indices.push(i);
  if (indices.at(-1) !== count - 1 && count > 0) indices.push(count - 1);
  return indices;
}

/** A value as a plot needs it: 4 significant digits (the SVGs and report.html stay small). */
const drawn = (value: number) => Number(value.toPrecision(4));

/** One point of a level's curve: the median across its runs, or one run's value. */
export interface LevelCurvePoint {
  readonly level: string;
  readonly series: string;
  /** `"median"` for the level's median, else the run's id. */
  readonly run: string;
  readonly seed?: string;
  readonly iteration: number;
  readonly value: number;
}

/** The trailing share of the iterations the checks judge, for a set of runs. */
export interface CheckWindow {
  readonly from: number;
  readonly to: number;
  /** The share of the run it covers (0.1: the last tenth). */
  readonly share: number;
}

/** How much of each level's curves a plot keeps. */
export interface LevelCurveOptions {
  /** Points of each level's median curve. */
  readonly medianPoints?: number;
  /** Points of each run's own curve. */
  readonly runPoints?: number;
  /** Runs drawn per level (spread evenly over its runs in seed order); the median uses all. */
  readonly runsPerLevel?: number;
}

/**
 * The runs of a level that get a line of their own: all of them up to
 * `most`, else `most` spread evenly over them in seed order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { drawnRuns } from "./level_curves.ts";
 * const rows = [4, 1, 3, 2].map((seed) => ({ run_id: `r${seed}`, seed: String(seed) }));
 * assertEquals(drawnRuns(rows, 2).map((row) => row.seed), ["1", "4"]);
 * ```
 */
export function drawnRuns(rows: readonly RunRow[], most: number): RunRow[] {
  const sorted = [...rows].sort((a, b) =>
    Number(a.seed) - Number(b.seed) || a.run_id.localeCompare(b.run_id)
  );
  if (sorted.length <= most) return sorted;
  if (most <= 1) return sorted.slice(0, most);
  return Array.from(
    { length: most },
    (_, k) => sorted[Math.round(k * (sorted.length - 1) / (most - 1))],
  );
}

/**
 * Each level of `factor`: its median curve of every loss across all its runs
 * (up to the shortest curve) and the curves of the runs it draws.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { levelCurvePoints } from "./level_curves.ts";
 * const curve = (loss: number) => ({
 *   header: ["iteration", "d_loss_real", "d_loss_fake", "g_loss"],
 *   rows: [[10, loss, loss, loss]],
 * });
 * const rows = [["a", "bce", 0.6], ["b", "bce", 0.8], ["c", "mse", 0.2]].map(([id, loss]) => ({
 *   run_id: String(id), loss: String(loss), seed: "1",
 * }));
 * const losses: Record<string, number> = { a: 0.6, b: 0.8, c: 0.2 };
 * const points = await levelCurvePoints(rows, "loss", async (id) => curve(losses[id]));
 * const median = points.find((p) => p.run === "median" && p.level === "bce" && p.series === "g_loss");
 * assertEquals(median?.value, 0.7);
 * assertEquals(points.filter((p) => p.run === "a").length, 3); // each loss of run a
 * ```
 */
export async function levelCurvePoints(
  rows: readonly RunRow[],
  factor: string,
  read: CurveReader,
  { medianPoints = 120, runPoints = 40, runsPerLevel = 8 }: LevelCurveOptions = {},
): Promise<LevelCurvePoint[]> {
  const points: LevelCurvePoint[] = [];
  for (const level of levelsOf(rows, factor)) {
    const runs = rows.filter((row) => SUMMARY_FACTORS[factor](row) === level);
    const curves = await Promise.all(runs.map((row) => read(row.run_id)));
    const length = Math.min(...curves.map((curve) => curve.rows.length));
    const column = (curve: Curve, series: string) => curve.header.indexOf(series);
    for (const k of thinnedIndices(length, medianPoints)) {
      for (const series of LOSS_SERIES) {
        const values = curves.map((curve) => curve.rows[k][column(curve, series)]);
        const value = drawn(quantile(values, 0.5));
        if (!Number.isFinite(value)) continue;
        points.push({ level, series, run: "median", iteration: curves[0].rows[k][0], value });
      }
    }
    points.push(...await runCurvePoints(drawnRuns(runs, runsPerLevel), level, read, runPoints));
  }
  return points;
}

/**
 * Each run's own curve of every loss, thinned to `most` points (values to
 * 4 significant digits), labelled with `level`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { runCurvePoints } from "./level_curves.ts";
 * const curve = { header: ["iteration", "g_loss"], rows: [[10, 0.7], [20, 0.6], [30, 0.5]] };
 * const points = await runCurvePoints([{ run_id: "a", seed: "3" }], "all", async () => curve, 2);
 * assertEquals(points.map((p) => [p.run, p.seed, p.iteration, p.value]), [
 *   ["a", "3", 20, 0.6],
 *   ["a", "3", 30, 0.5],
 * ]);
 * ```
 */
export async function runCurvePoints(
  runs: readonly RunRow[],
  level: string,
  read: CurveReader,
  most = 40,
): Promise<LevelCurvePoint[]> {
  const points: LevelCurvePoint[] = [];
  for (const row of runs) {
    const curve = await read(row.run_id);
    for (const k of thinnedIndices(curve.rows.length, most)) {
      for (const series of LOSS_SERIES) {
        const index = curve.header.indexOf(series);
        const value = index < 0 ? NaN : curve.rows[k][index];
        if (!Number.isFinite(value)) continue;
        points.push({
          level,
          series,
          run: row.run_id,
          seed: row.seed,
          iteration: curve.rows[k][0],
          value: drawn(value),
        });
      }
    }
  }
  return points;
}

/**
 * The check windows of `rows`: for each distinct window, the trailing share
 * of the run's iterations its loss's checks judge (`checks.window` in the
 * folder's recorded thresholds, else the loss's default), from
 * `iterations × (1 − share)` to `iterations`, as `judge` measures it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkWindows } from "./level_curves.ts";
 * const rows = [{ loss: "bce", iterations: "1000" }, { loss: "mse", iterations: "1000" }];
 * assertEquals(checkWindows(rows, { bce: { window: 0.2 } }), [
 *   { from: 800, to: 1000, share: 0.2 },
 *   { from: 900, to: 1000, share: 0.1 },
 * ]);
 * ```
 */
export function checkWindows(
  rows: readonly RunRow[],
  thresholds: Readonly<Record<string, { readonly window?: number }>> = {},
): CheckWindow[] {
  const windows = new Map<string, CheckWindow>();
  for (const row of rows) {
    const to = Number(row.iterations);
    const share = thresholds[row.loss]?.window ?? lossKind(row.loss as LossName).thresholds.window;
    if (!Number.isFinite(to) || !Number.isFinite(share)) continue;
    const window = { from: to - share * to, to, share };
    windows.set(JSON.stringify(window), window);
  }
  return [...windows.values()];
}
