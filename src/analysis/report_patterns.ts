/**
 * REPORT.md's "The generator's output during training": for each verdict,
 * the heatmap of G's outputs of a representative run (the median pattern
 * error among the runs with that verdict), beside the target where the
 * data is the seed's pattern.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { patternCentre, type PatternSpec } from "../core/data.ts";
import type { Preset } from "../design/presets.ts";
import { VERDICTS } from "../results/checks.ts";
import { outputColumnsOf, readNumericCsv } from "../results/folder.ts";
import { thinnedIndices } from "./level_curves.ts";
import { type PatternCell, patternHeatmapSpec } from "./pattern_plot.ts";
import type { RunRow } from "./summary.ts";

/**
 * G's recorded outputs of one run as heatmap cells.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { patternCells } from "./report_patterns.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.mkdir(`${folder}/patterns`);
 * await Deno.writeTextFile(`${folder}/patterns/a.csv`, "iteration,g0,g1\n100,0.9,0.1\n");
 * assertEquals(await patternCells(folder, "a"), [
 *   { iteration: 100, position: 0, value: 0.9 },
 *   { iteration: 100, position: 1, value: 0.1 },
 * ]);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function patternCells(folder: string, runId: string): Promise<PatternCell[]> {
  const { header, rows } = await readNumericCsv(`${folder}/patterns/${runId}.csv`);
  return thinnedIndices(rows.length, 100).flatMap((k) =>
    header.slice(1).map((_, position) => ({
      iteration: rows[k][0],
      position,
      value: rows[k][position + 1],
    }))
  );
}

/**
 * What a perfect G emits where the data is the seed's pattern (each slot's
 * centre, e.g. 0.9, 0.1, …); undefined for a toy problem's data.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { seedTarget } from "./report_patterns.ts";
 * import { PRESETS } from "../design/presets.ts";
 * assertEquals(seedTarget(PRESETS.seed)?.map((v) => +v.toFixed(3)), [0.9, 0.1, 0.9, 0.1, 0.9, 0.1]);
 * assertEquals(seedTarget(PRESETS.ring), undefined);
 * ```
 */
export function seedTarget(preset: Pick<Preset, "pattern"> | undefined): number[] | undefined {
  const data = preset?.pattern;
  if (!data || (data.kind !== undefined && data.kind !== "pattern")) return undefined;
  return patternCentre(data as PatternSpec);
}

/** What the section needs of the report. */
export interface PatternSectionInput {
  readonly folder: string;
  /** The experiment's name, for the plots' titles. */
  readonly name: string;
  readonly rows: readonly RunRow[];
  /** The target beside G's output (see {@link seedTarget}), if any. */
  readonly target?: readonly number[];
  /** A run's configuration in words. */
  readonly describe: (row: RunRow) => string;
  /** Writes a plot and returns its path relative to the folder. */
  readonly plot: (file: string, spec: TopLevelSpec) => Promise<string>;
}

/**
 * The section's REPORT.md lines, writing `plots/pattern-<verdict>.svg` for
 * each verdict some run has.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { patternSection } from "./report_patterns.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.mkdir(`${folder}/patterns`);
 * await Deno.writeTextFile(`${folder}/patterns/a.csv`, "iteration,g0,g1\n100,5.2,0.1\n");
 * const row = { run_id: "a", seed: "1", verdict: "diverged", pattern_error: "3", g_out_0: "5.2", g_out_1: "0.1" };
 * const written: string[] = [];
 * const lines = await patternSection({
 *   folder, name: "t", rows: [row], target: [0.9, 0.1], describe: () => "the preset",
 *   plot: async (file) => (written.push(file), `plots/${file}`),
 * });
 * assertEquals(written, ["pattern-diverged.svg"]);
 * assertEquals(lines.includes("Run `a`: the preset, seed 1; final G output [5.20, 0.10]."), true);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function patternSection(input: PatternSectionInput): Promise<string[]> {
  const { folder, name, rows, target, describe, plot } = input;
  const lines = [
    "## The generator's output during training",
    "",
    "For each verdict, the run with the median pattern error among the runs with that verdict." +
    (target
      ? ` The left column is the target, each slot's centre (${
        target.map((v) => +v.toFixed(3)).join(", ")
      }).`
      : "") +
    " Colours are viridis over 0–1 and run on past the ends to the outputs' own extremes " +
    "(blues below 0, reds above 1, darker the further out), which the legend names.",
    "",
  ];
  for (const verdict of VERDICTS) {
    const withVerdict = rows.filter((row) => row.verdict === verdict)
      .sort((a, b) => Number(a.pattern_error) - Number(b.pattern_error));
    if (withVerdict.length === 0) continue;
    const run = withVerdict[Math.floor((withVerdict.length - 1) / 2)];
    const title = `${name}: G's output, a "${verdict}" run (${run.run_id}, seed ${run.seed})`;
    const file = await plot(
      `pattern-${verdict}.svg`,
      patternHeatmapSpec(title, await patternCells(folder, run.run_id), target),
    );
    lines.push(
      `### ${verdict} (${withVerdict.length} of ${rows.length} runs)`,
      "",
      `Run \`${run.run_id}\`: ${describe(run)}, seed ${run.seed}; final G output ` +
        `[${outputColumnsOf(run).map((k) => Number(run[k]).toFixed(2)).join(", ")}].`,
      "",
      `![${title}](${file})`,
      "",
    );
  }
  return lines;
}
