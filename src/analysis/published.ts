/**
 * Published against measured: for each value a folder's experiment
 * declares in its `published` block, the measured mean (or rate) of the
 * same configuration with its 95% interval, and a verdict. A value without
 * ± is inside or outside the measured interval; a ± over n runs is a
 * two-sample Welch t test from the summary statistics; a rate is inside or
 * outside the measured Wilson interval.
 *
 * @module
 */
import { stringify } from "@std/csv";
import { markdownTable } from "../core/table.ts";
import { FACTOR_COLUMN_DEFAULTS, FACTOR_VOCABULARY, type FactorName } from "../design/levels.ts";
import { type PresetName, PRESETS } from "../design/presets.ts";
import {
  configurationLabel,
  levelCells,
  type PublishedMeasure,
  publishedMeasures,
  type PublishedSpec,
  type PublishedValue,
} from "../design/published.ts";
import { publishedProblems } from "../design/published_check.ts";
import { ResultsError, writeAtomically } from "../results/folder.ts";
import { measureValues } from "./problem_measures.ts";
import { meanInterval, welchTFromSummaries, wilson } from "./statistics.ts";
import type { RunRow } from "./summary.ts";
import type { Table } from "./summary_tables.ts";

/** A folder's published block as its experiment.json records it, with the base it was checked against. */
export interface RecordedPublished {
  readonly published: PublishedSpec;
  readonly base: PresetName;
}

/**
 * The published block a folder's experiment.json records (undefined where
 * its experiment declares none, as every older manifest), checked again
 * against the grid the manifest records, so that a hand-edited or damaged
 * block is refused in words rather than misread.
 *
 * @throws {ResultsError} `WHERE: published…: what is wrong`, one line per problem.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { recordedPublished } from "./published.ts";
 * import { ResultsError } from "../results/folder.ts";
 * const values = [{ configuration: {}, measure: "modes_captured", value: 8 }];
 * const published = { paper: { authors: "A", year: 2018, short: "B" }, reportedIn: "Table 1", setting: "s", values };
 * assertEquals(recordedPublished({ experiment: { base: "ring", published } })?.base, "ring");
 * assertEquals(recordedPublished({ experiment: { base: "ring" } }), undefined);
 * const dirac = { experiment: { base: "dirac", published } };
 * const error = assertThrows(() => recordedPublished(dirac, "r/experiment.json"), ResultsError);
 * assertEquals(error.message.split(": ").slice(0, 2), ["r/experiment.json", "published.values[0].measure"]);
 * ```
 */
export function recordedPublished(
  manifest: Record<string, unknown>,
  where = "experiment.json",
): RecordedPublished | undefined {
  const experiment = manifest.experiment as Record<string, unknown> | undefined;
  if (experiment?.published === undefined) return undefined;
  const base = experiment.base;
  if (typeof base !== "string" || !(base in PRESETS)) {
    throw new ResultsError(`${where}: published: recorded without a known base (${base})`);
  }
  const list = (value: unknown) => Array.isArray(value) ? value : [];
  const problems = publishedProblems(experiment.published, {
    base: base as PresetName,
    sweep: (experiment.sweep ?? {}) as Record<string, unknown[]>,
    variants: list(experiment.variants),
    exclude: list(experiment.exclude),
    search: experiment.search !== undefined && experiment.search !== null,
  });
  if (problems.length) {
    throw new ResultsError(
      problems.map(({ field, message }) => `${where}: ${field}: ${message}`).join("\n"),
    );
  }
  return { published: experiment.published as PublishedSpec, base: base as PresetName };
}

/** A verdict on one published value. */
export type PublishedVerdict =
  | "inside"
  | "outside"
  | "consistent"
  | "differs at 5%"
  | "not run"
  | "too few runs";

/** One published value beside what the folder measured. */
export interface PublishedComparison {
  /** The configuration's label, e.g. `consensus=10`. */
  readonly configuration: string;
  readonly measure: PublishedMeasure;
  readonly published: PublishedValue;
  /** The measured mean (a rate: the share of runs). */
  readonly measured: number;
  /** Its 95% interval: Student t for a mean, Wilson for a rate. */
  readonly low: number;
  readonly high: number;
  /** The measured runs (with a value of the measure). */
  readonly runs: number;
  /** A rate's count of runs that had it. */
  readonly successes?: number;
  /** How the verdict was reached. */
  readonly test: "t interval" | "Welch t" | "Wilson interval";
  /** Welch's p (NaN where no test was made). */
  readonly p: number;
  readonly verdict: PublishedVerdict;
  /** Why a ± was not tested, where it was not. */
  readonly note?: string;
}

