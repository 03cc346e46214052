/**
 * Replays the PyTorch reference runs (`tests/parity/*.json` in formats 1
 * to 6, `../shared/parity-zoo` in format 2, `../shared/parity-schemes` in
 * format 3; each folder's README defines its fields; format 4, the
 * Dirac-GAN and consensus optimisation, is `tests/parity/README-format-4.md`;
 * format 5, the relativistic losses, penalties that combine, batches and
 * noise input, `tests/parity/README-format-5.md`; format 6, TensorFlow 1's
 * RMSprop, `tests/parity/README-format-6.md`; format 7, G's batch reused,
 * `tests/parity/README-format-7.md`) through the engine and
 * measures how far it strays. A file with a field, or a value of one,
 * that the replay does not support fails with a message that names it.
 *
 * @module
 */
import { type Layer, LAYER_TYPES } from "../nn/layers/mod.ts";
import { LOSSES, type LossName } from "../kinds/losses/mod.ts";
import {
  OPTIMISER_KINDS,
  type OptimiserName,
  type OptimiserOptions,
} from "../kinds/optimisers/mod.ts";
import {
  PENALTY_KINDS,
  type PenaltyName,
  type ResolvedPenalties,
  type ResolvedPenalty,
} from "../kinds/penalties/mod.ts";
import { type LayerWeights, packWeights, unpackWeights } from "../nn/parameters.ts";
import { SEED_PATTERN } from "../core/data.ts";
import { engineFor, type EngineName, trainBatch } from "./train.ts";

/** The loss tolerance a float32 engine must meet: `|ours - ref| / max(1, |ref|)`. */
export const PARITY_TOLERANCE = 1e-3;

/** One reference run, as read from its JSON file. */
export interface ParityCase {
  readonly case: string;
  /** 1 (absent) to 6. */
  readonly format?: number;
  /** Format 3: `"separate"` (absent) or `"joint"` D updates. */
  readonly d_update?: string;
  /** Format 3: `"alternating"` (absent) or `"simultaneous"`. */
  readonly updates?: string;
  /** Format 7: `"new"` (absent) or `"reuse"` (G's step takes the last critic step's z). */
  readonly generator_batch?: string;
  /** Format 3: instance noise's σ (absent: none). */
  readonly instance_noise?: number;
  /** Format 3: the noise vectors, one per D input in the order D sees them. */
  readonly instance_noise_samples?: readonly (readonly number[])[];
  /** Format 4: consensus optimisation's γ (absent: none). */
  readonly consensus?: number;
  /** Format 4: `"pattern"` (absent) or `"point"` (every real sample 0); the samples are recorded either way. */
  readonly data?: string;
  readonly loss: LossName;
  /** Format 2: `{ type, <setting> }`, e.g. `{ type: "r1", gamma: 1 }`; format 5: or a list of them. */
  readonly penalty?: FixturePenalty | readonly FixturePenalty[];
  /** Format 5: samples per batch (absent: 1). */
  readonly batch_size?: number;
  /** Format 5: with a noise input, every z in the order drawn, one row each. */
  readonly z_samples?: readonly (readonly number[])[];
  /** Format 2: critic steps per iteration (default 1). */
  readonly d_steps?: number;
  /** Format 2: the gradient penalty's interpolation weights, one per critic step. */
  readonly alphas?: readonly number[];
  readonly pattern: { readonly width: number };
  /** A constant z, or (format 5) `{ noise: k }`. */
  readonly generator_input: number | { readonly noise: number };
  readonly iterations: number;
  readonly discriminator: FixtureNetwork;
  readonly generator: FixtureNetwork;
  readonly initial_weights: { discriminator: LayerWeights[]; generator: LayerWeights[] };
  readonly final_weights: { discriminator: LayerWeights[]; generator: LayerWeights[] };
  readonly real_samples: number[][];
  readonly steps: readonly FixtureStep[];
}

/** A fixture's penalty: `{ type, <setting> }`. */
type FixturePenalty = { readonly type: string } & Record<string, unknown>;

