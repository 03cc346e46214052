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
  NORMALISATION_KINDS,
  NORMALISATIONS,
} from "./architecture.ts";
import type { GeneratorInput } from "../core/data.ts";
import { inputWidth } from "../core/data.ts";
import type { TrainingSetup } from "../engine/setup.ts";
import { JOINT_UPDATE, RECORD_INTERVALS } from "../engine/step.ts";
import { LOSS_KINDS, LOSSES, type LossName } from "../kinds/losses/mod.ts";
import {
  OPTIMISER_KINDS,
  type OptimiserName,
  type OptimiserOptions,
  OPTIMISERS,
  type ResolvedOptimiser,
  withDefaults,
} from "../kinds/optimisers/mod.ts";
import type { OptimiserOption } from "../kinds/optimisers/kind.ts";
import {
  PENALTY_ALLOWED,
  penaltyLabel,
  type ResolvedPenalties,
  resolvePenalty,
} from "../kinds/penalties/mod.ts";
import { type Preset, type PresetName, PRESETS } from "./presets.ts";
import {
  type InitialisationName,
  INITIALISATIONS,
  type LinearInitialisation,
} from "../nn/initialisations/mod.ts";
import type {
  ActivationLevel,
  FactorColumn,
  FactorName,
  Factors,
  LearningRates,
} from "./levels.ts";

export {
  type ActivationLevel,
  FACTOR_COLUMN_DEFAULTS,
  FACTOR_COLUMNS,
  FACTOR_NAMES,
  FACTOR_VOCABULARY,
  type FactorColumn,
  type FactorName,
  type Factors,
  type GeneratorBatchLevel,
  type GeneratorInputLevel,
  type InitLevel,
  type LearningRates,
  type NormalisationLevel,
  type OptimiserLevel,
  type RealBatchLevel,
} from "./levels.ts";

const optimiserForms = Object.entries(OPTIMISER_KINDS).map(([name, kind]) =>
  `{ name: "${name}"${Object.keys(kind.options).map((option) => `, ${option}?`).join("")} }`
);

/** The widest hidden layer allowed (a wider network would not be the small GAN this suite studies fast). */
export const MAX_WIDTH = 1024;

/** What each factor accepts, as error messages name it (from the registries). */
export const FACTOR_ALLOWED: Record<FactorName, string> = {
  loss: LOSSES.join(", "),
  optimiser: `${OPTIMISERS.join(", ")}, ${optimiserForms.join(", ")}`,
  lr: "{ d: number > 0, g: number > 0 }",
  normalisation: `${NORMALISATIONS.join(", ")}, or { d?: …, g?: … } of those`,
  activation: `${ACTIVATIONS.join(", ")}, or { d?: …, g?: … } of those`,
  batchSize: "an integer ≥ 1 (batch_norm needs ≥ 2)",
  generatorInput: "a number (a constant input) or { noise: width }",
  penalty: PENALTY_ALLOWED,
  dSteps: "an integer ≥ 1 (D steps per G step)",
  hidden: `{ d?: [widths], g?: [widths] }: hidden widths per network, integers 1 to ${MAX_WIDTH}`,
  dUpdate: `"separate" (a D step on real, then one on fake) or "joint" (one on their sum)`,
  updates: `"alternating" or "simultaneous" (with dSteps 1)`,
  instanceNoise: "a number σ ≥ 0 (D sees x + σ·n for every input)",
  consensus: "a number γ ≥ 0 (consensus optimisation: each player's step adds γ·∇(½‖v‖²), " +
    "v the joint gradient field)",
  generatorBatch: `"new" (G's step draws its own z) or "reuse" (G's step takes the last critic ` +
    "step's z and G(z); with simultaneous updates, one z for both players)",
  init: `"default" (PyTorch's: kernels and biases U(−1/√in, 1/√in)), ${
    INITIALISATIONS.map((name) => `"${name}"`).join(", ")
  } or { name: one of those, gain?: number > 0 (default 1) } (biases zero)`,
  realBatch: `"independent" (each sample's mode at random) or "stratified" (row k of every ` +
    "batch from mode k mod M, every mode equally often; a mixture's, with a batch a multiple " +
    "of its M modes)",
};

/** Error for a factor level that is not allowed. */
export class FactorError extends Error {
  override readonly name = "FactorError";
}

