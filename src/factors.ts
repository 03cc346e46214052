/**
 * The factors an experiment sweeps, their allowed values, and the resolved
 * configuration of one run built from a preset and a choice of levels.
 *
 * @module
 */
import {
  type ActivationName,
  ACTIVATIONS,
  buildLayers,
  type Normalisation,
  NORMALISATIONS,
} from "./architecture.ts";
import type { GeneratorInput } from "./data.ts";
import { inputWidth } from "./data.ts";
import type { TrainingSetup } from "./engine.ts";
import { LOSSES, type LossName } from "./losses.ts";
import { type OptimiserOptions, OPTIMISERS } from "./optimisers.ts";
import { type PresetName, PRESETS } from "./presets.ts";

/** An optimiser level: a name with PyTorch's defaults, or options. */
export type OptimiserLevel = "adam" | "sgd" | OptimiserOptions;

/** The discriminator's and generator's learning rates. */
export interface LearningRates {
  readonly d: number;
  readonly g: number;
}

/** Hidden activations: one name for both networks, or each its own. */
export type ActivationLevel =
  | ActivationName
  | { readonly d?: ActivationName; readonly g?: ActivationName };

/** The generator's input: a constant (the seed's 0.5) or Gaussian noise of a width. */
export type GeneratorInputLevel = number | { readonly noise: number };

/** One level of every factor. */
export interface Factors {
  readonly loss: LossName;
  readonly optimiser: OptimiserLevel;
  readonly lr: LearningRates;
  readonly normalisation: Normalisation;
  readonly activation: ActivationLevel;
  readonly batchSize: number;
  readonly generatorInput: GeneratorInputLevel;
}

/** A factor's name. */
export type FactorName = keyof Factors;

/** Every factor, in the order columns and tables show them. */
export const FACTOR_NAMES: readonly FactorName[] = [
  "loss",
  "optimiser",
  "lr",
  "normalisation",
  "activation",
  "batchSize",
  "generatorInput",
];

/** What each factor accepts, as error messages name it. */
export const FACTOR_ALLOWED: Record<FactorName, string> = {
  loss: LOSSES.join(", "),
  optimiser: `${OPTIMISERS.join(", ")}, { name: "adam", beta1?, beta2?, eps? }, ` +
    `{ name: "sgd", momentum? }`,
  lr: "{ d: number > 0, g: number > 0 }",
  normalisation: NORMALISATIONS.join(", "),
  activation: `${ACTIVATIONS.join(", ")}, or { d?: …, g?: … } of those`,
  batchSize: "an integer ≥ 1 (batch_norm needs ≥ 2)",
  generatorInput: "a number (a constant input) or { noise: width }",
};

/** Error for a factor level that is not allowed. */
export class FactorError extends Error {
  override readonly name = "FactorError";
}

/** Everything that decides one run but its seed. */
export interface RunConfig {
  readonly base: PresetName;
  readonly loss: LossName;
  readonly optimiser: Required<OptimiserOptions>;
  readonly lr: LearningRates;
  readonly normalisation: Normalisation;
  readonly activation: { readonly d: ActivationName; readonly g: ActivationName };
  readonly batchSize: number;
  readonly generatorInput: GeneratorInput;
  readonly iterations: number;
  readonly recordEvery: number;
  readonly patternEvery: number;
}

/**
 * Checks one level of one factor; returns it normalised.
 *
 * @throws {FactorError} saying what is allowed.
 */
export function normaliseLevel<K extends FactorName>(
  factor: K,
  value: unknown,
  base: PresetName,
): RunConfig[K] {
  const fail = (): never => {
    throw new FactorError(
      `${JSON.stringify(value) ?? String(value)} is not allowed; allowed: ${
        FACTOR_ALLOWED[factor]
      }`,
    );
  };
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  switch (factor) {
    case "loss":
    case "normalisation": {
      const allowed: readonly string[] = factor === "loss" ? LOSSES : NORMALISATIONS;
      return (allowed.includes(value as string) ? value : fail()) as RunConfig[K];
    }
    case "optimiser":
      return normaliseOptimiser(value, fail) as RunConfig[K];
    case "lr": {
      if (!isObject) fail();
      const { d, g, ...rest } = value as Record<string, unknown>;
      if (Object.keys(rest).length || !isPositive(d) || !isPositive(g)) fail();
      return { d, g } as RunConfig[K];
    }
    case "activation": {
      const preset = resolvedActivation(PRESETS[base].factors.activation);
      if (typeof value === "string") {
        return ((ACTIVATIONS as readonly string[]).includes(value)
          ? { d: value, g: value }
          : fail()) as RunConfig[K];
      }
      if (!isObject) fail();
      const { d = preset.d, g = preset.g, ...rest } = value as Record<string, unknown>;
      const ok = (a: unknown) => (ACTIVATIONS as readonly unknown[]).includes(a);
      if (Object.keys(rest).length || !ok(d) || !ok(g)) fail();
      return { d, g } as RunConfig[K];
    }
    case "batchSize":
      return (Number.isInteger(value) && (value as number) >= 1 ? value : fail()) as RunConfig[K];
    case "generatorInput": {
      if (typeof value === "number" && Number.isFinite(value)) {
        return { kind: "constant", value } as RunConfig[K];
      }
      if (!isObject) fail();
      const { noise, ...rest } = value as Record<string, unknown>;
      if (Object.keys(rest).length || !Number.isInteger(noise) || (noise as number) < 1) fail();
      return { kind: "noise", width: noise } as RunConfig[K];
    }
  }
  return fail();
}

