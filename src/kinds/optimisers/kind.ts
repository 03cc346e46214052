/**
 * What every optimiser declares: its options with PyTorch's defaults and
 * the values each may take, and its update rule over packed parameters
 * `[R, 1, P]` with a learning rate per run.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Kernels } from "../../nn/kernels/kind.ts";

/** An optimiser's state as plain numbers (for checkpoints). */
export interface OptimiserSnapshot {
  /** Steps taken. */
  readonly step: number;
  /** Each tensor it keeps between steps (learning rates aside), `[R, 1, P]` values. */
  readonly values: readonly Float32Array[];
}

/** An optimiser bound to one network's packed parameters. */
export interface Optimiser {
  /** Returns the updated parameters; the old ones are left to the caller. */
  step(parameters: tf.Tensor, gradient: tf.Tensor): tf.Tensor;
  /** Tensors the optimiser keeps between steps (for disposal). */
  state(): tf.Tensor[];
  /** Its state as numbers. */
  save(): OptimiserSnapshot;
  /** Takes up a state `save` gave (replacing and disposing its own). */
  restore(snapshot: OptimiserSnapshot): void;
}

/** One option of an optimiser: its default (PyTorch's) and what it may be. */
export interface OptimiserOption {
  readonly default: number;
  /** The allowed values, as error messages say them. */
  readonly allowed: string;
  readonly isAllowed: (value: number) => boolean;
}

/** What an optimiser's update rule is given. */
export interface OptimiserContext {
  /** The learning rates, `[R, 1, 1]`. */
  readonly rates: tf.Tensor;
  /** The same learning rates as numbers. */
  readonly rateValues: Float32Array;
  /** A fresh zero tensor shaped like the parameters. */
  readonly zeros: () => tf.Tensor;
  /** A tensor shaped like the parameters holding `values`. */
  readonly fromValues: (values: Float32Array) => tf.Tensor;
  /**
   * A setting as a factor to multiply by: the kept scalar when every run
   * shares it, else one value per run `[R, 1, 1]` (`transform` applied).
   */
  readonly setting: (name: string, transform?: (value: number) => number) => tf.Tensor;
  /** A setting's value for each run (in full precision). */
  readonly settingValues: (name: string) => readonly number[];
}

/** What an optimiser's fused update is given: every setting as one value per run, and the kernels. */
export interface FusedOptimiserContext {
  readonly runs: number;
  /** Parameters per run. */
  readonly size: number;
  /** The numeric kernels the update runs on (and allocates its per-run factors from). */
  readonly kernels: Kernels;
  /** The learning rates as float32 numbers, as the reference engine holds them. */
  readonly rates: Float32Array;
  /** A setting's value for each run (in full precision). */
  readonly settingValues: (name: string) => readonly number[];
}

/**
 * An optimiser's fused form: one update over plain arrays of `[P, R]`
 * numbers (parameter k of run r at `k·R + r`), in place, with the
 * reference's arithmetic: its float32 factors and its float32 operations,
 * one after another as its tf ops take them.
 */
export interface FusedOptimiser {
  /** How many `[P, R]` buffers it keeps: the snapshot's values (transposed), in their order. */
  readonly buffers: number;
  /**
   * The value every element of each buffer starts at, in their order
   * (absent: every buffer starts at 0), e.g. `[1]` for TensorFlow's RMSprop,
   * whose accumulator starts at ones.
   */
  readonly initial?: readonly number[];
  /** Updates `parameters` and `buffers` in place; `count` is this step's number (1 first). */
  step(
    parameters: Float32Array,
    gradient: Float32Array,
    buffers: readonly Float32Array[],
    count: number,
  ): void;
}

/** An optimiser of the GAN literature, as one registry entry. */
export interface OptimiserKind<S extends Record<string, number>> {
  readonly description: string;
  readonly options: { readonly [K in keyof S]: OptimiserOption };
  create(settings: S, context: OptimiserContext): Optimiser;
  /** The same update rule, fused. */
  fused(context: FusedOptimiserContext): FusedOptimiser;
}

/** A number as the float32 scalar tfjs would hold it. */
export const f32: (value: number) => number = Math.fround;

/** An option in `[0, 1)` with a default. */
export function rateOption(name: string, value: number): OptimiserOption {
  return { default: value, allowed: `0 ≤ ${name} < 1`, isAllowed: (v) => v >= 0 && v < 1 };
}

/** A positive option (e.g. `eps`) with a default. */
export function positiveOption(value: number): OptimiserOption {
  return { default: value, allowed: "a number > 0", isAllowed: (v) => v > 0 };
}
