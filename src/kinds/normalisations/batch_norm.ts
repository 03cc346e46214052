/**
 * `batch_norm`: batch normalisation after each hidden activation, with the
 * batch's own statistics (eps 1e-5); needs a batch of at least 2.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { batchNormalisation } from "./batch_norm.ts";
 * assertEquals(batchNormalisation.afterHidden!(3).type, "batch_norm");
 * ```
 *
 * @module
 */
import { batchNorm } from "../../nn/layers/mod.ts";
import type { NormalisationKind } from "./kind.ts";

/** Batch normalisation after each hidden activation. */
export const batchNormalisation: NormalisationKind = {
  description: "BatchNorm after each hidden activation, batch statistics (needs batchSize ≥ 2)",
  reference: "Ioffe & Szegedy 2015; DCGAN",
  afterHidden: (width) => batchNorm(width),
  networks: { d: true, g: true },
};
