/**
 * What every layer kind declares, in one file per kind (`linear.ts`,
 * `sigmoid.ts`, …): its parameter slots and their initial values, its
 * checks, the reference engine's forward and backward passes as tf ops, and
 * the fused engine's as loops over plain arrays, written side by side.
 *
 * Reference activations are tensors `[R, B, features]` and a network's
 * parameters `[R, 1, P]` (each run's packed vector, `nn/parameters.ts`'s
 * layout). Fused buffers are the fused layout (`kernels/kind.ts`): an
 * activation `[features, R·B]`, the parameters `[P, R]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Random } from "../../core/random.ts";
import type { Kernels } from "../kernels/kind.ts";

/** Error thrown for a network description that cannot be trained. */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
}

/** A parameter tensor's name: a linear layer's kernel and bias, a norm layer's gain and offset. */
export type SlotName = "kernel" | "bias" | "gain" | "offset";

/**
 * One parameter tensor of a layer: its name and shape. A kernel is stored
 * `[in, out]` (PyTorch's `weight` is `[out, in]`); everything else is a vector.
 */
export interface SlotShape {
  readonly name: SlotName;
  readonly shape: readonly [number] | readonly [number, number];
}

/** What a layer receives: its input's width and the batch size. */
export interface LayerInput {
  readonly width: number;
  readonly batchSize: number;
}

/** A spectrally normalised layer's power-iteration vectors (reference: `u` `[R, out, 1]`, `v` `[R, in, 1]`). */
export interface SpectralTensors {
  readonly u: tf.Tensor;
  readonly v: tf.Tensor;
}

/** What a reference backward pass is asked for and given. */
export interface BackwardContext<L> {
  readonly layer: L;
  readonly parameters: tf.Tensor[];
  readonly wantsParameters: boolean;
  readonly wantsInput: boolean;
}

/** A layer's reference passes as tf ops over `[R, B, n]` tensors. */
export interface ReferenceOperation<L> {
  forward(
    x: tf.Tensor,
    parameters: tf.Tensor[],
    layer: L,
    spectral?: SpectralTensors,
  ): { output: tf.Tensor; saved: tf.Tensor[] };
  backward(
    dy: tf.Tensor,
    saved: tf.Tensor[],
    context: BackwardContext<L>,
  ): { input?: tf.Tensor; parameters: tf.Tensor[] };
}

/**
 * Where a layer sits in its network's fused buffers: the fused layout of
 * `kernels/kind.ts` (activations `[n, C]`, C = R·B columns run after run;
 * parameters `[P, R]`, parameter k of run r at `k·R + r`).
 */
export interface FusedLayout {
  readonly runs: number;
  readonly batch: number;
  /** The index of the layer's first parameter in its network's packed vector. */
  readonly offset: number;
  /** The numeric kernels the layer computes with and allocates its buffers from. */
  readonly kernels: Kernels;
}

/** A spectrally normalised layer's fused power-iteration vectors: `u` `[R, out]`, `v` `[R, in]` (run after run). */
export interface FusedSpectral {
  readonly u: Float32Array;
  readonly v: Float32Array;
}

