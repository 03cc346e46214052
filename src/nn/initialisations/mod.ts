/**
 * The weight initialisations a run may choose instead of PyTorch's default
 * (`../layers/linear.ts`: kernel and bias U(−1/√in, 1/√in)), one file each.
 * Under any of them a linear layer's bias starts at zero.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { INITIALISATIONS } from "./mod.ts";
 * assertEquals(INITIALISATIONS, ["xavier_uniform", "orthogonal"]);
 * ```
 *
 * @module
 */
import type { InitialisationKind } from "./kind.ts";
import { orthogonal } from "./orthogonal.ts";
import { xavierUniform } from "./xavier_uniform.ts";

export type { InitialisationKind } from "./kind.ts";

/** Every initialisation by name (PyTorch's names, without `torch.nn.init`'s trailing `_`). */
export const INITIALISATION_KINDS = {
  xavier_uniform: xavierUniform,
  orthogonal,
} as const satisfies Record<string, InitialisationKind>;

/** An initialisation's name. */
export type InitialisationName = keyof typeof INITIALISATION_KINDS;

/** Every initialisation's name. */
export const INITIALISATIONS = Object.keys(INITIALISATION_KINDS) as InitialisationName[];

/** A linear layer's initialisation: which, and its gain. */
export interface LinearInitialisation {
  readonly name: InitialisationName;
  readonly gain: number;
}