interface FixtureNetwork {
  readonly layers: readonly Record<string, unknown>[];
  readonly optimiser: { readonly name: string; readonly lr: number } & Record<string, unknown>;
}

interface FixtureStep {
  readonly d_loss_real: number;
  readonly d_loss_fake: number;
  readonly g_loss: number;
  /** Format 2: the last critic step's penalty term. */
  readonly penalty?: number;
  readonly d_of_real: number;
  readonly d_of_fake: number;
  readonly g_output_after: readonly number[];
}

/** How one replay compared with its reference. */
export interface ParityResult {
  readonly name: string;
  /** The engine that trained the replay. */
  readonly engine: EngineName;
  readonly iterations: number;
  /** Worst relative error over every recorded loss. */
  readonly lossError: number;
  /** Worst relative error over D(real), D(G(z)) and G's output. */
  readonly outputError: number;
  /** Worst relative error over the final weights. */
  readonly weightError: number;
  readonly pass: boolean;
}

/**
 * The engine's layer list for a fixture's `nn.Sequential` description.
 *
 * @example
 * ```ts
 * import { fixtureLayers } from "./parity.ts";
 * fixtureLayers([{ type: "linear", in: 4, out: 3 }, { type: "sigmoid" }]);
 * ```
 */
export function fixtureLayers(layers: readonly Record<string, unknown>[]): Layer[] {
  return layers.map((layer, index) => {
    const type = layer.type as Layer["type"];
    if (!(LAYER_TYPES as readonly string[]).includes(type)) {
      throw new Error(
        `layer ${index}: unknown type "${layer.type}"; allowed: ${LAYER_TYPES.join(", ")}`,
      );
    }
    const { spectral_norm: spectralNorm, ...rest } = layer;
    return (spectralNorm ? { ...rest, type, spectralNorm: true } : { ...rest, type }) as Layer;
  });
}

/** Error for a reference run that uses a field, or a value of one, the replay does not support. */
export class UnsupportedFixture extends Error {
  override readonly name = "UnsupportedFixture";
}

/** Every top-level field of formats 1 to 7 (each folder's README). */
const FIXTURE_FIELDS = new Set([
  "case",
  "format",
  "pattern",
  "generator_input",
  "loss",
  "penalty",
  "d_steps",
  "alphas",
  "d_update",
  "updates",
  "generator_batch",
  "instance_noise",
  "instance_noise_samples",
  "consensus",
  "data",
  "batch_size",
  "z_samples",
  "discriminator",
  "generator",
  "iterations",
  "torch_seed",
  "dtype",
  "torch_version",
  "initial_weights",
  "real_samples",
  "steps",
  "final_weights",
]);

/** The fields of a fixture's layer and of its weights' entries. */
const LAYER_FIELDS = new Set([
  "type",
  "in",
  "out",
  "alpha",
  "size",
  "eps",
  "spectral_norm",
  // Format 4's scale layer.
  "width",
  "start",
]);

/**
 * What in a reference run the replay cannot reproduce, or undefined: an
 * unknown field, a format it does not read, or a scheme it does not train
 * yet. A file it names fails; it is never passed over.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { unsupportedIn } from "./parity.ts";
 * assertEquals(unsupportedIn({ format: 3, updates: "sometimes" }), 'updates "sometimes" (alternating or simultaneous)');
 * assertEquals(unsupportedIn({ format: 3, colour: "red" }), 'field "colour" (not one of formats 1 to 7)');
 * const tf1 = { layers: [], optimiser: { name: "rmsprop_tf", lr: 0.01 } };
 * assertEquals(unsupportedIn({ format: 6, discriminator: tf1 }), undefined);
 * assertEquals(
 *   unsupportedIn({ format: 5, discriminator: tf1 }),
 *   'discriminator optimiser: "rmsprop_tf" in format 5 (format 6 on)',
 * );
 * ```
 */