/**
 * Whether a row is a run of a configuration: every factor the
 * configuration names has its level in the row's columns.
 */
function ofConfiguration(
  base: PresetName,
  configuration: PublishedValue["configuration"],
): (row: RunRow) => boolean {
  const wanted = Object.entries(configuration).map(([factor, level]) => ({
    columns: FACTOR_VOCABULARY[factor as FactorName].columns as readonly string[],
    cells: levelCells(base, factor as FactorName, level),
  }));
  return (row) =>
    wanted.every(({ columns, cells }) =>
      columns.every((column, i) =>
        (row[column] ?? (FACTOR_COLUMN_DEFAULTS as Record<string, string>)[column]) === cells[i]
      )
    );
}

/**
 * Each published value beside the measured one, in the block's order.
 * The rows are the folder's declared runs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { comparePublished } from "./published.ts";
 * const row = (consensus: string, distance: string) =>
 *   ({ base: "dirac", consensus, distance_to_equilibrium: distance, dirac_verdict: "cycling", pattern_learned: "false" });
 * const rows = [row("0", "1.4"), row("0", "1.6"), row("1", "0.01"), row("1", "0.03")];
 * const published = {
 *   paper: { authors: "Mescheder, Geiger & Nowozin", year: 2018, short: "Which training methods" },
 *   reportedIn: "Figure 1", setting: "the Dirac-GAN",
 *   values: [
 *     { configuration: { consensus: 0 }, measure: "distance_to_equilibrium", value: 1.5 },
 *     { configuration: { consensus: 1 }, measure: "distance_to_equilibrium", value: 0.5 },
 *   ],
 * } as const;
 * const table = comparePublished(rows, { published, base: "dirac" });
 * assertEquals(table.map((r) => [r.configuration, r.measured, r.verdict]), [
 *   ["consensus=0", 1.5, "inside"],
 *   ["consensus=1", 0.02, "outside"],
 * ]);
 * ```
 */
export function comparePublished(
  rows: readonly RunRow[],
  { published, base }: RecordedPublished,
): PublishedComparison[] {
  const measures = publishedMeasures(base);
  return published.values.map((value) => {
    const measure = measures.find((m) => m.name === value.measure)!;
    const own = rows.filter(ofConfiguration(base, value.configuration));
    const configuration = configurationLabel(base, value.configuration);
    return measure.kind === "rate"
      ? rateComparison(own, configuration, measure, value)
      : meanComparison(own, configuration, measure, value);
  });
}

function rateComparison(
  rows: readonly RunRow[],
  configuration: string,
  measure: PublishedMeasure,
  published: PublishedValue,
): PublishedComparison {
  const judged = rows.filter((row) => (row[measure.column] ?? "") !== "");
  const successes = judged.filter((row) => row[measure.column] === measure.equals).length;
  const { rate, low, high } = wilson(successes, judged.length);
  return {
    configuration,
    measure,
    published,
    measured: rate,
    low,
    high,
    runs: judged.length,
    successes,
    test: "Wilson interval",
    p: NaN,
    verdict: judged.length === 0
      ? "not run"
      : low <= published.value && published.value <= high
      ? "inside"
      : "outside",
  };
}

function meanComparison(
  rows: readonly RunRow[],
  configuration: string,
  measure: PublishedMeasure,
  published: PublishedValue,
): PublishedComparison {
  const values = measureValues(rows, measure.column).filter((v) => !Number.isNaN(v));
  const { mean, low, high, count } = meanInterval(values);
  const common = { configuration, measure, published, measured: mean, low, high, runs: count };
  if (count === 0) {
    return { ...common, test: "t interval", p: NaN, verdict: "not run" };
  }
  const { plusMinus, plusMinusIs, runs } = published;
  const testable = plusMinus !== undefined && runs !== undefined && runs >= 2;
  if (!testable) {
    const inside = low <= published.value && published.value <= high;
    return {
      ...common,
      test: "t interval",
      p: NaN,
      verdict: inside ? "inside" : "outside",
      ...(plusMinus === undefined ? {} : {
        note: runs === undefined
          ? "± over an unstated number of runs: not tested"
          : "± over one run: not tested",
      }),
    };
  }
  // A standard error of the mean over n runs is sd/√n: back to the runs' sd.
  const sd = plusMinusIs === "se" ? plusMinus * Math.sqrt(runs) : plusMinus;
  const measuredSd = Math.sqrt(
    values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, count - 1),
  );
  const { p } = welchTFromSummaries(
    { mean: published.value, sd, count: runs },
    { mean, sd: measuredSd, count },
  );
  return {
    ...common,
    test: "Welch t",
    p,
    verdict: Number.isNaN(p) ? "too few runs" : p < 0.05 ? "differs at 5%" : "consistent",
  };
}

