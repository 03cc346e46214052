/**
 * The summaries as tables: rows of text for Markdown and for CSV.
 *
 * @module
 */
import { VERDICTS } from "../results/checks.ts";
import { type Comparison, DISTRIBUTION, MEASURES } from "./comparisons.ts";
import { type MeanInterval, type Proportion, wilson } from "./statistics.ts";
import type { FactorLevel, GroupSummary, ProblemSummary } from "./summary.ts";

/** A table: a header and rows of text cells. */
export interface Table {
  readonly header: string[];
  readonly rows: string[][];
}

const number = (value: number, digits = 3) =>
  Number.isFinite(value) ? String(+value.toPrecision(digits)) : String(value);
const percent = (value: number) => (Number.isFinite(value) ? `${(100 * value).toFixed(0)}%` : "–");

/** `k = rate% (low–high%)`, a proportion for reading. */
const proportionText = (p: Proportion) =>
  `${p.successes} = ${percent(p.rate)} (${percent(p.low)}–${percent(p.high)})`;

/** The CSV columns of a proportion named `name`: count, rate, interval. */
const proportionHeader = (name: string) => [
  name,
  `${name}_rate`,
  `${name}_ci_low`,
  `${name}_ci_high`,
];
const proportionCells = (p: Proportion) => [
  String(p.successes),
  number(p.rate, 6),
  number(p.low, 6),
  number(p.high, 6),
];

/** A change against the base level, in percentage points, for reading. */
const changeText = (level: FactorLevel, change: number) =>
  level.isBase
    ? "–"
    : Number.isFinite(change)
    ? `${change >= 0 ? "+" : ""}${(100 * change).toFixed(0)} pts`
    : "(base not run)";

/**
 * The per-configuration summary for CSV: every number in its own column
 * (`g_out_median_0`, `g_out_median_1`, …: the median of each output slot).
 */
export function groupsCsv(groups: readonly GroupSummary[], factors: readonly string[]): Table {
  const problem = problemColumns(groups[0]?.problem);
  return {
    header: [
      ...factors,
      "n",
      ...proportionHeader("pattern_learned"),
      ...proportionHeader("equilibrium"),
      ...VERDICTS.flatMap(proportionHeader),
      "d_loss_median",
      "d_loss_iqr",
      "g_loss_median",
      "g_loss_iqr",
      "d_fake_error_median",
      "d_fake_error_iqr",
      "pattern_error_median",
      "pattern_error_iqr",
      "d_real_median",
      "d_real_iqr",
      ...(groups[0]?.gOutput ?? []).map((_, slot) => `g_out_median_${slot}`),
      ...problem.header,
    ],
    rows: groups.map((g) => [
      ...factors.map((f) => g.levels[f]),
      String(g.patternLearned.trials),
      ...proportionCells(g.patternLearned),
      ...proportionCells(g.equilibrium),
      ...VERDICTS.flatMap((v) => proportionCells(wilson(g.verdicts[v], g.patternLearned.trials))),
      ...[g.dLoss, g.gLoss, g.dFakeError, g.patternError, g.dReal].flatMap((s) => [
        number(s.median, 6),
        number(s.iqr, 6),
      ]),
      ...g.gOutput.map((v) => number(v, 4)),
      ...problem.cells(g.problem),
    ]),
  };
}

/**
 * The CSV columns of a toy problem's answer: each verdict's count, rate and
 * interval (`mixture_verdict_converged`, …) and each measure's mean and
 * interval (`modes_captured_mean`, …); none for the seed's pattern.
 */
function problemColumns(
  sample: ProblemSummary | undefined,
): { header: string[]; cells: (p: ProblemSummary | undefined) => string[] } {
  if (!sample) return { header: [], cells: () => [] };
  const verdicts = Object.keys(sample.verdicts);
  const measures = Object.keys(sample.measures);
  const column = PROBLEM_VERDICT_PREFIX;
  return {
    header: [
      ...verdicts.flatMap((v) => proportionHeader(`${column}${v}`)),
      ...measures.flatMap((m) => [`${m}_mean`, `${m}_ci_low`, `${m}_ci_high`]),
    ],
    cells: (p) => [
      ...verdicts.flatMap((v) => proportionCells(p!.verdicts[v])),
      ...measures.flatMap((m) => [
        number(p!.measures[m].mean, 6),
        number(p!.measures[m].low, 6),
        number(p!.measures[m].high, 6),
      ]),
    ],
  };
}

