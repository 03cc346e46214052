/**
 * Experiment files: what a sweep declares, and the checks that turn a file
 * into a validated experiment (or a clear error naming the file and field).
 *
 * @module
 */
import {
  describeValue,
  FACTOR_ALLOWED,
  FACTOR_NAMES,
  FactorError,
  type FactorName,
  type Factors,
  normaliseLevel,
} from "./factors.ts";
import { PRESET_NAMES, type PresetName, PRESETS } from "./presets.ts";
import { CHECK_NAMES, type CheckThresholds } from "../core/thresholds.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import { RECORD_INTERVALS } from "../engine/step.ts";
import { expandLevel, type WithRanges } from "./ranges.ts";
import type { SearchSpec } from "./search.ts";
import { type CheckSection, type FailField, validateSearch } from "./search_check.ts";
import type { ExactPublished, PublishedSpec } from "./published.ts";
import { publishedProblems } from "./published_check.ts";

/**
 * A sweep: for each factor swept, the levels to try. A level's numeric
 * fields may be lists (`lr: [{ d: [1e-4, 1e-3], g: [1e-3, 1e-2] }]`, an
 * optimiser's `beta1: [0, 0.5, 0.9]`, a penalty's weight): each stands for
 * every combination of them.
 */
export type Sweep = { readonly [K in FactorName]?: readonly WithRanges<Factors[K]>[] };

/** A combination to leave out of the grid: every field given must match. */
export type Exclusion = { readonly [K in FactorName]?: Factors[K] };

/** What an experiment file declares (see `experiments/*.ts`). */
export interface ExperimentSpec {
  /** Names the results folder: letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  readonly description?: string;
  /** The preset every unswept factor comes from. */
  readonly base: PresetName;
  /** The factors to sweep; the grid is their cartesian product. */
  readonly sweep?: Sweep;
  /**
   * A random search instead of (or beside) the grid: `samples`
   * configurations drawn from the distributions of `space` (dimensions: any
   * factor, `lr.d`, `lr.g`, `optimiser.<option>`, `penalty.<kind>`), each
   * trained for every seed (and every grid combination).
   */
  readonly search?: SearchSpec;
  /** Replicates per configuration: a count (seeds 1…n) or a list. Default 8. */
  readonly seeds?: number | readonly number[];
  /** Iterations per run (default: the preset's). */
  readonly iterations?: number;
  /** Record losses every this many iterations (default 10). */
  readonly recordEvery?: number;
  /** Record G's output every this many iterations (default 100). */
  readonly patternEvery?: number;
  /** Convergence thresholds that differ from the defaults. */
  readonly checks?: Partial<CheckThresholds>;
  /** Combinations to drop from the grid. */
  readonly exclude?: readonly Exclusion[];
  /**
   * Methods that set several factors at once (a loss with its penalty, a
   * scheme), each crossed with the grid: the grid's runs once per variant,
   * the variant's levels on top. A factor is either swept or set by variants.
   */
  readonly variants?: readonly Exclusion[];
  /**
   * The paper's values this sweep replicates: the paper, the table or
   * figure, the setting, and per configuration the published value of a
   * measure (a ± and the number of runs if given); the analysis sets the
   * measured values beside them (`src/analysis/published.ts`).
   */
  readonly published?: PublishedSpec;
}

/** A validated experiment, every optional field filled in. */
export interface Experiment {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly base: PresetName;
  readonly sweep: Sweep;
  readonly search?: SearchSpec;
  readonly seeds: readonly number[];
  readonly iterations: number;
  readonly recordEvery: number;
  readonly patternEvery: number;
  readonly checks: Partial<CheckThresholds>;
  readonly exclude: readonly Exclusion[];
  /** Empty: the grid alone. */
  readonly variants: readonly Exclusion[];
  /** Absent where the file declares no published values. */
  readonly published?: PublishedSpec;
}

/** Error for a malformed experiment, naming the file and the field. */
export class ExperimentError extends Error {
  override readonly name = "ExperimentError";
}

/**
 * Declares an experiment; the types make `deno check` catch a misspelt field
 * or factor, and the runner checks the same again at run time.
 *
 * @example
 * ```ts
 * import { defineExperiment } from "./experiment.ts";
 * export default defineExperiment({
 *   name: "loss",
 *   base: "seed",
 *   sweep: { loss: ["bce", "mse"] },
 *   seeds: 4,
 * });
 * ```
 */
