/**
 * `REPORT.md` and its plots for an experiment folder: What mattered (the
 * summary's comparisons), the ablation with its intervals, each factor's
 * levels' loss curves on one axis, loss curves per configuration, and G's
 * output over training for a representative run of each verdict; and
 * `report.html`, the same interactive.
 *
 * @module
 */
import { VERDICTS } from "../results/checks.ts";
import { lossKind, type LossName } from "../kinds/losses/mod.ts";
import { problemSection, targetNote } from "./problem_report.ts";
import {
  type AblationPoint,
  ablationSpec,
  budgetCurveSpec,
  type CurvePoint,
  lossCurvesSpec,
  renderSvg,
  searchMapSpec,
  type SearchPoint,
  type VerdictShare,
  verdictSharesSpec,
} from "./plots.ts";
import { recordedPreset, writeAtomically } from "../results/folder.ts";
import { undeclaredNote } from "../results/declared.ts";
import { quantile } from "./statistics.ts";
import { budgetCurve, rankConfigurations } from "./budget.ts";
import { readReportInput } from "./report_input.ts";
import {
  groupRows,
  type RunRow,
  summariseFactors,
  summariseGroups,
  SUMMARY_FACTORS,
  sweptFactors,
} from "./summary.ts";
import { factorsMarkdown, groupsMarkdown } from "./summary_tables.ts";
import { markdownTable } from "../core/table.ts";
import type { TopLevelSpec } from "vega-lite";
import { type ConfigurationView, htmlReport, type View } from "./report_html.ts";
import { comparedFactors, labelVariants, recordedVariants } from "./variants.ts";
import { measureLabels } from "./problem_measures.ts";
import { publishedSection } from "./published.ts";
import { patternHeatmapSpec } from "./pattern_plot.ts";
import { patternCells, patternSection, seedTarget } from "./report_patterns.ts";
import {
  type CurveReader,
  curveReader,
  drawnRuns,
  LOSS_SERIES,
  runCurvePoints,
  thinnedIndices,
} from "./level_curves.ts";
import { levelsSection, RUNS_DRAWN } from "./report_levels.ts";
import { comparisonsNote, reportComparisons } from "./report_comparisons.ts";

/** Most points a plotted curve keeps (curves are thinned evenly to this). */
const MAX_POINTS = 250;

/**
 * The median and quartile band of each loss across runs, per recorded
 * iteration (`read` reads a run's curve file: by default from `folder`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { lossCurvePoints } from "./report.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.mkdir(`${folder}/curves`);
 * for (const [id, loss] of [["a", 0.6], ["b", 0.8]]) {
 *   await Deno.writeTextFile(
 *     `${folder}/curves/${id}.csv`,
 *     `iteration,d_loss_real,d_loss_fake,g_loss\n10,${loss},${loss},${loss}\n`,
 *   );
 * }
 * const [first] = await lossCurvePoints(folder, ["a", "b"]);
 * assertEquals([first.iteration, first.series, first.median], [10, "d_loss_real", 0.7]);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function lossCurvePoints(
  folder: string,
  runIds: readonly string[],
  read: CurveReader = curveReader(folder),
): Promise<CurvePoint[]> {
  const curves = await Promise.all(runIds.map(read));
  const length = Math.min(...curves.map((c) => c.rows.length));
  const points: CurvePoint[] = [];
  for (const k of thinnedIndices(length, MAX_POINTS)) {
    for (const series of LOSS_SERIES) {
      const values = curves.map((c) => c.rows[k][c.header.indexOf(series)]);
      points.push({
        iteration: curves[0].rows[k][0],
        series,
        median: quantile(values, 0.5),
        low: quantile(values, 0.25),
        high: quantile(values, 0.75),
      });
    }
  }
  return points;
}

function describe(levels: Record<string, string>): string {
  return Object.entries(levels).map(([f, l]) => `${f} ${l}`).join(", ") || "the preset";
}

/** How many of the best-ranked configurations get a loss plot in a larger experiment. */
const BEST_PLOTTED = 6;

/** How many configurations an experiment may have for every one to get a loss plot. */
const ALL_PLOTTED = 16;

/**
 * The configurations to plot: all, up to {@link ALL_PLOTTED}; beyond, the
 * {@link BEST_PLOTTED} best ranked (learned the pattern most often, then at
 * equilibrium) and, but in a search, the first configuration of every factor
 * level not yet shown.
 */
