/**
 * The summaries as tables: rows of text for Markdown and for CSV.
 *
 * @module
 */
import { VERDICTS } from "../results/checks.ts";
import { type Comparison, DISTRIBUTION, MEASURES } from "./comparisons.ts";
import { type Proportion, wilson } from "./statistics.ts";
import type { FactorLevel, GroupSummary } from "./summary.ts";

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
 * (`g_out_median`: the median of each output slot, space-separated).
 */
export function groupsCsv(groups: readonly GroupSummary[], factors: readonly string[]): Table {
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
      "g_out_median",
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
      g.gOutput.map((v) => number(v, 4)).join(" "),
    ]),
  };
}

/**
 * The per-configuration summary for reading: the pattern and equilibrium
 * rates with intervals, the count of each verdict that occurs, medians (IQR).
 */
export function groupsMarkdown(groups: readonly GroupSummary[], factors: readonly string[]): Table {
  const shown = VERDICTS.filter((v) => groups.some((g) => g.verdicts[v] > 0));
  return {
    header: [
      ...factors,
      "n",
      "learned the pattern (95% CI)",
      "equilibrium (95% CI)",
      ...shown,
      "D loss",
      "G loss",
      "|D(G(z))−0.5|",
      "pattern error",
    ],
    rows: groups.map((g) => [
      ...factors.map((f) => g.levels[f]),
      String(g.patternLearned.trials),
      proportionText(g.patternLearned),
      proportionText(g.equilibrium),
      ...shown.map((v) => String(g.verdicts[v])),
      ...[g.dLoss, g.gLoss, g.dFakeError, g.patternError].map((s) =>
        `${number(s.median)} (${number(s.iqr, 2)})`
      ),
    ]),
  };
}

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
    ]),
  };
}

/** The ablation table for reading. */
export function factorsMarkdown(levels: readonly FactorLevel[]): Table {
  return {
    header: [
      "factor",
      "level",
      "n",
      "learned the pattern (95% CI)",
      "vs base level",
      "equilibrium (95% CI)",
      "vs base level",
    ],
    rows: levels.map((l) => [
      l.factor,
      l.isBase ? `${l.level} (base)` : l.level,
      String(l.patternLearned.trials),
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
    ],
    rows: comparisons.map((c) => [
      c.factor,
      c.a,
      c.b,
      c.measure,
      String(c.countA),
      String(c.nA),
      String(c.countB),
      String(c.nB),
      number(c.difference.difference, 6),
      number(c.difference.low, 6),
      number(c.difference.high, 6),
      c.test,
      number(c.p, 6),
      number(c.pAdjusted, 6),
      String(c.paired),
      String(c.pAdjusted < 0.05),
    ]),
  };
}

/**
 * "What mattered": the comparisons of rates ranked by the size of the
 * difference, those that survive Holm's correction (adjusted p < 0.05)
 * marked with a star.
 */
export function whatMattered(comparisons: readonly Comparison[], most = 8): Table {
  const ranked = comparisons.filter((c) => c.measure !== DISTRIBUTION)
    .sort((x, y) => Math.abs(y.difference.difference) - Math.abs(x.difference.difference))
    .slice(0, most);
  const points = (value: number) => `${value >= 0 ? "+" : ""}${(100 * value).toFixed(0)}`;
  return {
    header: [
      "",
      "factor",
      "levels",
      "share of runs that",
      "rates",
      "difference (95% CI)",
      "test",
      "p (Holm)",
    ],
    rows: ranked.map((c) => [
      c.pAdjusted < 0.05 ? "*" : "",
      c.factor,
      `${c.b} vs ${c.a}`,
      MEASURES[c.measure].label,
      `${c.countB}/${c.nB} vs ${c.countA}/${c.nA}`,
      `${points(c.difference.difference)} pts (${points(c.difference.low)} to ${
        points(c.difference.high)
      })`,
      c.test,
      `${pText(c.p)} (${pText(c.pAdjusted)})`,
    ]),
  };
}
