/**
 * The passes that element-wise activations share: one whose derivative is a
 * function of its output (sigmoid, tanh) and the rectifiers (ReLU, leaky
 * ReLU), each in both engines' forms.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Kernels } from "../kernels/kind.ts";
import type { FusedOperation, KinkMode, ReferenceOperation } from "./kind.ts";

/**
 * An element-wise activation whose derivative is a function of its output
 * `y`, e.g. the sigmoid's `y (1 − y)`: tf ops for the reference engine and
 * plain functions for the fused one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { activationOfOutput } from "./activation.ts";
 * const square = activationOfOutput({
 *   apply: (x) => x * x,
 *   slope: (y) => 2 * Math.sqrt(y),
 *   curvature: () => 2,
 *   applyOp: (x) => x,
 *   slopeOp: (y) => y,
 * });
 * const y = new Float32Array(1);
 * square.fused().forward(Float32Array.of(3), y, new Float32Array());
 * assertEquals(y[0], 9);
 * ```
 */
export function activationOfOutput(forms: {
  readonly apply: (x: number) => number;
  readonly slope: (y: number) => number;
  /** The slope's derivative with respect to x, as a function of y (for second-order passes). */
  readonly curvature: (y: number) => number;
  readonly applyOp: (x: tf.Tensor) => tf.Tensor;
  readonly slopeOp: (y: tf.Tensor) => tf.Tensor;
}): { reference: ReferenceOperation<unknown>; fused: () => FusedOperation } {
  const { apply, slope, curvature, applyOp, slopeOp } = forms;
  return {
    reference: {
      forward(x) {
        const y = applyOp(x);
        return { output: y, saved: [y] };
      },
      backward(dy, [y]) {
        return { input: tf.mul(dy, slopeOp(y)), parameters: [] };
      },
    },
    fused: () => ({
      forward(x, y) {
        for (let i = 0; i < y.length; i++) y[i] = apply(x[i]);
      },
      backward(dy, dx, _x, y) {
        if (!dx) return;
        for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * slope(y[i]);
      },
      tangent(tx, ty, _x, y) {
        for (let i = 0; i < ty.length; i++) ty[i] = slope(y[i]) * tx[i];
      },
      secondOrder(tx, g, dx, _x, y) {
        if (!dx) return;
        for (let i = 0; i < dx.length; i++) dx[i] += g[i] * tx[i] * curvature(y[i]);
      },
    }),
  };
}

/**
 * A rectifier's reference passes: slope 1 above zero and `alpha` at and
 * below it (tf's `step(x, alpha)`); `alpha` 0 is the ReLU.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "@std/assert";
 * import { referenceRectifier } from "./activation.ts";
 * const { output } = referenceRectifier(() => 0.5).forward(tf.tensor3d([[[-2, 3]]]), [], {});
 * assertEquals(Array.from(output.dataSync()), [-1, 3]);
 * ```
 */
export function referenceRectifier<L>(alphaOf: (layer: L) => number): ReferenceOperation<L> {
  return {
    forward(x, _parameters, layer) {
      const alpha = alphaOf(layer);
      const output = alpha === 0 ? tf.relu(x) : tf.leakyRelu(x, alpha);
      return { output, saved: [x] };
    },
    backward(dy, [x], { layer }) {
      return { input: tf.mul(dy, tf.step(x, alphaOf(layer))), parameters: [] };
    },
  };
}

/**
 * A rectifier's fused passes, slope 1 above zero and `alpha` at and below
 * it: the kernels' (`kernels.rectify`), or loops where its kinks are
 * recorded or held.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedRectifier } from "./activation.ts";
 * import { scalarKernels } from "../kernels/mod.ts";
 * const dx = new Float32Array(2);
 * fusedRectifier(0.5, scalarKernels).backward(Float32Array.of(1, 1), dx, Float32Array.of(-2, 3), new Float32Array(2), new Float32Array(), undefined);
 * assertEquals(dx, Float32Array.of(0.5, 1));
 * ```
 */
export function fusedRectifier(alpha: number, kernels: Kernels): FusedOperation {
  let mode: KinkMode = "off";
  // The side of the kink each input was on when recorded (1 positive, 0 not).
  let sides = new Uint8Array(0);
  /** What decides each element's side: its input, or the recorded sides while they are held. */
  const sideOf = (x: Float32Array): ArrayLike<number> => mode === "held" ? sides : x;
  return {
    forward(x, y) {
      if (mode === "off") return kernels.rectify(x, y, alpha);
      if (mode === "record") {
        if (sides.length !== x.length) sides = new Uint8Array(x.length);
        for (let i = 0; i < x.length; i++) sides[i] = x[i] > 0 ? 1 : 0;
      }
      const side = sideOf(x);
      for (let i = 0; i < y.length; i++) y[i] = side[i] > 0 ? x[i] : alpha * x[i];
    },
    backward(dy, dx, x) {
      if (!dx) return;
      if (mode !== "held") return kernels.rectifyBackward(dy, x, dx, alpha);
      const side = sideOf(x);
      for (let i = 0; i < dx.length; i++) dx[i] = side[i] > 0 ? dy[i] : dy[i] * alpha;
    },
    tangent(tx, ty, x) {
      // The slope on the input's side, as the backward pass takes it.
      if (mode !== "held") return kernels.rectifyBackward(tx, x, ty, alpha);
      const side = sideOf(x);
      for (let i = 0; i < ty.length; i++) ty[i] = side[i] > 0 ? tx[i] : tx[i] * alpha;
    },
    // Piecewise linear: no curvature (almost everywhere).
    secondOrder() {},
    holdKinks(next) {
      mode = next;
    },
  };
}
