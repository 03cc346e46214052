/**
 * Random search: an experiment's `search` block draws `samples`
 * configurations from distributions over factors and options, the same on
 * every machine (sample i draws from its own seeded stream, so growing
 * `samples` later keeps the configurations already drawn).
 *
 * @module
 */
import { FACTOR_NAMES, type FactorName, type Factors } from "./factors.ts";
import { OPTIMISER_KINDS } from "../kinds/optimisers/mod.ts";
import { PENALTY_KINDS } from "../kinds/penalties/mod.ts";
import { type PresetName, PRESETS } from "./presets.ts";
import { createRandom } from "../core/random.ts";

/** A distribution to draw one dimension of a configuration from. */
export type Distribution =
  | { readonly distribution: "logUniform"; readonly low: number; readonly high: number }
  | { readonly distribution: "uniform"; readonly low: number; readonly high: number }
  | { readonly distribution: "intRange"; readonly low: number; readonly high: number }
  | { readonly distribution: "choice"; readonly options: readonly unknown[] };

/**
 * Log-uniform on [low, high] (both > 0), as learning rates are searched.
 *
 * @example
 * ```ts
 * import { logUniform } from "./search.ts";
 * logUniform(1e-5, 1e-1); // { distribution: "logUniform", low: 0.00001, high: 0.1 }
 * ```
 */
export function logUniform(low: number, high: number): Distribution {
  return { distribution: "logUniform", low, high };
}

/** Uniform on [low, high]. */
export function uniform(low: number, high: number): Distribution {
  return { distribution: "uniform", low, high };
}

/** An integer from low to high, both included. */
export function intRange(low: number, high: number): Distribution {
  return { distribution: "intRange", low, high };
}

/** One of the options, each equally likely (levels of a factor, e.g. losses). */
export function choice<const T>(options: readonly T[]): Distribution {
  return { distribution: "choice", options };
}

/** The numeric dimensions beside the factors: learning rates, optimiser options, penalty weights. */
export const NUMERIC_DIMENSIONS: readonly string[] = [
  "lr.d",
  "lr.g",
  ...new Set(
    Object.values(OPTIMISER_KINDS).flatMap((kind) =>
      Object.keys(kind.options).map((option) => `optimiser.${option}`)
    ),
  ),
  ...Object.values(PENALTY_KINDS).map((kind) => `penalty.${kind.key}`),
];

/** Every dimension a search may draw. */
export const SEARCH_DIMENSIONS: readonly string[] = [...FACTOR_NAMES, ...NUMERIC_DIMENSIONS];

/** A search block of an experiment file. */
export interface SearchSpec {
  readonly samples: number;
  /** Seeds the draws (default 1): another seed, other configurations. */
  readonly seed?: number;
  readonly space: { readonly [dimension: string]: Distribution };
}

/**
 * What is wrong with a distribution, or undefined.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { distributionProblem, logUniform, uniform } from "./search.ts";
 * assertEquals(distributionProblem(logUniform(0, 1)), "logUniform(0, 1): both ends must be > 0");
 * assertEquals(distributionProblem(uniform(2, 1)), "uniform(2, 1): low must be below high");
 * ```
 */
