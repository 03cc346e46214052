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

/** One level of every factor. */
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
];
