/**
 * The levels an experiment may give each factor, as types: what a preset
 * declares as its defaults and what `factors.ts` resolves into a run's
 * configuration.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FACTOR_NAMES } from "./levels.ts";
 * assertEquals(FACTOR_NAMES[0], "loss");
 * ```
 *
 * @module
 */
import type { ActivationName } from "./architecture.ts";
import type { LossName } from "../kinds/losses/mod.ts";
import type { Normalisation } from "../kinds/normalisations/mod.ts";
import type { OptimiserName, OptimiserOptions } from "../kinds/optimisers/mod.ts";
import type { PenaltyLevel } from "../kinds/penalties/mod.ts";
import type { InitialisationName } from "../nn/initialisations/mod.ts";

/** An optimiser level: a name with PyTorch's defaults, or options. */
export type OptimiserLevel = OptimiserName | OptimiserOptions;

/** The discriminator's and generator's learning rates. */
export interface LearningRates {
  readonly d: number;
  readonly g: number;
}

/** Hidden activations: one name for both networks, or each its own. */
export type ActivationLevel =
  | ActivationName
  | { readonly d?: ActivationName; readonly g?: ActivationName };

/** A normalisation: one name for both networks, or each its own. */
export type NormalisationLevel =
  | Normalisation
  | { readonly d?: Normalisation; readonly g?: Normalisation };

/** The generator's input: a constant (the seed's 0.5) or Gaussian noise of a width. */
export type GeneratorInputLevel = number | { readonly noise: number };

/** Hidden widths per network, input side first (`[]`: no hidden layer); an unset one is the preset's. */
export interface HiddenLevel {
  readonly d?: readonly number[];
  readonly g?: readonly number[];
}

/** D's updates in a critic step: the seed's two (real, then fake) or one on their sum. */
export type DiscriminatorUpdateLevel = "separate" | "joint";

/** The players' order: G through the updated D, or both from the same point. */
export type UpdatesLevel = "alternating" | "simultaneous";

/** G's batch: its own z (`new`) or the last critic step's (`reuse`). */
export type GeneratorBatchLevel = "new" | "reuse";

/** The weights' initialisation: PyTorch's `default`, or a kind by name or with its gain (default 1). */
export type InitLevel =
  | "default"
  | InitialisationName
  | { readonly name: InitialisationName; readonly gain?: number };

/** How a mixture's real batch picks modes: each sample at random, or row k from mode k mod M. */
export type RealBatchLevel = "independent" | "stratified";

/** One level of every factor (the last six optional: their defaults are the seed's loop). */
export interface Factors {
  readonly loss: LossName;
  readonly optimiser: OptimiserLevel;
  readonly lr: LearningRates;
  readonly normalisation: NormalisationLevel;
  readonly activation: ActivationLevel;
  readonly batchSize: number;
  readonly generatorInput: GeneratorInputLevel;
  readonly penalty: PenaltyLevel;
  readonly dSteps: number;
  /** Hidden widths (default: the preset's networks). */
  readonly hidden?: HiddenLevel;
  /** Default `separate`. */
  readonly dUpdate?: DiscriminatorUpdateLevel;
  /** Default `alternating`. */
  readonly updates?: UpdatesLevel;
  /** Instance noise's σ: D sees `x + σ·n` for every input (default 0). */
  readonly instanceNoise?: number;
  /** Consensus optimisation's γ: each player's step adds γ·∇(½‖v‖²), v the joint gradient field (default 0). */
  readonly consensus?: number;
  /** Default `new`: G's step draws its own z; `reuse`: it takes the last critic step's z and G(z). */
  readonly generatorBatch?: GeneratorBatchLevel;
  /** Default PyTorch's (`default`): linear kernels and biases U(−1/√in, 1/√in). */
  readonly init?: InitLevel;
  /** Default `independent`; `stratified`: every batch holds each mode equally (a mixture's). */
  readonly realBatch?: RealBatchLevel;
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
  "penalty",
  "dSteps",
  "hidden",
  "dUpdate",
  "updates",
  "instanceNoise",
  "consensus",
  "generatorBatch",
  "init",
  "realBatch",
];

