/**
 * The loss registry: every loss an experiment may name, each declared in
 * one file of `losses/` (its D head, its three terms with their gradients,
 * its equilibrium and check thresholds). Adding a loss is one new file there
 * and one line here; the names, allowed values and defaults everywhere else
 * come from this registry.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { bce } from "./bce.ts";
import { bceMinimax } from "./bce_minimax.ts";
import { hinge } from "./hinge.ts";
import type { LossKind, LossTerm } from "./kind.ts";
import { mse } from "./mse.ts";
import { rahinge } from "./rahinge.ts";
import { ralsgan } from "./ralsgan.ts";
import { rasgan } from "./rasgan.ts";
import { rsgan } from "./rsgan.ts";
import { wasserstein } from "./wasserstein.ts";

export type {
  FusedObjective,
  LossKind,
  LossTerm,
  Objective,
  OutputShape,
  Side,
  Sides,
  WindowMeans,
} from "./kind.ts";

/**
 * Every loss by name.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LOSS_KINDS } from "./mod.ts";
 * assertEquals(LOSS_KINDS.hinge.head, "score");
 * ```
 */
export const LOSS_KINDS = {
  bce,
  bce_minimax: bceMinimax,
  mse,
  hinge,
  wasserstein,
  rsgan,
  rasgan,
  ralsgan,
  rahinge,
} as const satisfies Record<string, LossKind>;

/** A loss name. */
export type LossName = keyof typeof LOSS_KINDS;

/** The loss names an experiment may use, in the order tables show them. */
export const LOSSES = Object.keys(LOSS_KINDS) as LossName[];

/** Which of a loss's terms: D's on real samples, D's on G's, or G's. */
export type LossTermName = "real" | "fake" | "generator";

/**
 * A loss's entry.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { lossKind } from "./mod.ts";
 * assertEquals(lossKind("mse").checks.curveTargets.generator, 0.25);
 * ```
 */
export function lossKind(name: LossName): LossKind {
  return LOSS_KINDS[name];
}

/**
 * The mean of one term of a loss per run, `[R]`, on D's outputs `[R, B, 1]`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { lossValue } from "./mod.ts";
 * assertAlmostEquals(lossValue("mse", "real", tf.fill([1, 1, 1], 0.5)).dataSync()[0], 0.25);
 * ```
 */
export function lossValue(loss: LossName, term: LossTermName, output: tf.Tensor): tf.Tensor {
  return termOf(loss, term).value(output);
}

/** The gradient of a term's mean with respect to D's output. */
export function lossGradient(loss: LossName, term: LossTermName, output: tf.Tensor): tf.Tensor {
  return termOf(loss, term).gradient(output);
}

/**
 * A separable loss's term.
 *
 * @throws {Error} for a paired (relativistic) loss, whose terms read both batches.
 */
export function termOf(loss: LossName, term: LossTermName): LossTerm {
  const terms = (LOSS_KINDS[loss] as LossKind).terms;
  if (!terms) throw new Error(`the ${loss} loss couples both batches: it has no per-output terms`);
  return terms[term];
}
