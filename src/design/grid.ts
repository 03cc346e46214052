/**
 * From an experiment to the runs it declares: the cartesian grid of its
 * levels, less its exclusions, times its seeds, each with a stable id.
 *
 * @module
 */
import { checkSetup } from "../engine/setup.ts";
import { type Experiment, ExperimentError } from "./experiment.ts";
import {
  FACTOR_COLUMNS,
  FACTOR_NAMES,
  type FactorColumn,
  factorColumns,
  type FactorName,
  type Factors,
  normaliseLevel,
  resolveConfig,
  type RunConfig,
  trainingSetup,
} from "./factors.ts";
import { NetworkError } from "../nn/layers/mod.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import { sampleLevels } from "./search.ts";

/** One run of an experiment. */
export interface PlannedRun {
  /** A short stable hash of the resolved configuration and the seed. */
  readonly id: string;
  readonly experiment: Experiment;
  readonly config: RunConfig;
  readonly columns: Record<FactorColumn, string>;
  readonly seed: number;
}

/**
 * Every run an experiment declares, in grid order (the last factor varies
 * fastest, then seeds innermost), each once: a configuration declared twice
 * (two search samples that drew the same levels) is listed at its first place.
 *
 * @throws {ExperimentError} for an impossible combination or an empty grid.
 */
export async function expandGrid(experiment: Experiment): Promise<PlannedRun[]> {
  const swept = FACTOR_NAMES.filter((name) => experiment.sweep[name] !== undefined);
  let combinations: Partial<Factors>[] = [{}];
  for (const factor of swept) {
    const levels = experiment.sweep[factor] as readonly unknown[];
    combinations = combinations.flatMap((partial) =>
      levels.map((level) => ({ ...partial, [factor]: level }))
    );
  }
  if (experiment.variants.length) {
    combinations = experiment.variants.flatMap((variant) =>
      combinations.map((partial) => ({ ...partial, ...variant }))
    );
  }
  if (experiment.search) {
    const { search, base } = experiment;
    const samples = Array.from({ length: search.samples }, (_, i) => sampleLevels(search, base, i));
    combinations = combinations.flatMap((partial) =>
      samples.map((sample) => ({ ...partial, ...sample }))
    );
  }
  const settings = {
    iterations: experiment.iterations,
    recordEvery: experiment.recordEvery,
    patternEvery: experiment.patternEvery,
  };
  // A configuration declared twice (two search samples that drew the same categorical levels,
  // or a level written twice) is one configuration: its runs train, and are saved, once.
  const distinct = new Map<string, RunConfig>();
  for (const levels of combinations) {
    const config = resolveConfig(experiment.base, levels, settings);
    if (experiment.exclude.some((rule) => matches(config, rule, experiment))) continue;
    const key = canonicalJson(config);
    if (!distinct.has(key)) distinct.set(key, config);
  }
  const configs = [...distinct.values()];
  if (configs.length === 0) {
    throw new ExperimentError(`${experiment.file}: exclude: leaves no configuration to run`);
  }
  for (const config of configs) checkPossible(config, experiment);
  const runs: PlannedRun[] = [];
  for (const config of configs) {
    for (const seed of experiment.seeds) {
      runs.push({
        id: await runId(config, seed),
        experiment,
        config,
        columns: factorColumns(config),
        seed,
      });
    }
  }
  return runs;
}

function matches(
  config: RunConfig,
  rule: Partial<Factors>,
  experiment: Experiment,
): boolean {
  return Object.entries(rule).every(([factor, level]) =>
    sameJson(
      config[factor as FactorName],
      normaliseLevel(factor as FactorName, level, experiment.base),
    )
  );
}

function checkPossible(config: RunConfig, experiment: Experiment): void {
  try {
    checkSetup(trainingSetup(config));
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const columns = factorColumns(config);
    const combination = FACTOR_COLUMNS.map((c) => `${c}=${columns[c]}`).join(", ");
    const hint = config.normalisation === "batch_norm" && config.batchSize < 2
      ? `; drop it with exclude: [{ normalisation: "batch_norm", batchSize: ${config.batchSize} }]`
      : config.updates === "simultaneous" && config.dSteps
      ? `; drop it with exclude: [{ updates: "simultaneous", dSteps: ${config.dSteps} }]`
      : "";
    throw new ExperimentError(
      `${experiment.file}: sweep: impossible combination (${combination}): ${error.message}${hint}`,
    );
  }
}

/**
 * A short stable id for a configuration and seed: the first 12 hex digits of
 * the SHA-256 of their canonical JSON.
 */
export async function runId(config: RunConfig, seed: number): Promise<string> {
  const text = canonicalJson({ config, seed });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].slice(0, 6)
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Columns `--only` can filter on. */
export const FILTER_COLUMNS = [...FACTOR_COLUMNS, "seed"] as const;

/**
 * Parses `--only` values (`column=value,column=value`; a column given more
 * than once matches any of its values) and keeps the matching runs.
 *
 * @throws {ExperimentError} naming an unknown column or a value no run has.
 */
export function filterRuns(runs: readonly PlannedRun[], only: readonly string[]): PlannedRun[] {
  const wanted = new Map<string, Set<string>>();
  for (const pair of only.flatMap((text) => text.split(","))) {
    // The value may hold "=" itself, as optimiser labels do: sgd(momentum=0.9).
    const split = pair.indexOf("=");
    const column = split < 0 ? pair : pair.slice(0, split);
    const value = split < 0 ? undefined : pair.slice(split + 1);
    if (!(FILTER_COLUMNS as readonly string[]).includes(column) || value === undefined) {
      throw new ExperimentError(
        `--only: "${pair}" must be column=value with column one of: ${FILTER_COLUMNS.join(", ")}`,
      );
    }
    const present = new Set(runs.map((run) => columnValue(run, column)));
    if (!present.has(value)) {
      throw new ExperimentError(
        `--only: no run has ${column}=${value}; its values here: ${[...present].join(", ")}`,
      );
    }
    wanted.set(column, (wanted.get(column) ?? new Set()).add(value));
  }
  return runs.filter((run) =>
    [...wanted].every(([column, values]) => values.has(columnValue(run, column)))
  );
}

function columnValue(run: PlannedRun, column: string): string {
  return column === "seed" ? String(run.seed) : run.columns[column as FactorColumn];
}

/** A shard of a sweep: this is shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}
