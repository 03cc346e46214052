/**
 * The version of the training arithmetic: what a run's numbers depend on
 * besides its configuration, its seed and the engine that trains it. A
 * change that moves any run's numbers is a new version: each folder's
 * `experiment.json` records the one it was trained with, a checkpoint
 * resumes only on its own, and the committed folders are retrained and
 * compared with `deno task diff`.
 *
 * - 1: the fused engine's loops in float64 with a rounding per store;
 *   consensus by central differences of the field; Box–Muller normals.
 * - 2: the fused engine's WebAssembly SIMD kernels (float32, their own
 *   summation order, the same bits without SIMD); consensus by exact
 *   Hessian-vector products, both players' parts in one pass where they
 *   share a z; G's noise and a mixture's by the polar method.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ENGINE_VERSION } from "./version.ts";
 * assertEquals(ENGINE_VERSION, 2);
 * ```
 *
 * @module
 */

/** The training arithmetic's version (see the module's list). */
export const ENGINE_VERSION = 2;