export function unsupportedIn(reference: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(reference).find((field) => !FIXTURE_FIELDS.has(field));
  if (unknown) return `field "${unknown}" (not one of formats 1 to 7)`;
  const format = reference.format ?? 1;
  if (![1, 2, 3, 4, 5, 6, 7].includes(format as number)) {
    return `format ${format} (1 to 7 are read)`;
  }
  const batch = reference.batch_size ?? 1;
  if (!Number.isInteger(batch) || (batch as number) < 1) {
    return `batch_size ${batch} (a positive integer)`;
  }
  const input = reference.generator_input;
  if (typeof input === "object" && input !== null) {
    const keys = Object.keys(input);
    const width = (input as Record<string, unknown>).noise;
    if (keys.length !== 1 || !Number.isInteger(width) || (width as number) < 1) {
      return `generator_input ${JSON.stringify(input)} (a number or { "noise": k })`;
    }
    if (!Array.isArray(reference.z_samples)) return "a noise generator_input without z_samples";
  }
  const consensus = reference.consensus ?? 0;
  if (typeof consensus !== "number" || !(consensus >= 0)) {
    return `consensus ${consensus} (a number γ ≥ 0)`;
  }
  const data = reference.data ?? "pattern";
  if (data !== "pattern" && data !== "point") return `data "${data}" (pattern or point)`;
  const dUpdate = reference.d_update ?? "separate";
  if (dUpdate !== "separate" && dUpdate !== "joint") {
    return `d_update "${dUpdate}" (separate or joint)`;
  }
  const updates = reference.updates ?? "alternating";
  if (updates !== "alternating" && updates !== "simultaneous") {
    return `updates "${updates}" (alternating or simultaneous)`;
  }
  const generatorBatch = reference.generator_batch ?? "new";
  if (generatorBatch !== "new" && generatorBatch !== "reuse") {
    return `generator_batch "${generatorBatch}" (new or reuse)`;
  }
  if ("generator_batch" in reference && (format as number) < 7) {
    return `generator_batch in format ${format} (format 7 on)`;
  }
  const sigma = reference.instance_noise ?? 0;
  if (typeof sigma !== "number" || !(sigma >= 0)) return `instance_noise ${sigma} (a number ≥ 0)`;
  if (sigma > 0 && !Array.isArray(reference.instance_noise_samples)) {
    return "instance_noise without instance_noise_samples";
  }
  for (const network of ["discriminator", "generator"] as const) {
    const optimiser = optimiserUnsupported(
      (reference[network] as FixtureNetwork | undefined)?.optimiser,
      format as number,
    );
    if (optimiser) return `${network} optimiser: ${optimiser}`;
    const layers = (reference[network] as FixtureNetwork | undefined)?.layers ?? [];
    for (const [index, layer] of layers.entries()) {
      const field = Object.keys(layer).find((key) => !LAYER_FIELDS.has(key));
      if (field) return `${network} layer ${index}: field "${field}"`;
    }
  }
  return undefined;
}

/** The first format that defines an optimiser, where it is not format 1 or 2 (README-format-6.md). */
const OPTIMISER_FORMATS: Readonly<Record<string, number>> = { rmsprop_tf: 6 };

/**
 * What in a fixture's optimiser the replay cannot reproduce, or undefined:
 * an optimiser its format does not define yet, or a field that is neither
 * `name`, `lr` nor one of the optimiser's options (which would otherwise be
 * passed over, its setting silently lost). A name the registry does not
 * know is left to {@link fixtureOptimiser}, which names the allowed ones.
 */
function optimiserUnsupported(
  optimiser: Record<string, unknown> | undefined,
  format: number,
): string | undefined {
  const name = String(optimiser?.name);
  if (!optimiser || !(name in OPTIMISER_KINDS)) return undefined;
  const from = OPTIMISER_FORMATS[name] ?? 1;
  if (format < from) return `"${name}" in format ${format} (format ${from} on)`;
  const options = Object.keys(OPTIMISER_KINDS[name as OptimiserName].options);
  const field = Object.keys(optimiser).find((key) =>
    key !== "name" && key !== "lr" && !options.includes(key)
  );
  return field ? `field "${field}" (${name} takes lr, ${options.join(", ")})` : undefined;
}

