/**
 * Summaries of a results folder: per configuration (grouping seeds) and per
 * factor level (the ablation table), from the rows of `runs*.csv`.
 *
 * @module
 */
import { VERDICTS } from "../results/checks.ts";
import { factorColumns, resolveConfig } from "../design/factors.ts";
import { FACTOR_VOCABULARY, type FactorVocabulary } from "../design/levels.ts";
import { type Preset, type PresetName, PRESETS } from "../design/presets.ts";
import { OUTCOME_COLUMNS, outputColumnsOf, ResultsError } from "../results/folder.ts";
import {
  type MeanInterval,
  meanInterval,
  medianAndIqr,
  type Proportion,
  quantile,
  wilson,
} from "./statistics.ts";
import { measureValues, problemTerms } from "./problem_measures.ts";

/** A group's answer in its toy problem's terms: its verdicts and the mean of each measure. */
export interface ProblemSummary {
  /** The share of each of the problem's verdicts, with its interval. */
  readonly verdicts: Readonly<Record<string, Proportion>>;
  /** Each measure's mean with its 95% t interval, by column. */
  readonly measures: Readonly<Record<string, MeanInterval>>;
}

/** The problem's summary of a group of runs (undefined for the seed's pattern). */
function summariseProblem(
  group: readonly RunRow[],
  terms: ReturnType<typeof problemTerms>,
): ProblemSummary | undefined {
  if (!terms) return undefined;
  return {
    verdicts: Object.fromEntries(
      terms.verdicts.map((v) => [
        v,
        wilson(group.filter((row) => row[terms.verdictColumn] === v).length, group.length),
      ]),
    ),
    measures: Object.fromEntries(
      terms.measures.map(({ column }) => [column, meanInterval(measureValues(group, column))]),
    ),
  };
}

/** A row of `runs.csv`, keyed by column. */
export type RunRow = Readonly<Record<string, string>>;

/** The factors a summary can group by, each read from a run's columns. */
export const SUMMARY_FACTORS: Record<string, (row: RunRow) => string> = {
  ...Object.fromEntries(
    Object.values(FACTOR_VOCABULARY).map(({ key, label, absent }: FactorVocabulary) => [
      key,
      (row: RunRow) => label(row) ?? absent,
    ]),
  ),
  // The preset's hidden layers by their widths, as the experiment's own levels read.
  hidden: (row) => {
    const preset = PRESETS[row.base as PresetName] as Preset | undefined;
    const widths = (side: "d" | "g", column: string) => {
      const level = row[column] ?? "preset";
      if (level !== "preset" || !preset) return level;
      const shape = side === "d" ? preset.discriminator : preset.generator;
      return shape.hidden.join("-") || "none";
    };
    return `d=${widths("d", "hidden_d")} g=${widths("g", "hidden_g")}`;
  },
  iterations: (row) => row.iterations,
  /** The variant a run belongs to, where the experiment has variants (see analysis/variants.ts). */
  variant: (row) => row.variant ?? "-",
  /** Not factors, but useful groupings: `--by verdict`, `--by pattern_learned`, `--by ending`. */
  verdict: (row) => row.verdict,
  pattern_learned: (row) => row.pattern_learned,
  ending: (row) => row.ending,
};

/** Whether a grouping is an outcome of a run, not a factor of its configuration. */
export const isOutcome = (grouping: string): boolean =>
  (OUTCOME_COLUMNS as readonly string[]).includes(grouping);

/** Whether G learned the pattern in a run (its `pattern_learned` column). */
export const learnedPattern = (row: RunRow): boolean => row.pattern_learned === "true";

/** Whether a run's training ended at equilibrium (its `ending` column). */
export const endedAtEquilibrium = (row: RunRow): boolean => row.ending === "equilibrium";

/**
 * Refuses rows written before runs.csv had the `pattern_learned` and
 * `ending` columns, naming the command that brings them up to date.
 *
 * @throws {ResultsError} if a row lacks them.
 */