export function defineExperiment<const T extends ExperimentSpec>(
  spec:
    & T
    & Record<Exclude<keyof T, keyof ExperimentSpec>, never>
    & (T extends { readonly published: infer P } ? { readonly published: ExactPublished<P> }
      : unknown),
): T {
  return spec;
}

const FIELDS = [
  "name",
  "description",
  "base",
  "sweep",
  "search",
  "seeds",
  "iterations",
  "recordEvery",
  "patternEvery",
  "checks",
  "exclude",
  "variants",
  "published",
];

/** A problem of an experiment file met while validating it: collected, then reported with the rest. */
class FieldProblem extends Error {}

/** Reports a problem with a field: stops the check it is met in (the others go on). */
type Fail = FailField;

/** Runs one check; a problem it meets is collected, and the result is then undefined. */
type Section = CheckSection;

/**
 * Validates what an experiment file exported. Every problem is reported, not
 * only the first: each field is checked on its own (a level only where its
 * factor and the base are known), and the error lists them all.
 *
 * @throws {ExperimentError} `FILE: FIELD: what is wrong; allowed: …`, one line
 * per problem, after a line counting them when there are several.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { ExperimentError, validateExperiment } from "./experiment.ts";
 * const typos = { name: "x", base: "book", iteration: 5, sweep: { los: ["mse"] } };
 * const error = assertThrows(() => validateExperiment(typos, "x.ts"), ExperimentError);
 * assertEquals(
 *   error.message.split("\n").map((line: string) => line.split(": ").slice(0, 2).join(": ")),
 *   ["x.ts: 2 problems:", "x.ts: iteration", "x.ts: sweep.los"],
 * );
 * ```
 */
export function validateExperiment(raw: unknown, file: string): Experiment {
  const problems: string[] = [];
  const fail: Fail = (field, message) => {
    throw new FieldProblem(`${file}: ${field}: ${message}`);
  };
  const section: Section = (check) => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const result = section(() => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      fail("default export", "must be an experiment object (export default defineExperiment({…}))");
    }
    return checkedSpec(raw as Record<string, unknown>, file, fail, section);
  });
  if (problems.length === 1) throw new ExperimentError(problems[0]);
  if (problems.length > 1) {
    throw new ExperimentError([`${file}: ${problems.length} problems:`, ...problems].join("\n"));
  }
  return result!;
}