/** The engine's optimiser for a fixture's: every option its registry entry knows, from the file. */
function fixtureOptimiser(optimiser: FixtureNetwork["optimiser"]): OptimiserOptions {
  const name = optimiser.name as OptimiserName;
  if (!(name in OPTIMISER_KINDS)) {
    throw new Error(
      `unknown optimiser "${optimiser.name}"; allowed: ${Object.keys(OPTIMISER_KINDS).join(", ")}`,
    );
  }
  const options = Object.keys(OPTIMISER_KINDS[name].options)
    .filter((option) => typeof optimiser[option] === "number")
    .map((option) => [option, optimiser[option]]);
  return { name, ...Object.fromEntries(options) } as OptimiserOptions;
}

/** The engine's penalties for a fixture's `{ type, <setting> }` or a list of them. */
function fixturePenalties(penalty: ParityCase["penalty"]): ResolvedPenalties | undefined {
  if (!penalty) return undefined;
  if (Array.isArray(penalty)) return penalty.map(fixturePenalty);
  return fixturePenalty(penalty as FixturePenalty);
}

/** The engine's penalty for a fixture's `{ type, <setting> }`. */
function fixturePenalty(penalty: FixturePenalty): ResolvedPenalty {
  const kind = PENALTY_KINDS[penalty.type as PenaltyName];
  if (!kind) {
    throw new Error(
      `unknown penalty "${penalty.type}"; allowed: ${Object.keys(PENALTY_KINDS).join(", ")}`,
    );
  }
  return { name: penalty.type, [kind.setting]: penalty[kind.setting] } as ResolvedPenalty;
}

/** A network's initial spectral-norm vectors, from the fixture's `spectral_u` and `spectral_v`. */
function fixtureSpectral(layers: readonly Layer[], weights: readonly LayerWeights[]) {
  if (!layers.some((layer) => layer.type === "linear" && layer.spectralNorm)) return undefined;
  return layers.map((layer, index) => {
    if (layer.type !== "linear" || !layer.spectralNorm) return undefined;
    const entry = weights.find((w) => w.index === index);
    if (!entry?.spectral_u || !entry.spectral_v) {
      throw new Error(`layer ${index}: spectral_norm without spectral_u and spectral_v`);
    }
    return { u: Float32Array.from(entry.spectral_u), v: Float32Array.from(entry.spectral_v) };
  });
}

/**
 * Replays one reference run on `engine` (the fused engine by default; it
 * hands a batch with no fused form to the reference) and compares
 * every recorded number.
 */