function normaliseOptimiser(
  value: unknown,
  fail: () => never,
): Required<OptimiserOptions> {
  const options = typeof value === "string" ? { name: value } : value;
  if (typeof options !== "object" || options === null) fail();
  const { name, ...rest } = options as Record<string, unknown>;
  const numbers = Object.values(rest).every((v) => typeof v === "number" && Number.isFinite(v));
  if (!numbers) fail();
  if (name === "adam") {
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, ...extra } = rest as Record<string, number>;
    if (Object.keys(extra).length) fail();
    return { name, beta1, beta2, eps };
  }
  if (name === "sgd") {
    const { momentum = 0, ...extra } = rest as Record<string, number>;
    if (Object.keys(extra).length) fail();
    return { name, momentum };
  }
  return fail();
}

function resolvedActivation(level: ActivationLevel): RunConfig["activation"] {
  return typeof level === "string"
    ? { d: level, g: level }
    : { d: "sigmoid", g: "sigmoid", ...level };
}

function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/**
 * The resolved configuration of a run: the preset's factors, with `levels`
 * chosen on top.
 */
export function resolveConfig(
  base: PresetName,
  levels: Partial<Factors>,
  settings: { iterations?: number; recordEvery?: number; patternEvery?: number } = {},
): RunConfig {
  const preset = PRESETS[base];
  const factors: Factors = { ...preset.factors, ...levels };
  const level = <K extends FactorName>(name: K) => normaliseLevel(name, factors[name], base);
  return {
    base,
    loss: level("loss"),
    optimiser: level("optimiser"),
    lr: level("lr"),
    normalisation: level("normalisation"),
    activation: level("activation"),
    batchSize: level("batchSize"),
    generatorInput: level("generatorInput"),
    iterations: settings.iterations ?? preset.iterations,
    recordEvery: settings.recordEvery ?? 10,
    patternEvery: settings.patternEvery ?? 100,
  };
}

/**
 * The engine's setup for a configuration (learning rates are per run).
 *
 * @example
 * ```ts
 * import { resolveConfig, trainingSetup } from "./factors.ts";
 * trainingSetup(resolveConfig("seed", { loss: "mse" })).loss; // "mse"
 * ```
 */
export function trainingSetup(config: RunConfig): TrainingSetup {
  const preset = PRESETS[config.base];
  return {
    discriminator: buildLayers(preset.discriminator, {
      activation: config.activation.d,
      normalisation: config.normalisation,
    }),
    generator: buildLayers(
      { ...preset.generator, inputs: inputWidth(config.generatorInput) },
      { activation: config.activation.g, normalisation: config.normalisation },
    ),
    loss: config.loss,
    optimisers: { discriminator: config.optimiser, generator: config.optimiser },
    iterations: config.iterations,
    batchSize: config.batchSize,
    generatorInput: config.generatorInput,
    pattern: preset.pattern,
    recordEvery: config.recordEvery,
    patternEvery: config.patternEvery,
  };
}

/** The learning rates of a configuration, as the engine takes them. */
export function engineLearningRates(config: RunConfig) {
  return { discriminator: config.lr.d, generator: config.lr.g };
}

/** The columns a run's factors fill in `runs.csv`, in order. */
export const FACTOR_COLUMNS = [
  "loss",
  "optimiser",
  "lr_d",
  "lr_g",
  "normalisation",
  "activation_d",
  "activation_g",
  "batch_size",
  "generator_input",
] as const;

/** One of the factor columns. */
export type FactorColumn = typeof FACTOR_COLUMNS[number];

/**
 * A configuration's factor columns as text, e.g. `optimiser: "sgd(momentum=0.9)"`.
 */
export function factorColumns(config: RunConfig): Record<FactorColumn, string> {
  return {
    loss: config.loss,
    optimiser: optimiserLabel(config.optimiser),
    lr_d: String(config.lr.d),
    lr_g: String(config.lr.g),
    normalisation: config.normalisation,
    activation_d: config.activation.d,
    activation_g: config.activation.g,
    batch_size: String(config.batchSize),
    generator_input: config.generatorInput.kind === "constant"
      ? String(config.generatorInput.value)
      : `noise(${config.generatorInput.width})`,
  };
}

function optimiserLabel(options: Required<OptimiserOptions>): string {
  const defaults: Record<string, number> = options.name === "adam"
    ? { beta1: 0.9, beta2: 0.999, eps: 1e-8 }
    : { momentum: 0 };
  const changed = Object.entries(options)
    .filter(([key, value]) => key !== "name" && defaults[key] !== value)
    .map(([key, value]) => `${key}=${value}`);
  return changed.length ? `${options.name}(${changed.join(",")})` : options.name;
}