/** Every field of an experiment object checked, each problem collected through `section`. */
function checkedSpec(
  spec: Record<string, unknown>,
  file: string,
  fail: Fail,
  section: Section,
): Experiment {
  for (const key of Object.keys(spec)) {
    section(() => {
      if (!FIELDS.includes(key)) fail(key, `unknown field; allowed: ${FIELDS.join(", ")}`);
    });
  }
  const name = spec.name;
  section(() => {
    if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      fail(
        "name",
        `${JSON.stringify(name)} must be a folder name of letters, digits, ".", "_", "-"`,
      );
    }
  });
  section(() => {
    if (spec.description !== undefined && typeof spec.description !== "string") {
      fail("description", "must be text");
    }
  });
  const base = spec.base as PresetName;
  // A level is checked against the base's networks: only where the base is known.
  const baseKnown = PRESET_NAMES.includes(base);
  section(() => {
    if (!baseKnown) {
      fail(
        "base",
        `${JSON.stringify(spec.base)} is not a preset; allowed: ${PRESET_NAMES.join(", ")}`,
      );
    }
  });
  const level = (field: string, factor: FactorName, value: unknown) =>
    baseKnown ? checkLevel(field, factor, value, base, fail) : value;
  const sweep = spec.sweep ?? {};
  const expandedSweep: Record<string, unknown[]> = {};
  section(() => {
    if (typeof sweep !== "object" || sweep === null || Array.isArray(sweep)) {
      fail("sweep", "must be an object of factor: [levels]");
    }
  });
  const sweepEntries = typeof sweep === "object" && sweep !== null && !Array.isArray(sweep)
    ? Object.entries(sweep as Record<string, unknown>)
    : [];
  for (const [factor, levels] of sweepEntries) {
    const expanded: unknown[] = [];
    expandedSweep[factor] = expanded;
    const known = section(() => {
      if (!(FACTOR_NAMES as string[]).includes(factor)) {
        fail(`sweep.${factor}`, `unknown factor; allowed: ${FACTOR_NAMES.join(", ")}`);
      }
      if (!Array.isArray(levels) || levels.length === 0) {
        fail(
          `sweep.${factor}`,
          `must be a non-empty list of levels; allowed levels: ${
            FACTOR_ALLOWED[factor as FactorName]
          }`,
        );
      }
      return true;
    });
    if (!known) continue;
    const seen = new Set<string>();
    (levels as unknown[]).forEach((one, index) =>
      section(() => {
        const field = `sweep.${factor}[${index}]`;
        if (typeof one === "object" && one !== null && !Array.isArray(one)) {
          for (const [key, value] of Object.entries(one)) {
            if (Array.isArray(value) && value.length === 0) {
              fail(`${field}.${key}`, "an empty list; give at least one value");
            }
          }
        }
        // A hidden level's lists are widths, not ranges.
        for (const each of factor === "hidden" ? [one] : expandLevel(one)) {
          const key = canonicalJson(level(field, factor as FactorName, each));
          if (seen.has(key)) fail(field, `${describeValue(each)} is listed twice`);
          seen.add(key);
          expanded.push(each);
        }
      })
    );
  }
  const search = spec.search === undefined
    ? undefined
    : section(() => validateSearch(spec.search, expandedSweep, level, fail, section));
  const seeds = spec.seeds ?? 8;
  const seedList = section(() => {
    const list = typeof seeds === "number"
      ? (Number.isInteger(seeds) && seeds >= 1
        ? Array.from({ length: seeds }, (_, i) => i + 1)
        : fail("seeds", `${seeds} must be a count ≥ 1 or a list of integers`))
      : Array.isArray(seeds) && seeds.length > 0 &&
          seeds.every((s) => Number.isSafeInteger(s) && s >= 0)
      ? seeds as number[]
      : fail("seeds", "must be a count ≥ 1 or a non-empty list of integers ≥ 0");
    if (new Set(list).size !== list.length) fail("seeds", "lists a seed twice");
    return list;
  });
  const positive = (field: string, fallback: () => number) =>
    section(() => {
      const value = spec[field] ?? fallback();
      if (!Number.isInteger(value) || (value as number) < 1) {
        fail(field, `${value} must be an integer ≥ 1`);
      }
      return value as number;
    });
  // Without a known base, iterations has no default (and no problem of its own).
  const iterations = positive("iterations", () => baseKnown ? PRESETS[base].iterations : 1);
  const recordEvery = positive("recordEvery", () => RECORD_INTERVALS.recordEvery);
  const patternEvery = positive("patternEvery", () => RECORD_INTERVALS.patternEvery);
  const checks = spec.checks ?? {};
  const checksObject = typeof checks === "object" && checks !== null && !Array.isArray(checks);
  section(() => {
    if (!checksObject) fail("checks", "must be an object");
  });
  for (const [key, value] of Object.entries(checksObject ? checks : {})) {
    section(() => {
      if (!(CHECK_NAMES as readonly string[]).includes(key)) {
        fail(`checks.${key}`, `unknown threshold; allowed: ${CHECK_NAMES.join(", ")}`);
      }
      if (typeof value !== "number" || !(value > 0)) {
        fail(`checks.${key}`, `${value} must be a number > 0`);
      }
      if (key === "window" && value > 1) {
        fail("checks.window", "is a fraction of the run: at most 1");
      }
    });
  }
  const exclude = spec.exclude ?? [];
  section(() => {
    if (!Array.isArray(exclude)) fail("exclude", "must be a list of { factor: level } objects");
  });
  (Array.isArray(exclude) ? exclude : []).forEach((entry, index) =>
    section(() => {
      if (typeof entry !== "object" || entry === null || Object.keys(entry).length === 0) {
        fail(`exclude[${index}]`, "must be a non-empty { factor: level } object");
      }
      for (const [factor, value] of Object.entries(entry as Record<string, unknown>)) {
        section(() => {
          if (!(FACTOR_NAMES as string[]).includes(factor)) {
            fail(
              `exclude[${index}].${factor}`,
              `unknown factor; allowed: ${FACTOR_NAMES.join(", ")}`,
            );
          }
          level(`exclude[${index}].${factor}`, factor as FactorName, value);
        });
      }
    })
  );
  const variants = spec.variants ?? [];
  section(() => {
    if (!Array.isArray(variants) || variants.length === 0 && spec.variants !== undefined) {
      fail("variants", "must be a non-empty list of { factor: level } objects");
    }
  });
  (Array.isArray(variants) ? variants : []).forEach((entry, index) =>
    section(() => {
      if (typeof entry !== "object" || entry === null || Object.keys(entry).length === 0) {
        fail(`variants[${index}]`, "must be a non-empty { factor: level } object");
      }
      for (const [factor, value] of Object.entries(entry as Record<string, unknown>)) {
        section(() => {
          const field = `variants[${index}].${factor}`;
          if (!(FACTOR_NAMES as string[]).includes(factor)) {
            fail(field, `unknown factor; allowed: ${FACTOR_NAMES.join(", ")}`);
          }
          if (factor in expandedSweep) {
            fail(
              field,
              `also swept in sweep.${factor}; a factor is either swept or set by variants`,
            );
          }
          level(field, factor as FactorName, value);
        });
      }
    })
  );
  // Checked against the grid where the base is known (a level the grid gets wrong is said once, there).
  if (spec.published !== undefined && baseKnown) {
    for (
      const { field, message } of publishedProblems(spec.published, {
        base,
        sweep: expandedSweep,
        variants: Array.isArray(variants) ? variants : [],
        exclude: Array.isArray(exclude) ? exclude : [],
        search: spec.search !== undefined,
      })
    ) section(() => fail(field, message));
  }
  return {
    file,
    name: name as string,
    description: (spec.description as string | undefined) ?? "",
    base,
    sweep: expandedSweep as Sweep,
    search,
    seeds: seedList!,
    iterations: iterations!,
    recordEvery: recordEvery!,
    patternEvery: patternEvery!,
    checks: checks as Partial<CheckThresholds>,
    exclude: exclude as Exclusion[],
    variants: variants as Exclusion[],
    ...(spec.published === undefined ? {} : { published: spec.published as PublishedSpec }),
  };
}