/** The prefix of a toy problem's verdict columns in summary.csv and factors.csv. */
const PROBLEM_VERDICT_PREFIX = "problem_";

/** `mean (low–high)`, a mean with its interval for reading. */
const meanText = (m: MeanInterval) =>
  `${number(m.mean)} (${number(m.low, 2)}–${number(m.high, 2)})`;

/**
 * The per-configuration summary for reading: the pattern and equilibrium
 * rates with intervals, the count of each verdict that occurs, medians (IQR).
 */
export function groupsMarkdown(
  groups: readonly GroupSummary[],
  factors: readonly string[],
  labels: MeasureLabels = {},
): Table {
  const problem = groups[0]?.problem;
  // A toy problem's own verdicts and measures come first, in place of the seed's verdicts; the
  // seed's pattern error and |D(G(z)) − 0.5| mean nothing there.
  const shown = problem ? [] : VERDICTS.filter((v) => groups.some((g) => g.verdicts[v] > 0));
  const problemVerdicts = problem
    ? Object.keys(problem.verdicts).filter((v) =>
      groups.some((g) => g.problem!.verdicts[v].successes > 0)
    )
    : [];
  const measures = problem ? Object.keys(problem.measures) : [];
  return {
    header: [
      ...factors,
      "n",
      ...measures.map((m) => `${labels[m] ?? m}, mean (95% CI)`),
      ...problemVerdicts,
      "learned the pattern (95% CI)",
      "equilibrium (95% CI)",
      ...shown,
      "D loss, median (IQR)",
      "G loss, median (IQR)",
      ...(problem
        ? []
        : ["D(G(z)) from its equilibrium, median (IQR)", "pattern error, median (IQR)"]),
    ],
    rows: groups.map((g) => [
      ...factors.map((f) => g.levels[f]),
      String(g.patternLearned.trials),
      ...measures.map((m) => meanText(g.problem!.measures[m])),
      ...problemVerdicts.map((v) => String(g.problem!.verdicts[v].successes)),
      proportionText(g.patternLearned),
      proportionText(g.equilibrium),
      ...shown.map((v) => String(g.verdicts[v])),
      ...(problem ? [g.dLoss, g.gLoss] : [g.dLoss, g.gLoss, g.dFakeError, g.patternError]).map((
        s,
      ) => `${number(s.median)} (${number(s.iqr, 2)})`),
    ]),
  };
}

/** A toy problem's measure labels by column ("modes captured"), for table headers. */
export type MeasureLabels = Readonly<Record<string, string>>;

/** The ablation table for CSV. */
export function factorsCsv(levels: readonly FactorLevel[]): Table {
  return {
    header: [
      "factor",
      "level",
      "is_base",
      "n",
      ...proportionHeader("pattern_learned"),
      "pattern_learned_change_from_base",
      ...proportionHeader("equilibrium"),
      "equilibrium_change_from_base",
      ...VERDICTS.flatMap(proportionHeader),
      ...problemColumns(levels[0]?.problem).header,
    ],
    rows: levels.map((l) => [
      l.factor,
      l.level,
      String(l.isBase),
      String(l.patternLearned.trials),
      ...proportionCells(l.patternLearned),
      number(l.patternChangeFromBase, 6),
      ...proportionCells(l.equilibrium),
      number(l.equilibriumChangeFromBase, 6),
      ...VERDICTS.flatMap((v) => proportionCells(l.verdicts[v])),
      ...problemColumns(levels[0]?.problem).cells(l.problem),
    ]),
  };
}

