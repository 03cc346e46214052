/**
 * REPORT.md's "Each factor's levels on one axis": for every compared factor
 * (or the variants), one plot that overlays its levels' loss curves, with
 * each run's own line and the check window shaded (see `level_plots.ts`).
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { checkWindows, type CurveReader, levelCurvePoints } from "./level_curves.ts";
import { levelCurvesSpec } from "./level_plots.ts";
import { levelsOf, type RunRow } from "./summary.ts";

/** Most levels a factor may have for its levels to share one plot (beyond, colours blur). */
export const MOST_OVERLAID_LEVELS = 10;

/** Runs drawn as lines of their own per level (the median uses every run). */
export const RUNS_DRAWN = 4;

/** What the section needs of the report. */
export interface LevelsSectionInput {
  /** The experiment's name, for the plots' titles. */
  readonly name: string;
  /** The declared runs, labelled by their variants. */
  readonly rows: readonly RunRow[];
  /** The factors compared level against level (`comparedFactors`). */
  readonly factors: readonly string[];
  /** The thresholds the folder recorded, per loss (`experiment.json`'s `thresholds`). */
  readonly thresholds?: Readonly<Record<string, { readonly window?: number }>>;
  /** Reads a run's curve file. */
  readonly read: CurveReader;
  /** Writes a plot and returns its path relative to the folder. */
  readonly plot: (file: string, spec: TopLevelSpec) => Promise<string>;
}

/**
 * The section's REPORT.md lines, writing `plots/levels-<factor>.svg` for
 * each factor with 2 to {@link MOST_OVERLAID_LEVELS} levels; no lines where
 * no factor has.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { levelsSection } from "./report_levels.ts";
 * const curve = { header: ["iteration", "d_loss_real", "d_loss_fake", "g_loss"], rows: [[10, 1, 1, 1]] };
 * const rows = ["bce", "mse"].map((loss) => ({ run_id: loss, loss, seed: "1", iterations: "10" }));
 * const written: string[] = [];
 * const lines = await levelsSection({
 *   name: "t", rows, factors: ["loss"], read: async () => curve,
 *   plot: async (file) => (written.push(file), `plots/${file}`),
 * });
 * assertEquals(written, ["levels-loss.svg"]);
 * assertEquals(lines.includes("![t: loss, its levels' loss curves](plots/levels-loss.svg)"), true);
 * ```
 */
export async function levelsSection(input: LevelsSectionInput): Promise<string[]> {
  const { name, rows, factors, thresholds, read, plot } = input;
  const overlaid = factors.filter((factor) => {
    const count = levelsOf(rows, factor).length;
    return count >= 2 && count <= MOST_OVERLAID_LEVELS;
  });
  if (overlaid.length === 0) return [];
  const lines = [
    "## Each factor's levels on one axis",
    "",
    "One plot per factor: D's two loss terms and G's loss over the iterations, a colour per " +
    "level; the thick line is the median across all the level's runs (everything else " +
    `varying), each thin line one run (up to ${RUNS_DRAWN} per level, spread over its seeds), ` +
    "and the shaded strip the check window, the trailing share of the iterations over which " +
    "the checks judge a run (`checks.window` in `experiment.json`). Loss axes are symlog.",
    "",
  ];
  const skipped = factors.filter((factor) => !overlaid.includes(factor));
  if (skipped.length) {
    lines.push(
      `Not overlaid (more than ${MOST_OVERLAID_LEVELS} levels): ${skipped.join(", ")}.`,
      "",
    );
  }
  for (const factor of overlaid) {
    const levels = levelsOf(rows, factor);
    const title = `${name}: ${factor}, its levels' loss curves`;
    const points = await levelCurvePoints(rows, factor, read, { runsPerLevel: RUNS_DRAWN });
    const file = await plot(
      `levels-${factor}.svg`,
      levelCurvesSpec(title, factor, levels, points, checkWindows(rows, thresholds)),
    );
    lines.push(`![${title}](${file})`, "");
  }
  return lines;
}