function checkLevel(
  field: string,
  factor: FactorName,
  level: unknown,
  base: PresetName,
  fail: Fail,
): unknown {
  try {
    return normaliseLevel(factor, level, base);
  } catch (error) {
    if (error instanceof FactorError) fail(field, error.message);
    throw error;
  }
}

/**
 * Imports an experiment file (TypeScript or JavaScript) and validates its
 * default export.
 */
export async function loadExperiment(path: string): Promise<Experiment> {
  let module: Record<string, unknown>;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new ExperimentError(`${path}: no such experiment file`);
  }
  if (info.isDirectory) throw new ExperimentError(await directoryGiven(path));
  try {
    module = await import(new URL(path, `file://${Deno.cwd()}/`).href);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ExperimentError(
        `${path}: not permitted while loading: ${withoutStack(error)} ` +
          `(experiment files run without network access and may write only under results/)`,
      );
    }
    throw new ExperimentError(`${path}: cannot be loaded: ${withoutStack(error)}`);
  }
  return validateExperiment(module.default, path);
}

/** What to say of a directory given as an experiment file: the files in it to give instead. */
async function directoryGiven(path: string): Promise<string> {
  const folder = path.replace(/\/+$/, "");
  const files: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    if (entry.isFile && /\.ts$/.test(entry.name)) files.push(`${folder}/${entry.name}`);
  }
  files.sort();
  return files.length
    ? `${path} is a directory; give an experiment file, one of: ${files.join(", ")}`
    : `${path} is a directory and holds no .ts file; give an experiment file ` +
      `(such as experiments/quick.ts)`;
}

/** An error's message with its stack lines folded into one location. */
function withoutStack(error: unknown): string {
  const lines = String(error instanceof Error ? error.message : error).split("\n");
  const location = lines.find((line) => /^\s+at /.test(line));
  const message = lines.filter((line) => !/^\s+at /.test(line) && line.trim()).join(" ");
  return location ? `${message} (${location.trim()})` : message;
}