const number = (value: number | undefined, digits = 3) =>
  value === undefined ? "" : Number.isFinite(value) ? String(+value.toPrecision(digits)) : "–";

/**
 * The paper a block cites, in one line: authors, year, title or short
 * name, where, and the setting.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { publishedSource } from "./published.ts";
 * const published = {
 *   paper: { authors: "Mescheder, Nowozin & Geiger", year: 2017, short: "The Numerics of GANs" },
 *   reportedIn: "Figure 3", setting: "ring of 8, RMSprop 1e-4", values: [],
 * };
 * assertEquals(
 *   publishedSource(published),
 *   "Mescheder, Nowozin & Geiger (2017), The Numerics of GANs, Figure 3: ring of 8, RMSprop 1e-4",
 * );
 * ```
 */
export function publishedSource(published: PublishedSpec): string {
  const { paper } = published;
  const name = [paper.short, paper.title].filter(Boolean).join(": ");
  return `${paper.authors} (${paper.year}), ${name}, ${published.reportedIn}: ${published.setting}`;
}

/** The published value as read: `6.3 ± 0.5 (se), n 10`. */
const publishedText = ({ value, plusMinus, plusMinusIs, runs }: PublishedValue) =>
  `${number(value, 6)}` +
  (plusMinus === undefined ? "" : ` ± ${number(plusMinus, 6)} (${plusMinusIs})`) +
  (runs === undefined ? "" : `, n ${runs}`);

/** The measured value as read: `5.9 (5.1–6.7), n 16`, a rate `12/16 = 0.75 (0.51–0.9)`. */
const measuredText = (row: PublishedComparison) =>
  row.runs === 0
    ? "no runs"
    : row.successes !== undefined
    ? `${row.successes}/${row.runs} = ${number(row.measured)} (${number(row.low)}–${
      number(row.high)
    })`
    : `${number(row.measured)} (${number(row.low)}–${number(row.high)}), n ${row.runs}`;

/**
 * The side-by-side table in Markdown: a line naming the paper, then one
 * row per published value (configuration, measure, published, measured
 * with its 95% interval, test, verdict).
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { comparePublished, publishedMarkdown } from "./published.ts";
 * const rows = [1.4, 1.6].map((d) => ({ base: "dirac", consensus: "0", distance_to_equilibrium: String(d) }));
 * const published = {
 *   paper: { authors: "M", year: 2018, short: "Dirac" }, reportedIn: "Figure 1", setting: "the Dirac-GAN",
 *   values: [{ configuration: { consensus: 0 }, measure: "distance_to_equilibrium", value: 1.5 }],
 * } as const;
 * const text = publishedMarkdown(published, comparePublished(rows, { published, base: "dirac" }));
 * assertStringIncludes(text, "| consensus=0   | distance to (0, 0) | 1.5       | 1.5 (0.229–2.77), n 2 | t interval | inside  |");
 * ```
 */
export function publishedMarkdown(
  published: PublishedSpec,
  rows: readonly PublishedComparison[],
): string {
  const { header, rows: cells } = publishedReadingTable(rows);
  return `Published: ${publishedSource(published)}.\n\n${markdownTable(header, cells)}`;
}

/**
 * The side-by-side table for reading (Markdown, report.html): one row per
 * published value, its numbers as text.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { comparePublished, publishedReadingTable } from "./published.ts";
 * const rows = [0, 1].map((seed) => ({ base: "ring", mixture_verdict: "converged", seed: String(seed) }));
 * const published = {
 *   paper: { authors: "M", year: 2017, short: "N" }, reportedIn: "Figure 3", setting: "s",
 *   values: [{ configuration: {}, measure: "converged_rate", value: 1, note: "read off the figure" }],
 * } as const;
 * const table = publishedReadingTable(comparePublished(rows, { published, base: "ring" }));
 * assertEquals(table.rows[0].slice(2), ["1 (read off the figure)", "2/2 = 1 (0.342–1)", "Wilson interval", "inside"]);
 * ```
 */
export function publishedReadingTable(rows: readonly PublishedComparison[]): Table {
  return {
    header: ["configuration", "measure", "published", "measured (95% CI)", "test", "verdict"],
    rows: rows.map((row) => [
      row.configuration,
      row.measure.label,
      publishedText(row.published) + (row.published.note ? ` (${row.published.note})` : ""),
      measuredText(row),
      row.test === "Welch t" ? `Welch t, p ${number(row.p, 2)}` : row.test,
      row.verdict + (row.note ? ` (${row.note})` : ""),
    ]),
  };
}

