/**
 * An experiment file's `published` block: the paper a sweep replicates, the
 * table or figure, the setting in words, and the published values per
 * configuration; the measures a value may name, and how a configuration is
 * told apart in runs.csv. The block's checks are in `published_check.ts`.
 *
 * @module
 */
import { factorColumns, normaliseLevel, resolveConfig } from "./factors.ts";
import {
  FACTOR_COLUMN_DEFAULTS,
  FACTOR_NAMES,
  FACTOR_VOCABULARY,
  type FactorName,
  type Factors,
} from "./levels.ts";
import { type PresetName, PRESETS } from "./presets.ts";
import { PROBLEM_KINDS, type ProblemName } from "./problems/mod.ts";

/** The paper a published value comes from. */
export interface PublishedPaper {
  /** As the paper lists them, e.g. "Mescheder, Nowozin & Geiger". */
  readonly authors: string;
  readonly year: number;
  /** The title; or `short`, or both. */
  readonly title?: string;
  /** A short name, e.g. "The Numerics of GANs". */
  readonly short?: string;
}

/** A configuration of the file's grid: the levels that tell it apart, `{ factor: level }`. */
export type PublishedConfiguration = { readonly [K in FactorName]?: Factors[K] };

/** Whether a published ± is a standard deviation over runs or the standard error of the mean. */
export type PlusMinusKind = "sd" | "se";

type Kind = (typeof PROBLEM_KINDS)[ProblemName];
// Distributed over the problems (a conditional type distributes over a type parameter).
type ColumnOf<K> = K extends { measures: readonly { column: infer C }[] } ? C : never;
type VerdictOf<K> = K extends { verdicts: readonly (infer V)[] } ? V : never;
type MeasureColumn = ColumnOf<Kind>;
type VerdictName = VerdictOf<Kind>;

/** Every measure name any problem has (the ones a file may use depend on its base). */
export type PublishedMeasureName =
  | MeasureColumn
  | "pattern_learned"
  | `${VerdictName & string}_rate`;

/** One published number: which configuration, which measure, the value and its spread. */
export interface PublishedValue {
  /** The configuration, by the levels of the factors the file sweeps or sets by variants. */
  readonly configuration: PublishedConfiguration;
  /** A measure of the file's problem (`publishedMeasures`). */
  readonly measure: PublishedMeasureName;
  /** The published value (a rate as a fraction 0…1, a share as the runs.csv column has it). */
  readonly value: number;
  /** The published ± (a mean's measure only). */
  readonly plusMinus?: number;
  /** What the ± is: required with it. */
  readonly plusMinusIs?: PlusMinusKind;
  /** The number of runs the published value is over. */
  readonly runs?: number;
  /** How it was read, e.g. "read off Figure 3". */
  readonly note?: string;
}

/** The `published` block of an experiment file. */
export interface PublishedSpec {
  readonly paper: PublishedPaper;
  /** The table or figure, e.g. "Table 1". */
  readonly reportedIn: string;
  /** The paper's setting in words (data, networks, optimiser, budget). */
  readonly setting: string;
  readonly values: readonly PublishedValue[];
}

/** `P` with every field `Shape` lacks typed `never`: a misspelt field does not compile. */
type Exact<P, Shape> = P & Record<Exclude<keyof P, keyof Shape>, never>;

/** Each member of a union made exact on its own. */
type ExactEach<V, Shape> = V extends unknown ? Exact<V, Shape> : never;

/**
 * A published block as `defineExperiment` types it: an unknown field of the
 * block, its paper or one of its values does not compile.
 */
export type ExactPublished<P> =
  & Exact<P, PublishedSpec>
  & (P extends { readonly paper: infer A } ? { readonly paper: Exact<A, PublishedPaper> } : unknown)
  & (P extends { readonly values: readonly (infer V)[] }
    ? { readonly values: readonly ExactEach<V, PublishedValue>[] }
    : unknown);

/** A measure a published value may name: a mean of a runs.csv column, or a rate of runs. */
export interface PublishedMeasure {
  readonly name: string;
  readonly label: string;
  /** `mean`: of `column`'s numbers; `rate`: the share of runs whose `column` is `equals`. */
  readonly kind: "mean" | "rate";
  readonly column: string;
  readonly equals?: string;
}

/**
 * The measures a published value may name for a base: its problem's
 * measures (means), the share of runs that learned the target
 * (`pattern_learned`) and the share of each of the problem's verdicts
 * (`<verdict>_rate`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { publishedMeasures } from "./published.ts";
 * assertEquals(
 *   publishedMeasures("dirac").map((m) => `${m.name} (${m.kind})`),
 *   [
 *     "distance_to_equilibrium (mean)",
 *     "pattern_learned (rate)",
 *     "converged_rate (rate)",
 *     "stalled_rate (rate)",
 *     "cycling_rate (rate)",
 *     "diverged_rate (rate)",
 *   ],
 * );
 * ```
 */
export function publishedMeasures(base: PresetName): PublishedMeasure[] {
  const problem: ProblemName = (PRESETS[base] as { problem?: ProblemName }).problem ?? "pattern";
  const kind = PROBLEM_KINDS[problem] as {
    measures?: readonly { column: string; label: string }[];
    verdicts: readonly string[];
    verdictColumn?: string;
  };
  return [
    ...(kind.measures ?? []).map(({ column, label }) => ({
      name: column,
      label,
      kind: "mean" as const,
      column,
    })),
    {
      name: "pattern_learned",
      label: "share of runs that reached the target",
      kind: "rate" as const,
      column: "pattern_learned",
      equals: "true",
    },
    ...kind.verdicts.map((verdict) => ({
      name: `${verdict}_rate`,
      label: `share of runs ${verdict.replaceAll("_", " ")}`,
      kind: "rate" as const,
      column: kind.verdictColumn!,
      equals: verdict,
    })),
  ];
}

/**
 * A level's runs.csv cells, the way runs are told apart: the factor's
 * columns in a run of `base` at that level (an unset optional factor reads
 * as its default, as in the rows).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { levelCells } from "./published.ts";
 * assertEquals(levelCells("dirac", "consensus", 10), ["10"]);
 * assertEquals(levelCells("seed", "lr", { d: 0.001, g: 0.01 }), ["0.001", "0.01"]);
 * ```
 *
 * @throws {FactorError} for a level the factor does not allow.
 */
export function levelCells(base: PresetName, factor: FactorName, level: unknown): string[] {
  if (level !== undefined) normaliseLevel(factor, level, base);
  const columns = factorColumns(resolveConfig(base, { [factor]: level } as Partial<Factors>));
  return FACTOR_VOCABULARY[factor].columns.map((column) =>
    (columns as Record<string, string>)[column] ?? FACTOR_COLUMN_DEFAULTS[column] ?? ""
  );
}

/**
 * A configuration as one label, its factors in the order tables show them:
 * `updates=simultaneous; consensus=10` (`all runs` for `{}`, which every run matches).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { configurationLabel } from "./published.ts";
 * assertEquals(
 *   configurationLabel("dirac", { consensus: 10, updates: "simultaneous" }),
 *   "updates=simultaneous; consensus=10",
 * );
 * ```
 */
export function configurationLabel(
  base: PresetName,
  configuration: PublishedConfiguration,
): string {
  const named = FACTOR_NAMES.filter((factor) => factor in configuration);
  return named.map((factor) =>
    `${factor}=${levelCells(base, factor, configuration[factor]).join("/")}`
  ).join("; ") || "all runs";
}
