/**
 * The checks of an experiment file's `published` block: its fields, each
 * value's configuration against the file's declared grid, its measure
 * against the base's problem, its numbers and counts. Every problem is
 * returned, none thrown; `experiment.ts` reports them with the file's
 * others, and the analysis checks a recorded block again.
 *
 * @module
 */
import { describeValue, FactorError } from "./factors.ts";
import { FACTOR_NAMES, type FactorName, type Factors } from "./levels.ts";
import { type PresetName, PRESETS } from "./presets.ts";
import {
  configurationLabel,
  levelCells,
  type PlusMinusKind,
  type PublishedConfiguration,
  type PublishedMeasure,
  publishedMeasures,
} from "./published.ts";

/** What a published block is checked against: the file's base and declared levels. */
export interface DeclaredGrid {
  readonly base: PresetName;
  /** Each swept factor's levels, ranges expanded. */
  readonly sweep: Readonly<Record<string, readonly unknown[]>>;
  readonly variants: readonly Readonly<Record<string, unknown>>[];
  readonly exclude: readonly Readonly<Record<string, unknown>>[];
  /** Whether the file draws a random search (whose configurations are sampled, not declared). */
  readonly search: boolean;
}

/** A problem of a published block: the field (under `published`) and what is wrong. */
export interface PublishedProblem {
  readonly field: string;
  readonly message: string;
}

