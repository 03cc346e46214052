/**
 * `none`: no normalisation layer.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { none } from "./none.ts";
 * assertEquals(none.afterHidden, undefined);
 * ```
 *
 * @module
 */
import type { NormalisationKind } from "./kind.ts";

/** No normalisation. */
export const none: NormalisationKind = {
  description: "no normalisation",
  reference: "the book's first GAN",
  networks: { d: true, g: true },
};