export async function replayCase(
  reference: ParityCase,
  engine: EngineName = "fused",
): Promise<ParityResult> {
  const unsupported = unsupportedIn(reference as unknown as Record<string, unknown>);
  if (unsupported) throw new UnsupportedFixture(`unsupported ${unsupported}`);
  if (!(LOSSES as readonly string[]).includes(reference.loss)) {
    throw new Error(`unknown loss "${reference.loss}"; allowed: ${LOSSES.join(", ")}`);
  }
  const discriminator = fixtureLayers(reference.discriminator.layers);
  const generator = fixtureLayers(reference.generator.layers);
  const iterations = reference.iterations;
  const penalty = fixturePenalties(reference.penalty);
  const input = reference.generator_input;
  const [record] = await trainBatch(
    {
      discriminator,
      generator,
      loss: reference.loss,
      penalty,
      dSteps: reference.d_steps ?? 1,
      criticStep: reference.d_update === "joint" ? [{ terms: ["real", "fake"] }] : undefined,
      updates: reference.updates === "simultaneous" ? "simultaneous" : "alternating",
      generatorBatch: reference.generator_batch === "reuse" ? "reuse" : "new",
      instanceNoise: reference.instance_noise ?? 0,
      consensus: reference.consensus ?? 0,
      optimisers: {
        discriminator: fixtureOptimiser(reference.discriminator.optimiser),
        generator: fixtureOptimiser(reference.generator.optimiser),
      },
      iterations,
      generatorInput: typeof input === "number"
        ? { kind: "constant", value: input }
        : { kind: "noise", width: input.noise },
      batchSize: reference.batch_size ?? 1,
      pattern: { ...SEED_PATTERN, width: reference.pattern.width },
      recordEvery: 1,
      patternEvery: 1,
    },
    [{
      seed: 0,
      learningRates: {
        discriminator: reference.discriminator.optimiser.lr,
        generator: reference.generator.optimiser.lr,
      },
      initialParameters: {
        discriminator: packWeights(discriminator, reference.initial_weights.discriminator),
        generator: packWeights(generator, reference.initial_weights.generator),
      },
      realSamples: Float32Array.from(reference.real_samples.flat()),
      initialSpectral: fixtureSpectral(discriminator, reference.initial_weights.discriminator),
      initialGeneratorSpectral: fixtureSpectral(generator, reference.initial_weights.generator),
      instanceNoise: reference.instance_noise_samples
        ? Float32Array.from(reference.instance_noise_samples.flat())
        : undefined,
      alphas: reference.alphas ? Float32Array.from(reference.alphas) : undefined,
      generatorInputs: reference.z_samples
        ? Float32Array.from(reference.z_samples.flat())
        : undefined,
    }],
    { progressEvery: iterations, engine },
  );
  const width = reference.pattern.width;
  let lossError = 0;
  let outputError = 0;
  reference.steps.forEach((step, i) => {
    lossError = Math.max(
      lossError,
      relativeError(record.curves.d_loss_real[i], step.d_loss_real),
      relativeError(record.curves.d_loss_fake[i], step.d_loss_fake),
      relativeError(record.curves.g_loss[i], step.g_loss),
      relativeError(record.curves.penalty[i], step.penalty ?? 0),
    );
    outputError = Math.max(
      outputError,
      relativeError(record.curves.d_real[i], step.d_of_real),
      relativeError(record.curves.d_fake[i], step.d_of_fake),
      ...step.g_output_after.map((value, k) =>
        relativeError(record.patterns[i * width + k], value)
      ),
    );
  });
  const weightError = Math.max(
    worstWeightError(
      unpackWeights(discriminator, record.finalParameters.discriminator),
      reference.final_weights.discriminator,
    ),
    worstWeightError(
      unpackWeights(generator, record.finalParameters.generator),
      reference.final_weights.generator,
    ),
  );
  return {
    name: reference.case,
    engine: engineFor({ penalty }, engine).engine,
    iterations,
    lossError,
    outputError,
    weightError,
    pass: lossError <= PARITY_TOLERANCE && reference.steps.length === iterations,
  };
}

/** `|ours - reference| / max(1, |reference|)`; NaN counts as infinitely wrong. */
export function relativeError(ours: number, reference: number): number {
  const error = Math.abs(ours - reference) / Math.max(1, Math.abs(reference));
  return Number.isNaN(error) ? Infinity : error;
}

function worstWeightError(ours: LayerWeights[], reference: LayerWeights[]): number {
  let worst = 0;
  for (const theirs of reference) {
    const mine = ours.find((w) => w.index === theirs.index);
    if (!mine) return Infinity;
    for (const key of ["weight_out_in", "bias", "gamma", "beta"] as const) {
      const a = [mine[key] ?? []].flat(2) as number[];
      const b = [theirs[key] ?? []].flat(2) as number[];
      if (a.length !== b.length) return Infinity;
      a.forEach((value, i) => (worst = Math.max(worst, relativeError(value, b[i]))));
    }
  }
  return worst;
}

/** Reads every `*.json` reference run in `directory`, sorted by file name. */
export async function readCases(directory: string): Promise<ParityCase[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  names.sort();
  return await Promise.all(
    names.map(async (name) => JSON.parse(await Deno.readTextFile(`${directory}/${name}`))),
  );
}