/** One layer's fused passes over R runs at once. */
export interface FusedOperation {
  /** `x` `[in, C]` → `y` `[out, C]`, keeping what the backward pass needs. */
  forward(
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
    spectral?: FusedSpectral,
  ): void;
  /**
   * From `dy` (the gradient at `y`): the gradient at `x` into `dx` when
   * given, and the layer's parameter gradients into `gradient` (`[P, R]`, at
   * the layer's places; set, not added) when given. `x`, `y` are the
   * forward pass's.
   */
  backward(
    dy: Float32Array,
    dx: Float32Array | undefined,
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
    gradient: Float32Array | undefined,
  ): void;
  /**
   * Forward mode at the last forward pass: the tangent `ty` at `y` from the
   * tangent `tx` at `x` (`ty = J tx`, J the layer's Jacobian).
   */
  tangent(
    tx: Float32Array,
    ty: Float32Array,
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
  ): void;
  /**
   * The second-order part of reverse-over-forward at the last forward pass:
   * with the tangent `tx` at `x` and a gradient `g` at `y` held fixed, adds
   * `∂/∂x ⟨g, J tx⟩` into `dx` (when given) and `∂/∂θ ⟨g, J tx⟩` into the
   * layer's place in `gradient`. What a gradient penalty's gradient needs
   * beyond the first-order passes (see `engine/fused/network.ts`).
   */
  secondOrder(
    tx: Float32Array,
    g: Float32Array,
    dx: Float32Array | undefined,
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
    gradient: Float32Array,
  ): void;
  /**
   * For a layer with kinks (the rectifiers): `"record"` keeps which side of
   * its kink each input of the next forward passes lies on; `"held"` makes
   * the passes use those sides whatever the input (the layer becomes the
   * linear piece it was on), so that central differences of gradients see
   * the almost-everywhere derivative tf.grads takes rather than a jump;
   * `"off"` (the default) is the plain layer. Smooth layers have no kinks
   * and leave it out.
   */
  holdKinks?(mode: KinkMode): void;
}

/** See {@link FusedOperation.holdKinks}. */
export type KinkMode = "off" | "record" | "held";

/**
 * A layer kind: everything the suite knows about layers of type `L`. The
 * registry (`mod.ts`) is checked against this, so a kind missing any part
 * does not compile.
 */
export interface LayerKind<L extends { readonly type: string }> {
  /** What the layer computes, in a sentence. */
  readonly description: string;
  /** Its parameter tensors, in packing order (none for an activation). */
  slots(layer: L): readonly SlotShape[];
  /** Fills one slot's fresh values as PyTorch initialises them, drawing from `random` in order. */
  initialise(layer: L, slot: SlotName, values: Float32Array, random: Random): void;
  /** What is wrong with the layer for this input, or undefined. */
  problem(layer: L, input: LayerInput): string | undefined;
  /** Its output's width for an input of `width`. */
  outputWidth(layer: L, width: number): number;
  /** The reference engine's passes. */
  readonly reference: ReferenceOperation<L>;
  /** The fused engine's passes at a place in the network's buffers. */
  fused(layer: L, layout: FusedLayout): FusedOperation;
}

/** A layer kind the `activation` factor may name: it says which layer that name stands for. */
export interface ActivationKind<L extends { readonly type: string }> extends LayerKind<L> {
  /** The layer the factor's level means (e.g. leaky ReLU with the seed's slope). */
  readonly activation: () => L;
}

/**
 * The parts every parameter-free, width-keeping layer shares.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PARAMETER_FREE } from "./kind.ts";
 * assertEquals(PARAMETER_FREE.slots(), []);
 * assertEquals(PARAMETER_FREE.outputWidth(undefined, 3), 3);
 * ```
 */
export const PARAMETER_FREE = {
  slots: (): readonly SlotShape[] => [],
  initialise(): void {},
  problem: (): string | undefined => undefined,
  outputWidth: (_layer: unknown, width: number): number => width,
};

/**
 * Whether a number is a positive integer (a width).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { isPositiveInteger } from "./kind.ts";
 * assertEquals([isPositiveInteger(3), isPositiveInteger(1.5), isPositiveInteger(0)], [true, false, false]);
 * ```
 */
export function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/**
 * Sums a gradient over the batch axis (`[R, B, n]` → `[R, 1, n]`); a batch
 * of one needs no kernel.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "@std/assert";
 * import { sumOverBatch } from "./kind.ts";
 * assertEquals(Array.from(sumOverBatch(tf.tensor3d([[[1], [2]]])).dataSync()), [3]);
 * ```
 */
export function sumOverBatch(gradient: tf.Tensor): tf.Tensor {
  return gradient.shape[1] === 1 ? gradient : tf.sum(gradient, 1, true);
}
