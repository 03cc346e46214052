/**
 * The summaries as tables: rows of text for Markdown and for CSV.
 *
 * @module
 */
import { VERDICTS } from "./checks.ts";
import type { FactorLevel, GroupSummary } from "./summary.ts";

/** A table: a header and rows of text cells. */
export interface Table {
  readonly header: string[];
  readonly rows: string[][];
}

const number = (value: number, digits = 3) =>
  Number.isFinite(value) ? String(+value.toPrecision(digits)) : String(value);
const percent = (value: number) => (Number.isFinite(value) ? `${(100 * value).toFixed(0)}%` : "–");

/**
 * The per-configuration summary for CSV: every number in its own column
 * (`g_out_median`: the median of each output slot, space-separated).
 */
export function groupsCsv(groups: readonly GroupSummary[], factors: readonly string[]): Table {
  return {
    header: [
      ...factors,
      "n",
      "converged",
      "rate",
      "ci_low",
      "ci_high",
      ...VERDICTS,
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
      String(g.converged.trials),
      String(g.converged.successes),
      number(g.converged.rate, 6),
      number(g.converged.low, 6),
      number(g.converged.high, 6),
      ...VERDICTS.map((v) => String(g.verdicts[v])),
      ...[g.dLoss, g.gLoss, g.dFakeError, g.patternError, g.dReal].flatMap((s) => [
        number(s.median, 6),
        number(s.iqr, 6),
      ]),
      g.gOutput.map((v) => number(v, 4)).join(" "),
    ]),
  };
}

/** The per-configuration summary for reading: rates with intervals, medians (IQR). */
export function groupsMarkdown(groups: readonly GroupSummary[], factors: readonly string[]): Table {
  const shown = VERDICTS.filter((v) => v !== "converged" && groups.some((g) => g.verdicts[v] > 0));
  return {
    header: [
      ...factors,
      "n",
      "converged (95% CI)",
      ...shown,
      "D loss",
      "G loss",
      "|D(G(z))−0.5|",
      "pattern error",
    ],
    rows: groups.map((g) => [
      ...factors.map((f) => g.levels[f]),
      String(g.converged.trials),
      `${g.converged.successes} = ${percent(g.converged.rate)} (${percent(g.converged.low)}–${
        percent(g.converged.high)
      })`,
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
      "converged",
      "rate",
      "ci_low",
      "ci_high",
      "change_from_base",
    ],
    rows: levels.map((l) => [
      l.factor,
      l.level,
      String(l.isBase),
      String(l.converged.trials),
      String(l.converged.successes),
      number(l.converged.rate, 6),
      number(l.converged.low, 6),
      number(l.converged.high, 6),
      number(l.changeFromBase, 6),
    ]),
  };
}

/** The ablation table for reading. */
export function factorsMarkdown(levels: readonly FactorLevel[]): Table {
  return {
    header: ["factor", "level", "n", "converged (95% CI)", "vs base level"],
    rows: levels.map((l) => [
      l.factor,
      l.isBase ? `${l.level} (base)` : l.level,
      String(l.converged.trials),
      `${percent(l.converged.rate)} (${percent(l.converged.low)}–${percent(l.converged.high)})`,
      l.isBase
        ? "–"
        : Number.isFinite(l.changeFromBase)
        ? `${l.changeFromBase >= 0 ? "+" : ""}${(100 * l.changeFromBase).toFixed(0)} pts`
        : "(base not run)",
    ]),
  };
}
