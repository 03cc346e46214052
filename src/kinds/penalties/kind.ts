/**
 * What every penalty declares: the one option it takes (as experiment files
 * spell it), and where it acts on the discriminator's steps.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { backward, forward, type Network, type SpectralState } from "../../nn/network.ts";

/** What a penalty on one D step is given. */
export interface PenaltyContext {
  /** The discriminator. */
  readonly network: Network;
  /** D's packed parameters `[R, 1, P]`, as they are for this step's pass. */
  readonly parameters: tf.Tensor;
  /** The spectral-norm vectors of this step's pass (empty without spectral norm). */
  readonly spectral: SpectralState;
  /** This critic step's real sample `[R, B, width]`. */
  readonly real: tf.Tensor;
  /** G's sample, detached `[R, B, width]`. */
  readonly fake: tf.Tensor;
  /** This step's interpolation weights `[R, B, 1]`, drawn on first use. */
  readonly alphas: () => tf.Tensor;
  /** One more power iteration, for a pass of the penalty's own. */
  readonly advance: (state: SpectralState) => SpectralState;
}

/** A penalty's setting: one number for the batch, or one per run where they differ. */
export type PenaltyValue = number | readonly number[];

/**
 * A penalty's setting as a factor, `transform`ed: a kept scalar, or `[R, 1, 1]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { settingFactor } from "./kind.ts";
 * assertEquals(settingFactor([1, 10]).shape, [2, 1, 1]);
 * assertEquals(settingFactor(10, (v) => v / 2).dataSync()[0], 5);
 * ```
 */
export function settingFactor(value: PenaltyValue, transform = (v: number) => v): tf.Tensor {
  return typeof value === "number"
    ? constant(transform(value))
    : tf.tensor3d(value.map(transform), [value.length, 1, 1]);
}

/** A penalty term of one D step: its value per run and its gradient. */
export interface PenaltyTerm {
  /** `[R]`. */
  readonly value: tf.Tensor;
  /** With respect to D's packed parameters, `[R, 1, P]`. */
  readonly gradient: tf.Tensor;
  /** The spectral vectors after the penalty's own pass, if it made one. */
  readonly spectral?: SpectralState;
}

/** A penalty (or constraint) of the GAN literature, as one registry entry. */
export interface PenaltyKind {
  readonly description: string;
  readonly reference: string;
  /** The key of its level in experiment files, e.g. `weightClip` in `{ weightClip: 0.01 }`. */
  readonly key: string;
  /** The name of its one setting in the resolved configuration, e.g. `clip`. */
  readonly setting: string;
  /** The allowed values, as error messages say them. */
  readonly allowed: string;
  readonly isAllowed: (value: number) => boolean;
  /** Added to D's loss on real samples (step 1). */
  onReal?(context: PenaltyContext, value: PenaltyValue): PenaltyTerm;
  /** Added to D's loss on G's samples (step 2). */
  onFake?(context: PenaltyContext, value: PenaltyValue): PenaltyTerm;
  /** Applied to D's parameters after each D step. */
  afterStep?(parameters: tf.Tensor, value: PenaltyValue): tf.Tensor;
  /**
   * Its fused form: a constraint's `afterStep` in place over the `[P, R]`
   * numbers of D's parameters (the fused layout; `size` is P), or a penalty on D's input gradient as the
   * function `f(‖∇ₓ s‖)` averaged over the batch, where it is evaluated, and
   * its slope (the fused engine differentiates it through each layer kind's
   * second-order passes).
   */
  readonly fused?: {
    afterStep?(parameters: Float32Array, size: number, value: PenaltyValue): void;
    readonly gradientNorm?: FusedGradientNorm;
  };
}

/** A penalty on the norm of D's input gradient, in the fused engine's terms. */
export interface FusedGradientNorm {
  /** Where: the real sample, G's sample, or an interpolate of the two (a pass of its own). */
  readonly at: "real" | "fake" | "interpolate";
  /** `f(n)` for a sample whose input gradient has norm `n`, at the setting `w`. */
  value(norm: number, w: number): number;
  /** `f′(n) / n`: the factor that turns the input gradient into `∂f/∂(∇ₓ s)`. */
  slope(norm: number, w: number): number;
}

/**
 * A fused gradient-norm penalty at each run's own setting: `f` and its slope
 * as functions of the norm and the run (one setting, or one per run).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { perRunGradientNorm } from "./kind.ts";
 * import { zeroCentred } from "./r1.ts";
 * const r1 = perRunGradientNorm(zeroCentred("real"), [1, 4]);
 * assertEquals([r1.value(2, 0), r1.value(2, 1)], [2, 8]);
 * ```
 */
export function perRunGradientNorm(form: FusedGradientNorm, setting: PenaltyValue): {
  value(norm: number, run: number): number;
  slope(norm: number, run: number): number;
} {
  const weightOf = (r: number) => typeof setting === "number" ? setting : setting[r];
  return {
    value: (norm, r) => form.value(norm, weightOf(r)),
    slope: (norm, r) => form.slope(norm, weightOf(r)),
  };
}

/** The layer whose output is D's score: before a final sigmoid if there is one. */
export function scoreLayer(network: Network): number {
  const last = network.layers.length - 1;
  return network.layers[last].type === "sigmoid" ? last - 1 : last;
}

/**
 * `mean over the batch of f(‖∇ₓ s(x)‖₂²)` per run, `[R]`, for D with packed
 * parameters `parameters` at the samples `x`, where `s` is D's score. `f`
 * takes the squared norm, so that a zero-centred penalty (R1, R2) needs no
 * square root, whose derivative is infinite where the input gradient is 0
 * (as it is through batch norm, where the batch's scores sum to a constant).
 */
export function gradientNormTerm(
  network: Network,
  parameters: tf.Tensor,
  x: tf.Tensor,
  spectral: SpectralState,
  f: (squaredNorms: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const pass = forward(network, parameters, x, spectral);
  // D's score is one number per sample: ∂s/∂s = 1 for each.
  const ones = tf.ones([x.shape[0], x.shape[1]!, 1]);
  const { input } = backward(network, pass, ones, {
    parameters: false,
    input: true,
    fromLayer: scoreLayer(network),
  });
  return tf.mean(f(tf.sum(tf.square(input!), 2, true)), [1, 2]);
}

/**
 * A gradient-norm penalty's value and its gradient with respect to D's
 * parameters (by tfjs's autodiff through the hand-written backward pass;
 * the spectral vectors are held constant, as PyTorch holds them).
 */
export function gradientNormPenalty(
  network: Network,
  parameters: tf.Tensor,
  x: tf.Tensor,
  spectral: SpectralState,
  f: (squaredNorms: tf.Tensor) => tf.Tensor,
): { value: tf.Tensor; gradient: tf.Tensor } {
  const perRun = (p: tf.Tensor) => gradientNormTerm(network, p, x, spectral, f);
  return {
    value: perRun(parameters),
    gradient: tf.grad((p: tf.Tensor) => tf.sum(perRun(p)))(parameters),
  };
}