/** The ablation table for reading. */
export function factorsMarkdown(levels: readonly FactorLevel[], labels: MeasureLabels = {}): Table {
  const measures = levels[0]?.problem ? Object.keys(levels[0].problem.measures) : [];
  return {
    header: [
      "factor",
      "level",
      "n",
      ...measures.map((m) => `${labels[m] ?? m}, mean (95% CI)`),
      "learned the pattern (95% CI)",
      "vs base level",
      "equilibrium (95% CI)",
      "vs base level",
    ],
    rows: levels.map((l) => [
      l.factor,
      l.isBase ? `${l.level} (base)` : l.level,
      String(l.patternLearned.trials),
      ...measures.map((m) => meanText(l.problem!.measures[m])),
      proportionText(l.patternLearned),
      changeText(l, l.patternChangeFromBase),
      proportionText(l.equilibrium),
      changeText(l, l.equilibriumChangeFromBase),
    ]),
  };
}

/** `p` for reading: 2 significant digits, in exponent form below 0.001. */
const pText = (p: number) =>
  p < 1e-12 ? "< 1e-12" : p < 0.001 ? p.toExponential(1) : String(+p.toPrecision(2));

/** The comparisons for CSV: one row per comparison, raw and Holm-adjusted p side by side. */
export function comparisonsCsv(comparisons: readonly Comparison[]): Table {
  return {
    header: [
      "factor",
      "level_a",
      "level_b",
      "measure",
      "count_a",
      "n_a",
      "count_b",
      "n_b",
      "difference",
      "ci_low",
      "ci_high",
      "test",
      "p",
      "p_holm",
      "paired",
      "significant",
      "mean_a",
      "mean_b",
    ],
    rows: comparisons.map((c) => [
      c.factor,
      c.a,
      c.b,
      c.measure,
      c.kind === "mean" ? "" : String(c.countA),
      String(c.nA),
      c.kind === "mean" ? "" : String(c.countB),
      String(c.nB),
      number(c.difference.difference, 6),
      number(c.difference.low, 6),
      number(c.difference.high, 6),
      c.test,
      number(c.p, 6),
      number(c.pAdjusted, 6),
      String(c.paired),
      String(c.pAdjusted < 0.05),
      c.kind === "mean" ? number(c.meanA, 6) : "",
      c.kind === "mean" ? number(c.meanB, 6) : "",
    ]),
  };
}

/**
 * "What mattered": the comparisons of rates ranked by the size of the
 * difference, those that survive Holm's correction (adjusted p < 0.05)
 * marked with a star.
 */
export function whatMattered(
  comparisons: readonly Comparison[],
  most = 8,
  labels: MeasureLabels = {},
): Table {
  // A toy problem's own measures first (by p), then the rates by the size of their difference.
  const means = comparisons.filter((c) => c.kind === "mean").sort((x, y) => x.p - y.p);
  const rates = comparisons.filter((c) => c.kind === "rate" && c.measure !== DISTRIBUTION)
    .sort((x, y) => Math.abs(y.difference.difference) - Math.abs(x.difference.difference));
  const ranked = [...means, ...rates].slice(0, most);
  const points = (value: number) => `${value >= 0 ? "+" : ""}${(100 * value).toFixed(0)}`;
  const signed = (value: number) => `${value >= 0 ? "+" : ""}${number(value)}`;
  return {
    header: [
      "",
      "factor",
      "levels",
      "measure",
      "values",
      "difference (95% CI)",
      "test",
      "p (Holm)",
    ],
    rows: ranked.map((c) => [
      c.pAdjusted < 0.05 ? "*" : "",
      c.factor,
      `${c.b} vs ${c.a}`,
      c.kind === "mean"
        ? `${labels[c.measure] ?? c.measure}, mean`
        : `share of runs: ${MEASURES[c.measure].label}`,
      c.kind === "mean"
        ? `${number(c.meanB)} vs ${number(c.meanA)}`
        : `${c.countB}/${c.nB} vs ${c.countA}/${c.nA}`,
      c.kind === "mean"
        ? `${signed(c.difference.difference)} (${signed(c.difference.low)} to ${
          signed(c.difference.high)
        })`
        : `${points(c.difference.difference)} pts (${points(c.difference.low)} to ${
          points(c.difference.high)
        })`,
      c.test,
      `${pText(c.p)} (${pText(c.pAdjusted)})`,
    ]),
  };
}