/** Everything that decides one run but its seed. */
export interface RunConfig {
  readonly base: PresetName;
  readonly loss: LossName;
  readonly optimiser: ResolvedOptimiser;
  readonly lr: LearningRates;
  /** One name when both networks share it (as every configuration before per-network levels). */
  readonly normalisation: Normalisation | { readonly d: Normalisation; readonly g: Normalisation };
  readonly activation: { readonly d: ActivationName; readonly g: ActivationName };
  readonly batchSize: number;
  readonly generatorInput: GeneratorInput;
  /**
   * Absent for none, so that the ids of configurations without one never
   * change; one penalty, or a list of several that act together.
   */
  readonly penalty?: ResolvedPenalties;
  /** Absent for 1, for the same reason. */
  readonly dSteps?: number;
  /** Absent for the preset's networks; otherwise both networks' hidden widths. */
  readonly hidden?: { readonly d: readonly number[]; readonly g: readonly number[] };
  /** Absent for separate. */
  readonly dUpdate?: "joint";
  /** Absent for alternating. */
  readonly updates?: "simultaneous";
  /** Absent for 0. */
  readonly instanceNoise?: number;
  /** Absent for 0. */
  readonly consensus?: number;
  /** Absent for new. */
  readonly generatorBatch?: "reuse";
  /** Absent for PyTorch's default. */
  readonly init?: LinearInitialisation;
  /** Absent for independent. */
  readonly realBatch?: "stratified";
  readonly iterations: number;
  readonly recordEvery: number;
  readonly patternEvery: number;
}

/**
 * A value for an error message: JSON, with NaN and ±Infinity named as such.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { describeValue } from "./factors.ts";
 * assertEquals(describeValue({ d: NaN, g: 0.01 }), '{"d":NaN,"g":0.01}');
 * ```
 */
export function describeValue(value: unknown): string {
  const marked = JSON.stringify(
    value,
    (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}\u0000` : v),
  );
  return marked === undefined ? String(value) : marked.replace(/"\\u0000(.*?)\\u0000"/g, "$1");
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
  const fail = (reason?: string): never => {
    throw new FactorError(
      `${describeValue(value)} is not allowed${reason ? ` (${reason})` : ""}; allowed: ${
        FACTOR_ALLOWED[factor]
      }`,
    );
  };
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  const preset: Preset = PRESETS[base];
  const fixed = preset.fixedNetworks;
  if (fixed && (factor === "normalisation" || factor === "activation")) {
    const usual = normaliseLevel(factor, preset.factors[factor], "seed");
    const level = normaliseLevel(factor, value, "seed");
    if (JSON.stringify(level) !== JSON.stringify(usual)) fail(`not in ${base}: ${fixed.why}`);
    return level as RunConfig[K];
  }
  switch (factor) {
    case "loss":
      return ((LOSSES as readonly unknown[]).includes(value) ? value : fail()) as RunConfig[K];
    case "normalisation":
      return normaliseNormalisation(value, fail) as RunConfig[K];
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
    case "penalty": {
      const penalty = resolvePenalty(value);
      return (penalty instanceof Error ? fail(penalty.message) : penalty) as RunConfig[K];
    }
    case "dSteps":
      if (!Number.isInteger(value) || (value as number) < 1) fail();
      return (value === 1 ? undefined : value) as RunConfig[K];
    case "hidden": {
      const hidden = normaliseHidden(value, base, fail);
      if (hidden && fixed) fail(`not in ${base}: ${fixed.why}`);
      return hidden as RunConfig[K];
    }
    case "dUpdate":
      if (value !== "separate" && value !== "joint") fail();
      return (value === "joint" ? value : undefined) as RunConfig[K];
    case "updates":
      if (value !== "alternating" && value !== "simultaneous") fail();
      return (value === "simultaneous" ? value : undefined) as RunConfig[K];
    case "generatorBatch":
      if (value !== "new" && value !== "reuse") fail();
      return (value === "reuse" ? value : undefined) as RunConfig[K];
    case "init":
      return normaliseInit(value, fail) as RunConfig[K];
    case "realBatch": {
      if (value !== "independent" && value !== "stratified") fail();
      if (value === "stratified" && preset.pattern.kind !== "mixture") {
        fail(`${base}'s data is not a mixture of modes`);
      }
      return (value === "stratified" ? value : undefined) as RunConfig[K];
    }
    case "instanceNoise":
    case "consensus":
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail();
      return (value === 0 ? undefined : value) as RunConfig[K];
  }
  return fail();
}

/** An initialisation: absent for PyTorch's default (ids unchanged); otherwise its name and gain. */
function normaliseInit(value: unknown, fail: (reason?: string) => never) {
  if (value === "default") return undefined;
  const known = (name: unknown): name is InitialisationName =>
    (INITIALISATIONS as readonly unknown[]).includes(name);
  if (known(value)) return { name: value, gain: 1 };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail();
  const { name, gain = 1, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) fail(`unknown field ${Object.keys(rest)[0]}`);
  if (!known(name)) fail();
  if (!isPositive(gain)) fail("gain must be a number > 0");
  return { name, gain } as LinearInitialisation;
}

