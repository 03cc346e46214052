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
  /** Its second derivative with respect to the prediction (0 for a piecewise-linear term, almost everywhere). */
  curvature(x: number): number;
  /** For a sigmoid head: the derivative of {@link gradientAtLogit} with respect to the logit, given `p = σ(z)`. */
  curvatureAtLogit?(p: number): number;
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

/** How the checks judge a loss's equilibrium (see docs/results.md, Convergence checks). */
export interface LossChecks {
  /** What equilibrium means for this loss, for docs/experiments.md's losses table and error messages. */
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

/** D's batches an objective reads: the real sample and G's. */
export type Side = "real" | "fake";

/** Something for each batch an objective is given (a side absent where the step has no such pass). */
export type Sides<T> = { readonly [S in Side]?: T };

/** Runs and samples per run of a batch of outputs (`[R, B, 1]`, run after run). */
export interface OutputShape {
  readonly runs: number;
  readonly batch: number;
}

/**
 * One player's objective as the fused engine's loops take it: D's outputs
 * per batch as plain arrays of `R × B` numbers.
 */
export interface FusedObjective {
  /**
   * Per run, the mean of each of the objective's parts over the batch, into
   * `into` (R numbers per side): the parts on the sides given.
   */
  parts(outputs: Sides<Float32Array>, shape: OutputShape, into: Sides<Float64Array>): void;
  /**
   * Its gradient with respect to the outputs of each side in `into` (the
   * mean's: ÷ B), into `into`; with `atLogit`, with respect to a sigmoid
   * head's logit given its output `p = σ(s)`.
   */
  gradients(
    outputs: Sides<Float32Array>,
    shape: OutputShape,
    into: Sides<Float32Array>,
    atLogit: boolean,
  ): void;
  /**
   * The tangent of {@link gradients} along a tangent of the outputs (or,
   * with `atLogit`, of the logits), for the Hessian-vector products of
   * consensus optimisation: `into = ∂(gradient)/∂output · tangent`, side by
   * side; absent for a loss whose terms couple the batches.
   */
  tangents?(
    outputs: Sides<Float32Array>,
    tangents: Sides<Float32Array>,
    shape: OutputShape,
    into: Sides<Float32Array>,
    atLogit: boolean,
  ): void;
}

/**
 * One player's objective as a function of D's outputs on the real batch
 * and on G's (compare_gan's `loss(d_real, d_fake)`): its value in parts (one
 * per batch it has a term on; they sum to the objective, and the curve
 * columns record them) and its gradient at each output.
 */
export interface Objective {
  /** The batches whose outputs it reads (G's non-relativistic loss reads G's alone). */
  readonly reads: readonly Side[];
  /** The sides it has a part on: its value is their sum (D's parts are its two curve columns). */
  readonly partsOn: readonly Side[];
  /** Whether its gradient can be taken at a sigmoid head's logit (saving the sigmoid's backward pass). */
  readonly atLogit: boolean;
  /** Per run, the mean of each part over the batch, `[R]`, for the sides given. */
  parts(outputs: Sides<tf.Tensor>): Sides<tf.Tensor>;
  /** Its gradient at each output given, `[R, B, 1]` (at the logit with `atLogit`). */
  gradients(outputs: Sides<tf.Tensor>, atLogit: boolean): Sides<tf.Tensor>;
  readonly fused: FusedObjective;
}

/** A separable loss's three per-output terms. */
export interface LossTerms {
  /** D's term on real samples. */
  readonly real: LossTerm;
  /** D's term on G's samples. */
  readonly fake: LossTerm;
  /** G's term on its samples. */
  readonly generator: LossTerm;
}

/** A loss of the GAN literature, as one registry entry. */
export interface LossKind {
  /** One line for docs/experiments.md's losses table. */
  readonly description: string;
  /** Where it comes from, for docs/experiments.md's losses table. */
  readonly reference: string;
  /** `sigmoid`: D ends with a sigmoid (a probability); `score`: D's raw output. */
  readonly head: "sigmoid" | "score";
  /**
   * Whether its objectives couple D's outputs on both batches (a
   * relativistic loss): D's two terms cannot be taken one batch at a time,
   * and G's loss reads D on the real sample too.
   */
  readonly paired: boolean;
  /** D's objective: its parts are `d_loss_real` and `d_loss_fake`. */
  readonly discriminator: Objective;
  /** G's objective: its parts sum to `g_loss`. */
  readonly generator: Objective;
  /** A separable loss's per-output terms (absent for a paired one). */
  readonly terms?: LossTerms;
  /** What the curve columns hold, where it is not one term per column. */
  readonly curves?: string;
  readonly checks: LossChecks;
  /** The default thresholds of the checks for this loss. */
  readonly thresholds: CheckThresholds;
}

/**
 * A loss whose terms each read one batch's outputs (every loss but the
 * relativistic ones): D's objective is its real term on the real batch plus
 * its fake term on G's, G's its own term on G's; each can be taken alone
 * (the seed's separate D updates take one at a time).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { separable } from "./kind.ts";
 * import { bceTerm } from "./bce.ts";
 * const loss = separable({ real: bceTerm(1), fake: bceTerm(0), generator: bceTerm(1) });
 * const parts = { real: new Float64Array(1) };
 * loss.discriminator.fused.parts({ real: Float32Array.of(0.5) }, { runs: 1, batch: 1 }, parts);
 * assertEquals([loss.paired, loss.generator.reads, parts.real[0].toFixed(4)], [false, ["fake"], "0.6931"]);
 * ```
 */
export function separable(terms: LossTerms): {
  readonly paired: false;
  readonly terms: LossTerms;
  readonly discriminator: Objective;
  readonly generator: Objective;
} {
  return {
    paired: false,
    terms,
    discriminator: termsObjective({ real: terms.real, fake: terms.fake }),
    generator: termsObjective({ fake: terms.generator }),
  };
}

/** An objective that is a sum of per-output terms, one per batch. */
function termsObjective(bySide: Sides<LossTerm>): Objective {
  const sides = Object.keys(bySide) as Side[];
  const given = <T>(outputs: Sides<T>) => sides.filter((side) => outputs[side] !== undefined);
  return {
    reads: sides,
    partsOn: sides,
    atLogit: sides.every((side) => bySide[side]!.fused.gradientAtLogit !== undefined),
    parts: (outputs) =>
      Object.fromEntries(given(outputs).map((side) => [side, bySide[side]!.value(outputs[side]!)])),
    gradients: (outputs, atLogit) =>
      Object.fromEntries(
        given(outputs).map((side) => {
          const term = bySide[side]!;
          const output = outputs[side]!;
          return [side, atLogit ? term.gradientAtLogit!(output) : term.gradient(output)];
        }),
      ),
    fused: {
      parts(outputs, { runs, batch }, into) {
        for (const side of given(outputs)) {
          const value = bySide[side]!.fused.value;
          const output = outputs[side]!;
          const means = into[side]!;
          for (let r = 0; r < runs; r++) {
            let sum = 0;
            for (let b = 0; b < batch; b++) sum += Math.fround(value(output[r * batch + b]));
            means[r] = sum / batch;
          }
        }
      },
      gradients(outputs, { batch }, into, atLogit) {
        const scale = Math.fround(1 / batch);
        for (const side of given(into)) {
          const fused = bySide[side]!.fused;
          const slopeOf = atLogit ? fused.gradientAtLogit! : fused.gradient;
          const output = outputs[side]!;
          const gradient = into[side]!;
          for (let i = 0; i < output.length; i++) {
            const slope = slopeOf(output[i]);
            gradient[i] = batch === 1 ? slope : slope * scale;
          }
        }
      },
      tangents(outputs, tangents, { batch }, into, atLogit) {
        for (const side of given(into)) {
          const fused = bySide[side]!.fused;
          const curvatureOf = atLogit ? fused.curvatureAtLogit! : fused.curvature;
          const [output, tangent, result] = [outputs[side]!, tangents[side]!, into[side]!];
          for (let i = 0; i < output.length; i++) {
            result[i] = (curvatureOf(output[i]) * tangent[i]) / batch;
          }
        }
      },
    },
  };
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
