/**
 * What every loss declares: D's output head, the three loss terms with
 * their gradients, and how the checks judge its equilibrium.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CheckThresholds } from "../../core/thresholds.ts";
import { constant } from "../../core/constants.ts";

/**
 * A loss term's fused form: the same term, one prediction at a time, for
 * the fused engine's loops (which take the mean over the batch themselves).
 */
export interface FusedLossTerm {
  /** The term's value at one prediction. */
  value(x: number): number;
  /** Its derivative with respect to that prediction. */
  gradient(x: number): number;
  /** For a sigmoid head: the derivative with respect to the logit, given `p = σ(z)`. */
  gradientAtLogit?(p: number): number;
}

/** One term of a loss on D's outputs `[R, B, 1]`. */
export interface LossTerm {
  /** The same term one prediction at a time, for the fused engine. */
  readonly fused: FusedLossTerm;
  /** The mean over the batch, per run: `[R]`. */
  value(output: tf.Tensor): tf.Tensor;
  /** The gradient of that mean with respect to the output, `[R, B, 1]`. */
  gradient(output: tf.Tensor): tf.Tensor;
  /**
   * For a sigmoid head: the gradient with respect to the logit `z` given the
   * output `p = σ(z)`, in fewer kernels and with PyTorch's arithmetic.
   */
  gradientAtLogit?(p: tf.Tensor): tf.Tensor;
}

/** The window means of a run that a loss's equilibrium is judged on. */
export interface WindowMeans {
  readonly dLossReal: number;
  readonly dLossFake: number;
  readonly gLoss: number;
  /** D's output on real samples (a probability or a score, as the head gives). */
  readonly dReal: number;
  /** D's output on G's samples. */
  readonly dFake: number;
}

/** How the checks judge a loss's equilibrium (see the README's checks section). */
export interface LossChecks {
  /** What equilibrium means for this loss, for the README and error messages. */
  readonly equilibrium: string;
  /**
   * The level D's and G's loss terms settle at in equilibrium, drawn as the
   * plots' reference lines (none where the level is arbitrary, as a
   * Wasserstein critic's is).
   */
  readonly curveTargets: { readonly discriminator?: number; readonly generator?: number };
  /** How far the window means are from equilibrium (compared with `lossTolerance`). */
  equilibriumError(means: WindowMeans): number;
  /** How far D's output on G's samples is from its equilibrium (`dFakeTolerance`). */
  dFakeError(means: WindowMeans): number;
  /** Whether D has won (`discriminatorWinsRatio` sets how clearly). */
  discriminatorWins(means: WindowMeans, ratio: number): boolean;
}

/** A loss of the GAN literature, as one registry entry. */
export interface LossKind {
  /** One line for the README's factor table. */
  readonly description: string;
  /** Where it comes from, for the README. */
  readonly reference: string;
  /** `sigmoid`: D ends with a sigmoid (a probability); `score`: D's raw output. */
  readonly head: "sigmoid" | "score";
  /** D's term on real samples. */
  readonly real: LossTerm;
  /** D's term on G's samples. */
  readonly fake: LossTerm;
  /** G's term on its samples. */
  readonly generator: LossTerm;
  readonly checks: LossChecks;
  /** The default thresholds of the checks for this loss. */
  readonly thresholds: CheckThresholds;
}

/** How many predictions each run's mean is over. */
export function perRunCount(output: tf.Tensor): number {
  return output.size / output.shape[0];
}

/**
 * A term that is `mean(f(output))` for an element-wise `f` with derivative
 * `df`, given as tf ops and (`fused`) as functions of one number.
 */
export function elementwiseTerm(
  f: (x: tf.Tensor) => tf.Tensor,
  df: (x: tf.Tensor) => tf.Tensor,
  fused: FusedLossTerm,
): LossTerm {
  return {
    fused,
    value: (output) => tf.mean(f(output), [1, 2]),
    gradient: (output) => {
      const count = perRunCount(output);
      const slope = df(output);
      return count === 1 ? slope : tf.mul(slope, constant(1 / count));
    },
  };
}

/** The largest distance of the three loss means from their equilibrium values. */
export function largestDistance(
  means: WindowMeans,
  targets: { readonly real: number; readonly fake: number; readonly generator: number },
): number {
  return Math.max(
    Math.abs(means.dLossReal - targets.real),
    Math.abs(means.dLossFake - targets.fake),
    Math.abs(means.gLoss - targets.generator),
  );
}

/**
 * A loss's thresholds: its own tolerances on the shared defaults (a tenth of
 * the run as the window, the pattern within 0.1, |G| beyond 100 diverged, D
 * winning at half its equilibrium loss).
 */
export function thresholdsWith(
  own: Pick<CheckThresholds, "lossTolerance" | "dFakeTolerance" | "stabilityLimit">,
): CheckThresholds {
  return {
    window: 0.1,
    patternTolerance: 0.1,
    explodeLimit: 100,
    discriminatorWinsRatio: 0.5,
    ...own,
  };
}

/** `p − t` for a target shared by the batch (no kernel for t = 0). */
export function errorOf(p: tf.Tensor, target: 0 | 1): tf.Tensor {
  return target === 0 ? p : tf.sub(p, constant(1));
}
