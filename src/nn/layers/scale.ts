/**
 * The elementwise scale, `y_i = w_i · x_i`: one weight per unit, no bias
 * (PyTorch's `nn.Linear(1, 1, bias=False)` at width 1). Every weight starts
 * at the layer's `start`, not at a random draw: the Dirac-GAN's players
 * (G(z) = θ with z = 1, D's score ψ·x) start at the paper's (1, 1).
 *
 * @example
 * ```ts
 * import { scalarKernels } from "../kernels/mod.ts";
 * import { assertEquals } from "@std/assert";
 * import { scale, scaleKind } from "./scale.ts";
 * const y = new Float32Array(2);
 * scaleKind.fused(scale(2, 1), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(3, 4), y, Float32Array.of(2, -1));
 * assertEquals(y, Float32Array.of(6, -4));
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  type FusedOperation,
  isPositiveInteger,
  type LayerKind,
  type ReferenceOperation,
  sumOverBatch,
} from "./kind.ts";

/** An elementwise scale of `width` units, each weight starting at `start`. */
export interface ScaleLayer {
  readonly type: "scale";
  readonly width: number;
  readonly start: number;
}

/**
 * An elementwise scale layer.
 *
 * @example
 * ```ts
 * import { scale } from "./scale.ts";
 * scale(1, 1); // { type: "scale", width: 1, start: 1 }
 * ```
 */
export function scale(width: number, start: number): ScaleLayer {
  return { type: "scale", width, start };
}

const reference: ReferenceOperation<ScaleLayer> = {
  forward: (x, [gain]) => ({ output: tf.mul(x, gain), saved: [x] }),
  backward(dy, [x], { parameters: [gain], wantsParameters, wantsInput }) {
    return {
      input: wantsInput ? tf.mul(dy, gain) : undefined,
      parameters: wantsParameters ? [sumOverBatch(tf.mul(dy, x))] : [],
    };
  },
};

/** The scale layer kind: one gain per unit, a constant start, both engines' passes. */
export const scaleKind: LayerKind<ScaleLayer> = {
  description: "elementwise scale, y = w ⊙ x (no bias; every weight starts at `start`)",
  slots: (layer) => [{ name: "gain", shape: [layer.width] }],
  initialise(layer, _slot, values) {
    values.fill(layer.start);
  },
  problem(layer, { width }) {
    if (!isPositiveInteger(layer.width)) return "width must be a positive integer";
    if (!Number.isFinite(layer.start)) return `start ${layer.start} must be a finite number`;
    if (layer.width !== width) return `has ${layer.width} units but receives ${width}`;
    return undefined;
  },
  outputWidth: (layer) => layer.width,
  reference,
  fused(layer, { runs, batch, offset }): FusedOperation {
    const n = layer.width;
    const columns = runs * batch;
    /** Calls `visit(at, weight)` for every unit and column: `at` the element, `weight` its gain's index. */
    const each = (visit: (at: number, weight: number) => void) => {
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < columns; c++) {
          visit(i * columns + c, (offset + i) * runs + Math.floor(c / batch));
        }
      }
    };
    return {
      forward(x, y, parameters) {
        each((at, w) => y[at] = parameters[w] * x[at]);
      },
      backward(dy, dx, x, _y, parameters, gradient) {
        if (gradient) {
          gradient.fill(0, offset * runs, (offset + n) * runs);
          each((at, w) => gradient[w] += dy[at] * x[at]);
        }
        if (dx) each((at, w) => dx[at] = dy[at] * parameters[w]);
      },
      tangent(tx, ty, _x, _y, parameters) {
        each((at, w) => ty[at] = parameters[w] * tx[at]);
      },
      // ⟨g, w ⊙ tx⟩ has no x term; its derivative in w is Σ_b g ⊙ tx.
      secondOrder(tx, g, _dx, _x, _y, _parameters, gradient) {
        each((at, w) => gradient[w] += g[at] * tx[at]);
      },
    };
  },
};