/** Hidden widths: the preset's where unset; absent when both are the preset's (ids unchanged). */
function normaliseHidden(value: unknown, base: PresetName, fail: (reason?: string) => never) {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail();
  const preset = PRESETS[base];
  const { d = preset.discriminator.hidden, g = preset.generator.hidden, ...rest } = value as Record<
    string,
    unknown
  >;
  if (Object.keys(rest).length) fail(`unknown key ${Object.keys(rest)[0]}; use d and g`);
  for (const [network, widths] of [["d", d], ["g", g]] as const) {
    if (!Array.isArray(widths)) fail(`${network} must be a list of widths`);
    for (const width of widths as unknown[]) {
      if (!Number.isInteger(width) || (width as number) < 1) {
        fail(`${network}: ${describeValue(width)} is not a positive integer width`);
      }
      if ((width as number) > MAX_WIDTH) {
        const parameters = (width as number) ** 2;
        fail(
          `${network}: width ${width} means ~${parameters.toExponential(1)} parameters per ` +
            `layer and run, ~${((parameters * 4 * 6) / 2 ** 20).toFixed(0)} MiB per run for ` +
            `weights, gradients and optimiser state, and ~${
              Math.round(parameters / 9)
            }× the seed's time per iteration; at most ${MAX_WIDTH}`,
        );
      }
    }
  }
  const same = (a: readonly unknown[], b: readonly number[]) =>
    a.length === b.length && a.every((width, i) => width === b[i]);
  if (
    same(d as unknown[], preset.discriminator.hidden) &&
    same(g as unknown[], preset.generator.hidden)
  ) {
    return undefined;
  }
  return { d: [...(d as number[])], g: [...(g as number[])] };
}

function normaliseNormalisation(value: unknown, fail: (reason?: string) => never) {
  const known = (name: unknown): name is Normalisation =>
    (NORMALISATIONS as readonly unknown[]).includes(name);
  let d: unknown;
  let g: unknown;
  if (typeof value === "string") [d, g] = [value, value];
  else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const { d: dLevel = "none", g: gLevel = "none", ...rest } = value as Record<string, unknown>;
    if (Object.keys(rest).length) fail(`unknown key ${Object.keys(rest)[0]}; use d and g`);
    [d, g] = [dLevel, gLevel];
  } else fail();
  if (!known(d) || !known(g)) return fail();
  const forG = NORMALISATION_KINDS[g].networks.g;
  if (forG !== true) fail(forG);
  return d === g ? d : { d, g };
}

function normaliseOptimiser(value: unknown, fail: (reason?: string) => never): ResolvedOptimiser {
  const options = typeof value === "string" ? { name: value } : value;
  if (typeof options !== "object" || options === null || Array.isArray(options)) fail();
  const { name, ...rest } = options as Record<string, unknown>;
  if (!(OPTIMISERS as readonly unknown[]).includes(name)) return fail();
  const kind = OPTIMISER_KINDS[name as OptimiserName];
  const allowedOptions = kind.options as Record<string, OptimiserOption>;
  for (const [option, setting] of Object.entries(rest)) {
    const spec = allowedOptions[option];
    if (!spec) {
      const owners = Object.entries(OPTIMISER_KINDS)
        .filter(([, other]) => option in other.options).map(([owner]) => owner);
      const takes = Object.keys(allowedOptions).join(", ") || "no options";
      fail(
        `${String(name)} takes ${takes}` +
          (owners.length ? `; ${option} is an option of ${owners.join(", ")}` : ""),
      );
    }
    if (typeof setting !== "number" || !Number.isFinite(setting) || !spec.isAllowed(setting)) {
      fail(`${String(name)}'s ${option} must be ${spec.allowed}, got ${describeValue(setting)}`);
    }
  }
  return withDefaults(options as OptimiserOptions);
}

function resolvedActivation(level: ActivationLevel): RunConfig["activation"] {
  return typeof level === "string"
    ? { d: level, g: level }
    : { d: "sigmoid", g: "sigmoid", ...level };
}