export function assertOutcomeColumns(folder: string, rows: readonly RunRow[]): void {
  if (rows.some((row) => row.pattern_learned === undefined || row.ending === undefined)) {
    throw new ResultsError(
      `${folder}: runs.csv has no pattern_learned and ending columns (written by an earlier ` +
        `version); add them with \`deno task recheck ${folder}\``,
    );
  }
}

/** A factor name a summary can group by. */
export type SummaryFactor = keyof typeof SUMMARY_FACTORS;

/** The grouping by variant, which the runs carry once labelled by `labelVariants`. */
export const VARIANT = "variant";

/**
 * The factors that take more than one value among `rows` (what was swept),
 * the variant aside (it is a function of the factors the variants set).
 */
export function sweptFactors(rows: readonly RunRow[]): string[] {
  return Object.keys(SUMMARY_FACTORS).filter((factor) =>
    factor !== VARIANT && !isOutcome(factor) &&
    new Set(rows.map(SUMMARY_FACTORS[factor])).size > 1
  );
}

/**
 * A factor's levels among `rows`: in first-appearance order, and the
 * variants in the order the experiment declares them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { levelsOf } from "./summary.ts";
 * const rows = [{ variant: "b", variant_order: "1" }, { variant: "a", variant_order: "0" }];
 * assertEquals(levelsOf(rows, "variant"), ["a", "b"]);
 * ```
 */