const BLOCK_FIELDS = ["paper", "reportedIn", "setting", "values"];
const PAPER_FIELDS = ["authors", "year", "title", "short"];
const VALUE_FIELDS = [
  "configuration",
  "measure",
  "value",
  "plusMinus",
  "plusMinusIs",
  "runs",
  "note",
];
const PLUS_MINUS_KINDS: readonly PlusMinusKind[] = ["sd", "se"];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every problem of a `published` block, none thrown: its fields, each
 * value's configuration against the declared grid (a level the file
 * declares, one configuration, not excluded), its measure against the
 * base's problem, its numbers and counts.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { publishedProblems } from "./published_check.ts";
 * const grid = { base: "dirac", sweep: {}, variants: [{ consensus: 0 }, { consensus: 1 }], exclude: [], search: false } as const;
 * const block = {
 *   paper: { authors: "Mescheder, Geiger & Nowozin", year: 2018, short: "Which training methods" },
 *   reportedIn: "Figure 1", setting: "the Dirac-GAN",
 *   values: [{ configuration: { consensus: 3 }, measure: "distance_to_equilibrium", value: 0, runs: -1 }],
 * };
 * assertEquals(publishedProblems(block, grid).map((p) => p.field), [
 *   "published.values[0].configuration.consensus",
 *   "published.values[0].runs",
 * ]);
 * ```
 */
export function publishedProblems(raw: unknown, grid: DeclaredGrid): PublishedProblem[] {
  const problems: PublishedProblem[] = [];
  const say = (field: string, message: string) =>
    problems.push({ field: `published${field}`, message });
  if (!isObject(raw)) {
    say("", "must be { paper, reportedIn, setting, values }");
    return problems;
  }
  for (const key of Object.keys(raw)) {
    if (!BLOCK_FIELDS.includes(key)) {
      say(`.${key}`, `unknown field; allowed: ${BLOCK_FIELDS.join(", ")}`);
    }
  }
  checkPaper(raw.paper, say);
  for (const field of ["reportedIn", "setting"]) {
    if (typeof raw[field] !== "string" || !(raw[field] as string).trim()) {
      say(
        `.${field}`,
        `${describeValue(raw[field])} must be text (${
          field === "reportedIn" ? 'the table or figure, e.g. "Table 1"' : "the paper's setting"
        })`,
      );
    }
  }
  if (grid.search) {
    say(
      "",
      "a random search's configurations are drawn, not declared: a published value needs " +
        "the grid or variants to name its configuration",
    );
    return problems;
  }
  if (!Array.isArray(raw.values) || raw.values.length === 0) {
    say(".values", "must be a non-empty list of { configuration, measure, value, … }");
    return problems;
  }
  const measures = publishedMeasures(grid.base);
  const seen = new Map<string, number>();
  raw.values.forEach((entry, index) => {
    const field = `.values[${index}]`;
    if (!isObject(entry)) {
      say(field, "must be { configuration, measure, value, plusMinus?, plusMinusIs?, runs? }");
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!VALUE_FIELDS.includes(key)) {
        say(`${field}.${key}`, `unknown field; allowed: ${VALUE_FIELDS.join(", ")}`);
      }
    }
    const label = checkConfiguration(entry.configuration, grid, `${field}.configuration`, say);
    const measure = measures.find((m) => m.name === entry.measure);
    if (!measure) {
      say(
        `${field}.measure`,
        `${describeValue(entry.measure)} is not a measure of base "${grid.base}"; allowed: ${
          measures.map((m) => m.name).join(", ")
        }`,
      );
    }
    checkNumbers(entry, measure, field, say);
    if (label !== undefined && measure) {
      const key = `${label} ${measure.name}`;
      if (seen.has(key)) {
        say(field, `repeats values[${seen.get(key)}]: ${measure.name} of ${label}`);
      } else seen.set(key, index);
    }
  });
  return problems;
}

type Say = (field: string, message: string) => void;

function checkPaper(paper: unknown, say: Say): void {
  if (!isObject(paper)) {
    say(".paper", "must be { authors, year, title?, short? } (a title or a short name)");
    return;
  }
  for (const key of Object.keys(paper)) {
    if (!PAPER_FIELDS.includes(key)) {
      say(`.paper.${key}`, `unknown field; allowed: ${PAPER_FIELDS.join(", ")}`);
    }
  }
  if (typeof paper.authors !== "string" || !paper.authors.trim()) {
    say(".paper.authors", `${describeValue(paper.authors)} must be text`);
  }
  if (!Number.isInteger(paper.year) || (paper.year as number) < 1900) {
    say(".paper.year", `${describeValue(paper.year)} must be a year such as 2018`);
  }
  for (const key of ["title", "short"]) {
    if (paper[key] !== undefined && typeof paper[key] !== "string") {
      say(`.paper.${key}`, `${describeValue(paper[key])} must be text`);
    }
  }
  if (paper.title === undefined && paper.short === undefined) {
    say(".paper", "names no title or short name: give title, short, or both");
  }
}

function checkNumbers(
  entry: Record<string, unknown>,
  measure: PublishedMeasure | undefined,
  field: string,
  say: Say,
): void {
  const { value, plusMinus, plusMinusIs, runs } = entry;
  if (value === undefined) {
    say(
      `${field}.value`,
      plusMinus === undefined
        ? "missing: give the published value"
        : "missing: a ± without a value",
    );
  } else if (typeof value !== "number" || !Number.isFinite(value)) {
    say(`${field}.value`, `${describeValue(value)} must be a finite number`);
  } else if (measure?.kind === "rate" && (value < 0 || value > 1)) {
    say(`${field}.value`, `${value} is a rate: a fraction from 0 to 1`);
  }
  if (plusMinus !== undefined) {
    if (typeof plusMinus !== "number" || !(plusMinus >= 0) || !Number.isFinite(plusMinus)) {
      say(`${field}.plusMinus`, `${describeValue(plusMinus)} must be a number ≥ 0`);
    }
    if (measure?.kind === "rate") {
      say(`${field}.plusMinus`, "a rate takes no ±: give the number of runs");
    }
    if (plusMinusIs === undefined) {
      say(`${field}.plusMinusIs`, `missing: say what the ± is; allowed: sd, se`);
    }
  }
  if (plusMinusIs !== undefined) {
    if (!(PLUS_MINUS_KINDS as readonly unknown[]).includes(plusMinusIs)) {
      say(
        `${field}.plusMinusIs`,
        `${describeValue(plusMinusIs)} is not allowed; allowed: sd (a standard deviation ` +
          `over runs), se (the standard error of the mean)`,
      );
    } else if (plusMinus === undefined) {
      say(`${field}.plusMinusIs`, "without a plusMinus");
    }
  }
  if (runs !== undefined && (!Number.isInteger(runs) || (runs as number) < 1)) {
    say(`${field}.runs`, `${describeValue(runs)} must be a whole number of runs ≥ 1`);
  }
}

/**
 * A value's configuration against the grid: every factor known, declared at
 * that level, every swept factor of several levels named, one variant
 * chosen, not excluded. Its label where it is one declared configuration.
 */
function checkConfiguration(
  raw: unknown,
  grid: DeclaredGrid,
  field: string,
  say: Say,
): string | undefined {
  if (!isObject(raw)) {
    say(field, "must be a { factor: level } object ({} for a file of one configuration)");
    return undefined;
  }
  const { base } = grid;
  const cells = (factor: FactorName, level: unknown) => {
    if (!(FACTOR_NAMES as readonly string[]).includes(factor)) return undefined;
    try {
      return levelCells(base, factor, level).join("/");
    } catch (error) {
      if (error instanceof FactorError) return undefined;
      throw error;
    }
  };
  const baseCells = (factor: FactorName) =>
    cells(factor, (PRESETS[base].factors as Partial<Factors>)[factor]);
  const setByVariants = new Set(grid.variants.flatMap((variant) => Object.keys(variant)));
  let valid = true;
  const chosen: Record<string, string> = {};
  for (const [factor, level] of Object.entries(raw)) {
    const at = `${field}.${factor}`;
    if (!(FACTOR_NAMES as readonly string[]).includes(factor)) {
      say(at, `unknown factor; allowed: ${FACTOR_NAMES.join(", ")}`);
      valid = false;
      continue;
    }
    const name = factor as FactorName;
    let own: string;
    try {
      own = levelCells(base, name, level).join("/");
    } catch (error) {
      if (!(error instanceof FactorError)) throw error;
      say(at, error.message);
      valid = false;
      continue;
    }
    chosen[factor] = own;
    if (factor in grid.sweep) {
      const declared = grid.sweep[factor].map((one) => cells(name, one));
      if (!declared.includes(own)) {
        say(
          at,
          `${describeValue(level)} is not a level the file sweeps; sweep.${factor}: ${
            declared.join(", ")
          }`,
        );
        valid = false;
      }
    } else if (setByVariants.has(factor)) {
      const declared = new Set(
        grid.variants.map((variant) =>
          factor in variant ? cells(name, variant[factor]) : baseCells(name)
        ),
      );
      if (!declared.has(own)) {
        say(
          at,
          `${describeValue(level)} is not a level the file's variants give it; they give: ${
            [...declared].join(", ")
          }`,
        );
        valid = false;
      }
    } else if (own !== baseCells(name)) {
      say(
        at,
        `${describeValue(level)}: the file neither sweeps ${factor} nor sets it by variants; ` +
          `every run has ${baseCells(name)} (base "${base}")`,
      );
      valid = false;
    }
  }
  if (!valid) return undefined;
  for (const [factor, levels] of Object.entries(grid.sweep)) {
    if (!(factor in raw) && levels.length > 1) {
      say(
        field,
        `names no level of sweep.${factor} (${
          levels.map((one) => cells(factor as FactorName, one)).join(", ")
        }): a published value is for one configuration`,
      );
      valid = false;
    }
  }
  const variant = chosenVariant(raw, grid, chosen, cells, baseCells, field, say);
  if (!valid || variant === null) return undefined;
  const combination: Record<string, unknown> = {
    ...Object.fromEntries(
      Object.entries(grid.sweep).filter(([, levels]) => levels.length).map((
        [factor, levels],
      ) => [factor, levels[0]]),
    ),
    ...raw,
    ...(variant ?? {}),
  };
  const excluding = grid.exclude.findIndex((rule) =>
    Object.entries(rule).every(([factor, level]) =>
      cells(factor as FactorName, level) !== undefined &&
      cells(factor as FactorName, level) ===
        (factor in combination
          ? cells(factor as FactorName, combination[factor])
          : baseCells(factor as FactorName))
    )
  );
  if (excluding >= 0) {
    say(field, `is left out of the grid by exclude[${excluding}]`);
    return undefined;
  }
  return configurationLabel(base, raw as PublishedConfiguration);
}

/** The one variant a configuration names (undefined: the file has none; null: not one). */
function chosenVariant(
  raw: Record<string, unknown>,
  grid: DeclaredGrid,
  chosen: Record<string, string>,
  cells: (factor: FactorName, level: unknown) => string | undefined,
  baseCells: (factor: FactorName) => string | undefined,
  field: string,
  say: Say,
): Readonly<Record<string, unknown>> | null | undefined {
  if (grid.variants.length === 0) return undefined;
  const setBy = [...new Set(grid.variants.flatMap((variant) => Object.keys(variant)))]
    .filter((factor) => factor in raw) as FactorName[];
  const matching = grid.variants.filter((variant) =>
    setBy.every((factor) =>
      (factor in variant ? cells(factor, variant[factor]) : baseCells(factor)) === chosen[factor]
    )
  );
  if (matching.length === 1) return matching[0];
  const list = (variants: typeof grid.variants) =>
    variants.map((variant) => describeValue(variant)).join(", ");
  say(
    field,
    matching.length === 0
      ? `no variant has these levels together; the variants: ${list(grid.variants)}`
      : `matches ${matching.length} variants (${
        list(matching)
      }): name the levels that tell one apart`,
  );
  return null;
}