function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** Each network's normalisation in a configuration. */
export function normalisationOf(config: RunConfig): { d: Normalisation; g: Normalisation } {
  const level = config.normalisation;
  return typeof level === "string" ? { d: level, g: level } : level;
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
  // The optional factors leave no key in the configuration where unset.
  const optional = <K extends FactorName>(name: K) =>
    factors[name] === undefined ? undefined : level(name);
  return {
    base,
    loss: level("loss"),
    optimiser: level("optimiser"),
    lr: level("lr"),
    normalisation: level("normalisation"),
    activation: level("activation"),
    batchSize: level("batchSize"),
    generatorInput: level("generatorInput"),
    penalty: level("penalty"),
    dSteps: level("dSteps"),
    ...defined({
      hidden: optional("hidden"),
      dUpdate: optional("dUpdate"),
      updates: optional("updates"),
      instanceNoise: optional("instanceNoise"),
      consensus: optional("consensus"),
      generatorBatch: optional("generatorBatch"),
      init: optional("init"),
      realBatch: optional("realBatch"),
    }),
    iterations: settings.iterations ?? preset.iterations,
    recordEvery: settings.recordEvery ?? RECORD_INTERVALS.recordEvery,
    patternEvery: settings.patternEvery ?? RECORD_INTERVALS.patternEvery,
  };
}

/** An object without its undefined entries (so that an unset factor adds no key to the config). */
function defined<T extends Record<string, unknown>>(entries: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(entries).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
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
  const normalisation = normalisationOf(config);
  const hidden = config.hidden ??
    { d: preset.discriminator.hidden, g: preset.generator.hidden };
  // The loss decides D's head: a sigmoid (a probability) or its raw score.
  const sigmoidHead = LOSS_KINDS[config.loss].head === "sigmoid";
  const fixed = (preset as Preset).fixedNetworks?.build(sigmoidHead);
  return {
    discriminator: fixed?.discriminator ??
      buildLayers({ ...preset.discriminator, hidden: hidden.d }, {
        activation: config.activation.d,
        normalisation: normalisation.d,
        outputActivation: sigmoidHead,
        init: config.init,
      }),
    generator: fixed?.generator ?? buildLayers(
      { ...preset.generator, hidden: hidden.g, inputs: inputWidth(config.generatorInput) },
      { activation: config.activation.g, normalisation: normalisation.g, init: config.init },
    ),
    loss: config.loss,
    optimisers: { discriminator: config.optimiser, generator: config.optimiser },
    penalty: config.penalty,
    dSteps: config.dSteps,
    criticStep: config.dUpdate === "joint" ? JOINT_UPDATE : undefined,
    updates: config.updates,
    generatorBatch: config.generatorBatch,
    instanceNoise: config.instanceNoise,
    consensus: config.consensus,
    iterations: config.iterations,
    batchSize: config.batchSize,
    generatorInput: config.generatorInput,
    pattern: config.realBatch && preset.pattern.kind === "mixture"
      ? { ...preset.pattern, stratified: true }
      : preset.pattern,
    recordEvery: config.recordEvery,
    patternEvery: config.patternEvery,
  };
}

/** The learning rates of a configuration, as the engine takes them. */
export function engineLearningRates(config: RunConfig) {
  return { discriminator: config.lr.d, generator: config.lr.g };
}

/**
 * A configuration's factor columns as text, e.g. `optimiser: "sgd(momentum=0.9)"`.
 */
export function factorColumns(config: RunConfig): Record<FactorColumn, string> {
  return {
    loss: config.loss,
    optimiser: optimiserLabel(config.optimiser),
    lr_d: String(config.lr.d),
    lr_g: String(config.lr.g),
    normalisation: typeof config.normalisation === "string"
      ? config.normalisation
      : `d=${config.normalisation.d} g=${config.normalisation.g}`,
    activation_d: config.activation.d,
    activation_g: config.activation.g,
    batch_size: String(config.batchSize),
    generator_input: config.generatorInput.kind === "constant"
      ? String(config.generatorInput.value)
      : `noise(${config.generatorInput.width})`,
    penalty: penaltyLabel(config.penalty),
    d_steps: String(config.dSteps ?? 1),
    hidden_d: config.hidden ? config.hidden.d.join("-") || "none" : "preset",
    hidden_g: config.hidden ? config.hidden.g.join("-") || "none" : "preset",
    d_update: config.dUpdate ?? "separate",
    updates: config.updates ?? "alternating",
    instance_noise: String(config.instanceNoise ?? 0),
    consensus: String(config.consensus ?? 0),
    generator_batch: config.generatorBatch ?? "new",
    init: initLabel(config.init),
    real_batch: config.realBatch ?? "independent",
  };
}

function initLabel(init: LinearInitialisation | undefined): string {
  if (!init) return "default";
  return init.gain === 1 ? init.name : `${init.name}(gain=${init.gain})`;
}

function optimiserLabel(options: ResolvedOptimiser): string {
  const defaults = withDefaults({ name: options.name }) as Record<string, unknown>;
  const changed = Object.entries(options)
    .filter(([key, value]) => key !== "name" && defaults[key] !== value)
    .map(([key, value]) => `${key}=${value}`);
  return changed.length ? `${options.name}(${changed.join(",")})` : options.name;
}