export function levelsOf(rows: readonly RunRow[], factor: string): string[] {
  const read = SUMMARY_FACTORS[factor];
  if (factor !== VARIANT) return [...new Set(rows.map(read))];
  const order = new Map(rows.map((row) => [read(row), Number(row.variant_order ?? 0)]));
  return [...order.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
}

/**
 * The runs grouped by their levels of `factors`, groups in first-appearance
 * order (with every swept factor: one group per configuration).
 */
export function groupRows(rows: readonly RunRow[], factors: readonly string[]): RunRow[][] {
  const groups = new Map<string, RunRow[]>();
  for (const row of rows) {
    const key = JSON.stringify(factors.map((f) => SUMMARY_FACTORS[f](row)));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

/** One configuration's (or group's) summary. */
export interface GroupSummary {
  /** The group's level of each grouping factor. */
  readonly levels: Readonly<Record<string, string>>;
  /** Runs whose G learned the pattern, with the rate's interval. */
  readonly patternLearned: Proportion;
  /** Runs whose training ended at equilibrium, with the rate's interval. */
  readonly equilibrium: Proportion;
  /** The count of each combined verdict. */
  readonly verdicts: Readonly<Record<string, number>>;
  readonly dLoss: { median: number; iqr: number };
  readonly gLoss: { median: number; iqr: number };
  readonly dFakeError: { median: number; iqr: number };
  readonly patternError: { median: number; iqr: number };
  /** D's output on real data. */
  readonly dReal: { median: number; iqr: number };
  /** G's last recorded output, the median of each slot over the group's runs. */
  readonly gOutput: readonly number[];
  /** The answer in the toy problem's own terms (none for the seed's pattern). */
  readonly problem?: ProblemSummary;
}

/**
 * Groups runs by `factors` (default: every swept factor, i.e. one group per
 * configuration) and summarises each group, in first-appearance order.
 */
export function summariseGroups(
  rows: readonly RunRow[],
  factors: readonly string[],
): GroupSummary[] {
  const terms = problemTerms(rows);
  return groupRows(rows, factors).map((group) => {
    const numbers = (pick: (row: RunRow) => number) => group.map(pick);
    const verdicts = Object.fromEntries(
      VERDICTS.map((v) => [v, group.filter((row) => row.verdict === v).length]),
    );
    return {
      levels: Object.fromEntries(factors.map((f) => [f, SUMMARY_FACTORS[f](group[0])])),
      patternLearned: wilson(group.filter(learnedPattern).length, group.length),
      equilibrium: wilson(group.filter(endedAtEquilibrium).length, group.length),
      verdicts,
      dLoss: medianAndIqr(
        numbers((row) => (Number(row.d_loss_real_mean) + Number(row.d_loss_fake_mean)) / 2),
      ),
      gLoss: medianAndIqr(numbers((row) => Number(row.g_loss_mean))),
      dFakeError: medianAndIqr(numbers((row) => Number(row.d_fake_error))),
      patternError: medianAndIqr(numbers((row) => Number(row.pattern_error))),
      dReal: medianAndIqr(numbers((row) => Number(row.d_real_mean))),
      gOutput: outputColumnsOf(group[0])
        .map((column) => quantile(numbers((row) => Number(row[column])), 0.5)),
      problem: summariseProblem(group, terms),
    };
  });
}

/** One level of one factor in the ablation table. */
export interface FactorLevel {
  readonly factor: string;
  readonly level: string;
  readonly isBase: boolean;
  /** Runs whose G learned the pattern. */
  readonly patternLearned: Proportion;
  /** Its rate minus the base preset's level's rate (NaN if the base level was not run). */
  readonly patternChangeFromBase: number;
  /** Runs whose training ended at equilibrium. */
  readonly equilibrium: Proportion;
  /** Its rate minus the base preset's level's rate (NaN if the base level was not run). */
  readonly equilibriumChangeFromBase: number;
  /** The share of each combined verdict, with its interval. */
  readonly verdicts: Readonly<Record<string, Proportion>>;
  /** The level's answer in the toy problem's own terms (none for the seed's pattern). */
  readonly problem?: ProblemSummary;
}

/**
 * The ablation table: for each factor and each of its levels, the rate of
 * runs that learned the pattern and of runs that ended at equilibrium,
 * across everything else, and their changes against the base preset's level.
 */
export function summariseFactors(
  rows: readonly RunRow[],
  factors: readonly string[] = sweptFactors(rows),
  recorded?: Pick<Preset, "factors" | "iterations">,
): FactorLevel[] {
  const table: FactorLevel[] = [];
  const terms = problemTerms(rows);
  for (const factor of factors) {
    const read = SUMMARY_FACTORS[factor];
    const levels = levelsOf(rows, factor);
    const rate = (level: string, counts: (row: RunRow) => boolean) => {
      const group = rows.filter((row) => read(row) === level);
      return wilson(group.filter(counts).length, group.length);
    };
    const baseLevel = baseLevelOf(rows, factor, recorded);
    const baseRate = (counts: (row: RunRow) => boolean) =>
      baseLevel !== undefined && levels.includes(baseLevel) ? rate(baseLevel, counts).rate : NaN;
    for (const level of levels) {
      const patternLearned = rate(level, learnedPattern);
      const equilibrium = rate(level, endedAtEquilibrium);
      table.push({
        factor,
        level,
        isBase: level === baseLevel,
        patternLearned,
        patternChangeFromBase: patternLearned.rate - baseRate(learnedPattern),
        equilibrium,
        equilibriumChangeFromBase: equilibrium.rate - baseRate(endedAtEquilibrium),
        verdicts: Object.fromEntries(
          VERDICTS.map((v) => [v, rate(level, (row) => row.verdict === v)]),
        ),
        problem: summariseProblem(rows.filter((row) => read(row) === level), terms),
      });
    }
  }
  return table;
}

/**
 * The base preset's level of a factor, as the rows spell it (for the
 * variants, the first declared): the preset the folder recorded (`recordedPreset` of its experiment.json) where given,
 * else today's preset of the rows' base.
 */
export function baseLevelOf(
  rows: readonly RunRow[],
  factor: string,
  recorded?: Pick<Preset, "factors" | "iterations">,
): string | undefined {
  // The variants' base is the first the experiment declares.
  if (factor === VARIANT) return levelsOf(rows, VARIANT)[0];
  const base = rows[0]?.base as PresetName | undefined;
  if (!base || !(base in PRESETS)) return undefined;
  const preset = recorded ?? PRESETS[base];
  const columns = factorColumns(resolveConfig(base, preset.factors));
  return SUMMARY_FACTORS[factor]({ ...columns, iterations: String(preset.iterations), base });
}