export function distributionProblem(value: unknown): string | undefined {
  const d = value as Record<string, unknown>;
  const kinds = "logUniform(a, b), uniform(a, b), intRange(a, b) or choice([...])";
  if (typeof d !== "object" || d === null || typeof d.distribution !== "string") {
    return `must be a distribution: ${kinds}`;
  }
  if (d.distribution === "choice") {
    return Array.isArray(d.options) && d.options.length > 0
      ? undefined
      : "choice([]): needs at least one option";
  }
  const { low, high } = d as { low: number; high: number };
  const text = `${d.distribution}(${low}, ${high})`;
  if (!["logUniform", "uniform", "intRange"].includes(d.distribution)) {
    return `must be a distribution: ${kinds}`;
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return `${text}: both ends must be finite`;
  if (d.distribution === "logUniform" && !(low > 0 && high > 0)) {
    return `${text}: both ends must be > 0`;
  }
  if (d.distribution === "intRange" && !(Number.isInteger(low) && Number.isInteger(high))) {
    return `${text}: both ends must be integers`;
  }
  if (!(low < high) && !(d.distribution === "intRange" && low === high)) {
    return `${text}: low must be below high`;
  }
  return undefined;
}

/** A drawn number rounded to 4 significant digits: readable labels, ids that do not hang on the last bit. */
const rounded = (value: number) => +value.toPrecision(4);

function draw(distribution: Distribution, u: number): unknown {
  switch (distribution.distribution) {
    case "logUniform": {
      const [a, b] = [Math.log(distribution.low), Math.log(distribution.high)];
      return rounded(Math.exp(a + u * (b - a)));
    }
    case "uniform":
      return rounded(distribution.low + u * (distribution.high - distribution.low));
    case "intRange":
      return Math.min(
        distribution.high,
        distribution.low + Math.floor(u * (distribution.high - distribution.low + 1)),
      );
    case "choice":
      return distribution
        .options[
          Math.min(distribution.options.length - 1, Math.floor(u * distribution.options.length))
        ];
  }
}

/**
 * The levels of sample `index`: each dimension drawn (in name order, one
 * number each from the sample's own stream), then put together: learning
 * rates into `lr`, optimiser options into the optimiser (where it takes
 * them), penalty weights into the penalty (where it is of that kind).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { choice, logUniform, sampleLevels } from "./search.ts";
 * const search = { samples: 2, seed: 7, space: { "lr.d": logUniform(1e-4, 1e-2), loss: choice(["bce", "mse"]) } };
 * assertEquals(sampleLevels(search, "seed", 1), sampleLevels(search, "seed", 1));
 * ```
 */
export function sampleLevels(
  search: SearchSpec,
  base: PresetName,
  index: number,
): Partial<Factors> {
  const random = createRandom(search.seed ?? 1, 1000 + index);
  const drawn: Record<string, unknown> = {};
  for (const dimension of Object.keys(search.space).sort()) {
    drawn[dimension] = draw(search.space[dimension], random.next());
  }
  const levels: Record<string, unknown> = {};
  for (const factor of FACTOR_NAMES) if (factor in drawn) levels[factor] = drawn[factor];
  const preset = PRESETS[base].factors;
  if ("lr.d" in drawn || "lr.g" in drawn) {
    levels.lr = { d: drawn["lr.d"] ?? preset.lr.d, g: drawn["lr.g"] ?? preset.lr.g };
  }
  const optimiser = (levels.optimiser ?? preset.optimiser) as string | { name: string };
  const options = typeof optimiser === "string" ? { name: optimiser } : { ...optimiser };
  const kind = OPTIMISER_KINDS[options.name as keyof typeof OPTIMISER_KINDS];
  let optimiserChanged = "optimiser" in levels;
  for (const option of Object.keys(kind?.options ?? {})) {
    const value = drawn[`optimiser.${option}`];
    if (value !== undefined) {
      (options as Record<string, unknown>)[option] = value;
      optimiserChanged = true;
    }
  }
  if (optimiserChanged) {
    levels.optimiser = Object.keys(options).length === 1 ? options.name : options;
  }
  const penalty = (levels.penalty ?? preset.penalty) as unknown;
  if (typeof penalty === "object" && penalty !== null) {
    const [key] = Object.keys(penalty);
    if (drawn[`penalty.${key}`] !== undefined) levels.penalty = { [key]: drawn[`penalty.${key}`] };
  }
  return levels as Partial<Factors>;
}

/** Whether a search dimension names a factor (drawn with `choice` or `intRange`). */
export function isFactorDimension(dimension: string): dimension is FactorName {
  return (FACTOR_NAMES as readonly string[]).includes(dimension);
}