/** How one factor is spelt outside experiment files: its runs.csv columns and its name in summaries. */
export interface FactorVocabulary {
  /** The runs.csv columns that hold its level, in order. */
  readonly columns: readonly string[];
  /** Its name in summaries, reports, `--by` and `--compare`. */
  readonly key: string;
  /** Its level as one label, from a row's columns. */
  readonly label: (row: Readonly<Record<string, string>>) => string;
  /** What a row of an older runs file that lacks its columns means. */
  readonly absent?: string;
}

const column = (name: string) => (row: Readonly<Record<string, string>>) => row[name];
const pair = (d: string, g: string) => (row: Readonly<Record<string, string>>) =>
  row[d] === row[g] ? row[d] : `d=${row[d]} g=${row[g]}`;

/**
 * Every factor's spelling, the one place it is given: `FACTOR_COLUMNS` (the
 * runs.csv columns) and the summaries' groupings derive from it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FACTOR_VOCABULARY } from "./levels.ts";
 * assertEquals(FACTOR_VOCABULARY.lr.label({ lr_d: "0.001", lr_g: "0.01" }), "d=0.001 g=0.01");
 * assertEquals(FACTOR_VOCABULARY.dSteps.key, "d_steps");
 * ```
 */
export const FACTOR_VOCABULARY = {
  loss: { columns: ["loss"], key: "loss", label: column("loss") },
  optimiser: { columns: ["optimiser"], key: "optimiser", label: column("optimiser") },
  lr: {
    columns: ["lr_d", "lr_g"],
    key: "lr",
    label: (row) => `d=${row.lr_d} g=${row.lr_g}`,
  },
  normalisation: {
    columns: ["normalisation"],
    key: "normalisation",
    label: column("normalisation"),
  },
  activation: {
    columns: ["activation_d", "activation_g"],
    key: "activation",
    label: pair("activation_d", "activation_g"),
  },
  batchSize: { columns: ["batch_size"], key: "batch_size", label: column("batch_size") },
  generatorInput: {
    columns: ["generator_input"],
    key: "generator_input",
    label: column("generator_input"),
  },
  penalty: { columns: ["penalty"], key: "penalty", label: column("penalty"), absent: "none" },
  dSteps: { columns: ["d_steps"], key: "d_steps", label: column("d_steps"), absent: "1" },
  hidden: {
    columns: ["hidden_d", "hidden_g"],
    key: "hidden",
    label: (row) => `d=${row.hidden_d ?? "preset"} g=${row.hidden_g ?? "preset"}`,
    absent: "preset",
  },
  dUpdate: {
    columns: ["d_update"],
    key: "d_update",
    label: column("d_update"),
    absent: "separate",
  },
  updates: {
    columns: ["updates"],
    key: "updates",
    label: column("updates"),
    absent: "alternating",
  },
  instanceNoise: {
    columns: ["instance_noise"],
    key: "instance_noise",
    label: column("instance_noise"),
    absent: "0",
  },
  consensus: {
    columns: ["consensus"],
    key: "consensus",
    label: column("consensus"),
    absent: "0",
  },
  generatorBatch: {
    columns: ["generator_batch"],
    key: "generator_batch",
    label: column("generator_batch"),
    absent: "new",
  },
  init: { columns: ["init"], key: "init", label: column("init"), absent: "default" },
  realBatch: {
    columns: ["real_batch"],
    key: "real_batch",
    label: column("real_batch"),
    absent: "independent",
  },
} as const satisfies Record<FactorName, FactorVocabulary>;

/** One of the runs.csv columns a run's factors fill. */
export type FactorColumn = typeof FACTOR_VOCABULARY[FactorName]["columns"][number];

/** The columns a run's factors fill in `runs.csv`, in order. */
export const FACTOR_COLUMNS: readonly FactorColumn[] = FACTOR_NAMES.flatMap((name) =>
  FACTOR_VOCABULARY[name].columns
);

/** The value an older runs file's row lacks for each newer factor column. */
export const FACTOR_COLUMN_DEFAULTS: Partial<Record<FactorColumn, string>> = Object.fromEntries(
  FACTOR_NAMES.flatMap((name) => {
    const { columns, absent } = FACTOR_VOCABULARY[name] as FactorVocabulary;
    return absent === undefined ? [] : columns.map((column) => [column, absent]);
  }),
);