function configurationsToPlot(
  groups: readonly RunRow[][],
  rows: readonly RunRow[],
  factors: readonly string[],
  isSearch: boolean,
): RunRow[][] {
  if (groups.length <= ALL_PLOTTED) return [...groups];
  const key = (row: RunRow) => JSON.stringify(factors.map((f) => SUMMARY_FACTORS[f](row)));
  const byKey = new Map(groups.map((group) => [key(group[0]), group]));
  const chosen = new Map<string, RunRow[]>();
  for (const summary of rankConfigurations(rows, factors).slice(0, BEST_PLOTTED)) {
    const k = JSON.stringify(factors.map((f) => summary.levels[f]));
    if (byKey.has(k)) chosen.set(k, byKey.get(k)!);
  }
  // A search's sampled numbers make every configuration a level of its own: its best only.
  for (const factor of isSearch ? [] : factors) {
    for (const group of groups) {
      const level = SUMMARY_FACTORS[factor](group[0]);
      const shown = [...chosen.values()].some((g) => SUMMARY_FACTORS[factor](g[0]) === level);
      if (!shown) chosen.set(key(group[0]), group);
    }
  }
  return [...chosen.values()];
}

/**
 * Writes `plots/*.svg`, `REPORT.md` and `report.html` into an experiment's
 * results folder; returns the paths written.
 *
 * @throws {ResultsError} in one line, before writing anything, for a folder
 * with no finished run or whose files cannot be read (see {@link readReportInput}).
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { writeReport } from "./report.ts";
 * import { ResultsError } from "../results/folder.ts";
 * const folder = await Deno.makeTempDir(); // what an interrupted sweep leaves
 * await Deno.writeTextFile(`${folder}/runs.csv`, "run_id,seed\n");
 * await assertRejects(() => writeReport(folder), ResultsError, "no finished run to report");
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function writeReport(folder: string): Promise<string[]> {
  const input = await readReportInput(folder);
  const { manifest, undeclared } = input;
  const rows = labelVariants(input.rows, recordedVariants(manifest), recordedPreset(manifest));
  const experiment = (manifest.experiment ?? {}) as { name?: string; description?: string };
  const name = experiment.name ?? rows[0]?.experiment ?? folder;
  const factors = sweptFactors(rows);
  const written: string[] = [];
  await Deno.mkdir(`${folder}/plots`, { recursive: true });
  const save = async (file: string, svg: string) => {
    await writeAtomically(`${folder}/plots/${file}`, svg);
    written.push(`${folder}/plots/${file}`);
    return `plots/${file}`;
  };
  // Every plot as an SVG for REPORT.md, and its spec for report.html.
  const views: View[] = [];
  const plot = async (file: string, spec: TopLevelSpec) => {
    views.push({ file, spec });
    return await save(file, await renderSvg(spec));
  };
  const lines: string[] = [`# ${name}`, ""];
  if (experiment.description) lines.push(experiment.description, "");
  const thinned = manifest.thinned as Record<string, number> | undefined;
  lines.push(
    `${rows.length} runs. The tables come from \`runs.csv\` (checks over each run's trailing ` +
      `window at full resolution); the plots from \`curves/\` and \`patterns/\`` +
      (thinned
        ? `, thinned for the repository to every ${thinned.curves_every} (curves) and ` +
          `${thinned.patterns_every} (patterns) iterations.`
        : "."),
    "",
    "Regenerate: `deno task summary " + folder + "` and `deno task report " + folder + "`.",
    "",
  );
  const left = undeclaredNote(folder, undeclared);
  if (left) lines.push(`${left}.`, "");

  const preset = recordedPreset(manifest);
  const target = targetNote(preset);
  const compared = reportComparisons(rows, manifest);
  if (compared) {
    lines.push(
      "## What mattered",
      "",
      comparisonsNote(compared),
      "",
    );
    if (target) lines.push(target, "");
    lines.push(markdownTable(compared.table.header, compared.table.rows), "");
  }

  const groups = summariseGroups(rows, factors);
  lines.push(
    "## Per configuration",
    "",
    "Two answers per run: did G learn the pattern (each recorded output in the trailing window " +
      "close to it and ordered), and how training ended; `converged` is both, `pattern_only` " +
      "the pattern without an equilibrium.",
    "",
  );
  if (target) lines.push(target, "");
  const groupTable = groupsMarkdown(groups, factors, measureLabels(rows));
  lines.push(markdownTable(groupTable.header, groupTable.rows), "");
  const published = await publishedSection(folder, rows, manifest);
  if (published) {
    lines.push("## Published and measured", "", published, "");
    written.push(`${folder}/published.csv`);
  }

  const levels = summariseFactors(rows, comparedFactors(rows, factors), recordedPreset(manifest));
  const ablation: AblationPoint[] = (levels.length ? levels : [{
    factor: "configuration",
    level: "the preset",
    isBase: true,
    patternLearned: groups[0].patternLearned,
    equilibrium: groups[0].equilibrium,
  }]).flatMap((l) =>
    ([["learned the pattern", l.patternLearned], ["ended at equilibrium", l.equilibrium]] as const)
      .map(([measure, p]) => ({
        factor: l.factor,
        level: l.isBase ? `${l.level} (base)` : l.level,
        measure,
        rate: p.rate,
        low: p.low,
        high: p.high,
      }))
  );
  const answersFile = await plot(
    "answers.svg",
    ablationSpec(`${name}: runs that learned the pattern, and at equilibrium`, ablation),
  );
  const shares: VerdictShare[] = (levels.length ? levels : []).flatMap((l) =>
    VERDICTS.map((verdict) => ({
      factor: l.factor,
      level: l.isBase ? `${l.level} (base)` : l.level,
      verdict,
      share: l.verdicts[verdict].rate,
      count: l.verdicts[verdict].successes,
    }))
  );
  const sharesFile = levels.length
    ? await plot(
      "ablation.svg",
      verdictSharesSpec(`${name}: verdicts per factor level`, shares, VERDICTS),
    )
    : undefined;
  lines.push("## Per factor", "");
  if (levels.length) {
    const factorTable = factorsMarkdown(levels, measureLabels(rows));
    lines.push(markdownTable(factorTable.header, factorTable.rows), "");
  }
  lines.push(
    "![Share of runs per factor level that learned the pattern and that ended at equilibrium, " +
      `with 95% Wilson intervals](${answersFile})`,
    "",
  );
  if (sharesFile) {
    lines.push(
      "Where each level moves runs: its runs split by verdict, worst on the left.",
      "",
      `![Verdicts per factor level](${sharesFile})`,
      "",
    );
  }

  if ((manifest.experiment as { search?: unknown } | undefined)?.search) {
    lines.push(...await searchSection(name, rows, factors, plot));
  }

  for (const old of await Array.fromAsync(Deno.readDir(`${folder}/plots`)).catch(() => [])) {
    if (/^(loss|levels)-.*\.svg$/.test(old.name)) await Deno.remove(`${folder}/plots/${old.name}`);
  }
  const read = curveReader(folder);
  const isSearch = Boolean((manifest.experiment as { search?: unknown } | undefined)?.search);
  // A search's sampled numbers make every configuration a level of its own: no overlays.
  if (!isSearch) {
    lines.push(
      ...await levelsSection({
        name,
        rows,
        factors: comparedFactors(rows, factors),
        thresholds: manifest.thresholds as Record<string, { window?: number }> | undefined,
        read,
        plot,
      }),
    );
  }
  lines.push(
    "## Loss curves",
    "",
    "Median across seeds, band from the 25th to the 75th percentile, a thin line for each seed " +
      `(up to ${RUNS_DRAWN}); the dashed line, where a loss has one, is the level its losses ` +
      "settle at in equilibrium (ln 2 for BCE, 0.25 for MSE, 1 for D's hinge terms); the " +
      "Wasserstein critic's scores have no such level, so its panels have no line.",
    "",
  );
  // Plots for the configurations a reader looks at: all of them in a small experiment; in a
  // larger one the best ranked and one for every factor level. Short names, and an index.
  const configurations = groupRows(rows, factors);
  const plotted = configurationsToPlot(configurations, rows, factors, isSearch);
  if (plotted.length < configurations.length) {
    lines.push(
      `${plotted.length} of the ${configurations.length} configurations are plotted: the ` +
        `${BEST_PLOTTED} that learned the pattern most often` +
        (isSearch ? "" : " and one for every factor level") +
        "; `deno task summary` lists them all.",
      "",
    );
  }
  const index: string[][] = [];
  const sections: string[] = [];
  for (const [k, group] of plotted.entries()) {
    const groupLevels = Object.fromEntries(factors.map((f) => [f, SUMMARY_FACTORS[f](group[0])]));
    const loss = group[0].loss as LossName;
    const points = await lossCurvePoints(folder, group.map((row) => row.run_id), read);
    const runs = await runCurvePoints(drawnRuns(group, RUNS_DRAWN), "", read);
    const title = `${name}: ${describe(groupLevels)} (${group.length} seeds)`;
    const file = await plot(
      `loss-${String(k + 1).padStart(2, "0")}.svg`,
      lossCurvesSpec(title, points, lossKind(loss).checks.curveTargets, runs),
    );
    const learned = group.filter((row) => row.pattern_learned === "true").length;
    index.push([`[${file}](${file})`, describe(groupLevels), `${learned} of ${group.length}`]);
    sections.push(`### ${describe(groupLevels)}`, "", `![${title}](${file})`, "");
  }
  lines.push(
    markdownTable(["plot", "configuration", "learned the pattern"], index),
    "",
    ...sections,
  );

  lines.push(...await problemSection(folder, rows, manifest, preset, plot));
  const pattern = seedTarget(preset);
  lines.push(
    ...await patternSection({
      folder,
      name,
      rows,
      target: pattern,
      describe: (row) =>
        describe(Object.fromEntries(factors.map((f) => [f, SUMMARY_FACTORS[f](row)]))),
      plot,
    }),
  );
  await writeAtomically(`${folder}/REPORT.md`, lines.join("\n"));
  written.push(`${folder}/REPORT.md`);

  // report.html: the same plots, interactive, and every configuration's curves and outputs.
  const configurationViews: ConfigurationView[] = [];
  for (const group of configurations) {
    const groupLevels = Object.fromEntries(factors.map((f) => [f, SUMMARY_FACTORS[f](group[0])]));
    const label = describe(groupLevels) || name;
    const points = await lossCurvePoints(folder, group.map((row) => row.run_id), read);
    const targets = lossKind(group[0].loss as LossName).checks.curveTargets;
    const median = [...group].sort((a, b) => Number(a.pattern_error) - Number(b.pattern_error))[
      Math.floor((group.length - 1) / 2)
    ];
    configurationViews.push({
      label,
      loss: lossCurvesSpec(
        `${label} (${group.length} seeds)`,
        points,
        targets,
        await runCurvePoints(drawnRuns(group, RUNS_DRAWN), "", read),
      ),
      pattern: patternHeatmapSpec(
        `G's output, the run with the median pattern error (${median.run_id}, seed ${median.seed})`,
        await patternCells(folder, median.run_id),
        pattern,
      ),
    });
  }
  await writeAtomically(
    `${folder}/report.html`,
    await htmlReport({
      title: `${name}: report`,
      description: experiment.description ?? "",
      views,
      configurations: configurationViews,
      table: groupTable,
      comparisons: compared && {
        note: comparisonsNote(compared, "text"),
        table: compared.table,
      },
    }),
  );
  written.push(`${folder}/report.html`);
  return written;
}

/** The map of a search and its budget curve, with their REPORT.md lines. */
async function searchSection(
  name: string,
  rows: readonly RunRow[],
  factors: readonly string[],
  plot: (file: string, spec: TopLevelSpec) => Promise<string>,
): Promise<string[]> {
  const points: SearchPoint[] = groupRows(rows, factors).map((group) => {
    const counts = new Map<string, number>();
    for (const row of group) counts.set(row.verdict, (counts.get(row.verdict) ?? 0) + 1);
    const verdict = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    return {
      lrD: Number(group[0].lr_d),
      lrG: Number(group[0].lr_g),
      loss: group[0].loss,
      verdict,
      learned: group.filter((row) => row.pattern_learned === "true").length / group.length,
      label: factors.map((f) => `${f} ${SUMMARY_FACTORS[f](group[0])}`).join(", "),
    };
  });
  const mapFile = await plot(
    "search-map.svg",
    searchMapSpec(`${name}: where the sampled configurations end`, points, VERDICTS),
  );
  const curve = budgetCurve(rankConfigurations(rows, factors)).flatMap((p) => [
    { samples: p.samples, measure: "learned the pattern", rate: p.patternLearned },
    { samples: p.samples, measure: "ended at equilibrium", rate: p.equilibrium },
  ]);
  const budgetFile = await plot(
    "search-budget.svg",
    budgetCurveSpec(`${name}: the best within a budget`, curve),
  );
  return [
    "## The search",
    "",
    `${points.length} sampled configurations (\`search.csv\` ranks them; \`budget.csv\` holds the curve).`,
    "",
    `![Each sampled configuration over D's and G's learning rates](${mapFile})`,
    "",
    `![Expected best rate within a budget of k configurations](${budgetFile})`,
    "",
  ];
}
