/**
 * The normalisation registry: each normalisation is one file in this folder
 * (where it goes in a network, which networks may use it), registered here.
 *
 * @module
 */
import { batchNormalisation } from "./batch_norm.ts";
import type { NormalisationKind } from "./kind.ts";
import { layerNormalisation } from "./layer_norm.ts";
import { none } from "./none.ts";
import { spectralNormalisation } from "./spectral_norm.ts";

export type { NormalisationKind } from "./kind.ts";

/**
 * The normalisation registry: each declared in one file of `normalisations/`
 * (where it goes in a network, which networks may use it).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NORMALISATION_KINDS } from "./mod.ts";
 * assertEquals(typeof NORMALISATION_KINDS.spectral_norm.wrapLinear, "function");
 * ```
 */
export const NORMALISATION_KINDS = {
  layer_norm: layerNormalisation,
  batch_norm: batchNormalisation,
  none,
  spectral_norm: spectralNormalisation,
} as const satisfies Record<string, NormalisationKind>;

/** A normalisation's name. */
export type Normalisation = keyof typeof NORMALISATION_KINDS;

/** The normalisations an experiment may choose. */
export const NORMALISATIONS = Object.keys(NORMALISATION_KINDS) as Normalisation[];