/** The columns of published.csv. */
export const PUBLISHED_COLUMNS = [
  "configuration",
  "measure",
  "published_value",
  "published_plus_minus",
  "published_plus_minus_is",
  "published_runs",
  "measured",
  "measured_ci_low",
  "measured_ci_high",
  "measured_runs",
  "measured_successes",
  "test",
  "p",
  "verdict",
  "note",
] as const;

/**
 * The side-by-side table for CSV: every number in its own column.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { comparePublished, publishedCsv } from "./published.ts";
 * const rows = [{ base: "dirac", consensus: "0", dirac_verdict: "converged", pattern_learned: "true" }];
 * const published = {
 *   paper: { authors: "M", year: 2018, short: "Dirac" }, reportedIn: "Figure 1", setting: "s",
 *   values: [{ configuration: {}, measure: "converged_rate", value: 1, runs: 4 }],
 * } as const;
 * const { rows: [cells] } = publishedCsv(comparePublished(rows, { published, base: "dirac" }));
 * assertEquals(cells.slice(-5), ["1", "Wilson interval", "", "inside", ""]);
 * ```
 */
export function publishedCsv(rows: readonly PublishedComparison[]): Table {
  const cell = (value: number | undefined) => number(value, 6).replace("–", "");
  return {
    header: [...PUBLISHED_COLUMNS],
    rows: rows.map((row) => [
      row.configuration,
      row.measure.name,
      cell(row.published.value),
      cell(row.published.plusMinus),
      row.published.plusMinusIs ?? "",
      cell(row.published.runs),
      cell(row.measured),
      cell(row.low),
      cell(row.high),
      String(row.runs),
      cell(row.successes),
      row.test,
      cell(row.p),
      row.verdict,
      row.note ?? "",
    ]),
  };
}

/**
 * Writes `published.csv` in a results folder (whole, by a rename).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { comparePublished, writePublishedCsv } from "./published.ts";
 * const folder = await Deno.makeTempDir();
 * const rows = [{ base: "dirac", consensus: "0", distance_to_equilibrium: "1.5" }];
 * const published = {
 *   paper: { authors: "M", year: 2018, short: "Dirac" }, reportedIn: "Figure 1", setting: "s",
 *   values: [{ configuration: {}, measure: "distance_to_equilibrium", value: 1.5 }],
 * } as const;
 * await writePublishedCsv(folder, comparePublished(rows, { published, base: "dirac" }));
 * const text = await Deno.readTextFile(`${folder}/published.csv`);
 * assertEquals(text.split("\r\n")[1].split(",").slice(0, 3), ["all runs", "distance_to_equilibrium", "1.5"]);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function writePublishedCsv(
  folder: string,
  rows: readonly PublishedComparison[],
): Promise<void> {
  const { header, rows: cells } = publishedCsv(rows);
  await writeAtomically(`${folder}/published.csv`, stringify([header, ...cells]));
}

/**
 * A folder's published values beside its measured ones, in one call: reads
 * the block from the manifest, writes `published.csv` and returns the
 * Markdown (undefined, writing nothing, where the experiment declares no
 * published values).
 *
 * @throws {ResultsError} for a recorded block that no longer checks (see {@link recordedPublished}).
 *
 * @example
 * ```ts
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * import { publishedSection } from "./published.ts";
 * const folder = await Deno.makeTempDir();
 * const rows = [{ base: "dirac", dirac_verdict: "converged", pattern_learned: "true" }];
 * const published = {
 *   paper: { authors: "M", year: 2018, short: "D" }, reportedIn: "Figure 1", setting: "s",
 *   values: [{ configuration: {}, measure: "pattern_learned", value: 1 }],
 * };
 * const text = await publishedSection(folder, rows, { experiment: { base: "dirac", published } });
 * assertStringIncludes(text!, "| all runs      |");
 * assertStringIncludes(await Deno.readTextFile(`${folder}/published.csv`), "all runs,pattern_learned,1");
 * assertEquals(await publishedSection(folder, rows, { experiment: { base: "dirac" } }), undefined);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function publishedSection(
  folder: string,
  rows: readonly RunRow[],
  manifest: Record<string, unknown>,
): Promise<string | undefined> {
  const recorded = recordedPublished(manifest, `${folder}/experiment.json`);
  if (!recorded) return undefined;
  const compared = comparePublished(rows, recorded);
  await writePublishedCsv(folder, compared);
  return publishedMarkdown(recorded.published, compared);
}
