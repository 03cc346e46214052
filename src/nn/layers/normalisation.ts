/**
 * What layer norm and batch norm share: a gain and an offset per feature
 * over a normalisation along one axis, their slots, checks and both
 * engines' passes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { centering, constant } from "../../core/constants.ts";
import type {
  FusedLayout,
  FusedOperation,
  LayerInput,
  ReferenceOperation,
  SlotName,
  SlotShape,
} from "./kind.ts";
import { sumOverBatch } from "./kind.ts";

/**
 * A normalisation with a gain and an offset per feature: `layer_norm` over
 * each sample's features, `batch_norm` over the batch (training statistics).
 */
export interface NormLayer {
  readonly type: "layer_norm" | "batch_norm";
  readonly size: number;
  readonly eps: number;
}

/**
 * The slots, initial values and checks both normalisations share.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NORM_PARTS } from "./normalisation.ts";
 * const layer = { type: "layer_norm", size: 3, eps: 1e-5 } as const;
 * assertEquals(NORM_PARTS.slots(layer).map((slot) => slot.name), ["gain", "offset"]);
 * assertEquals(NORM_PARTS.problem(layer, { width: 4, batchSize: 1 }), "normalises 3 features but receives 4");
 * ```
 */
export const NORM_PARTS = {
  slots: (layer: NormLayer): readonly SlotShape[] => [
    { name: "gain", shape: [layer.size] },
    { name: "offset", shape: [layer.size] },
  ],
  initialise(_layer: NormLayer, slot: SlotName, values: Float32Array): void {
    if (slot === "gain") values.fill(1);
  },
  problem(layer: NormLayer, { width, batchSize }: LayerInput): string | undefined {
    if (layer.size !== width) return `normalises ${layer.size} features but receives ${width}`;
    if (!(layer.eps > 0)) return "eps must be > 0";
    if (layer.type === "batch_norm" && batchSize < 2) {
      return `batch_norm needs a batch size of at least 2 (got ${batchSize})`;
    }
    return undefined;
  },
  outputWidth: (_layer: NormLayer, width: number): number => width,
};

/**
 * Normalisation over one axis with a gain and offset per feature: axis 2
 * (each sample's features) is layer norm, axis 1 (the batch) is batch norm.
 * Layer norm centres with one matmul by `I − 1/n` instead of a mean and a
 * subtraction.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertAlmostEquals } from "@std/assert";
 * import { referenceNormalisation } from "./normalisation.ts";
 * const layer = { type: "batch_norm", size: 1, eps: 0 } as const;
 * const { output } = referenceNormalisation(1).forward(
 *   tf.tensor3d([[[2], [4]]]), [tf.ones([1, 1, 1]), tf.zeros([1, 1, 1])], layer);
 * assertAlmostEquals(output.dataSync()[0], -1, 1e-6);
 * ```
 */
export function referenceNormalisation(axis: 1 | 2): ReferenceOperation<NormLayer> {
  const centre = (x: tf.Tensor) =>
    axis === 2
      ? tf.matMul(x, centering(x.shape[0], x.shape[2]!))
      : tf.sub(x, tf.mean(x, axis, true));
  return {
    forward(x, [gain, offset], layer) {
      const centred = centre(x);
      const variance = tf.mean(tf.square(centred), axis, true);
      const inverseStd = tf.rsqrt(tf.add(variance, constant(layer.eps)));
      const normalised = tf.mul(centred, inverseStd);
      return {
        output: tf.add(tf.mul(normalised, gain), offset),
        saved: [normalised, inverseStd],
      };
    },
    backward(dy, [xhat, inverseStd], { parameters: [gain], wantsParameters, wantsInput }) {
      const parameters: tf.Tensor[] = [];
      if (wantsParameters) parameters.push(sumOverBatch(tf.mul(dy, xhat)), sumOverBatch(dy));
      if (!wantsInput) return { parameters };
      // dx = rstd · (centre(dxhat) − xhat · mean(dxhat · xhat)), PyTorch's formula.
      const dxhat = tf.mul(dy, gain);
      if (axis === 2 && xhat.shape[1] === 1) {
        // One sample per run: the same as dxhat @ (C − xhatᵀ xhat / n), in fewer kernels.
        const [runs, , n] = xhat.shape as number[];
        const outer = tf.mul(tf.matMul(xhat, xhat, true, false), constant(1 / n));
        const jacobian = tf.sub(centering(runs, n), outer);
        return { input: tf.mul(tf.matMul(dxhat, jacobian), inverseStd), parameters };
      }
      const input = tf.mul(
        tf.sub(centre(dxhat), tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), axis, true))),
        inverseStd,
      );
      return { input, parameters };
    },
  };
}

/**
 * Normalisation with a gain and an offset per feature, over each sample's
 * `size` features (layer norm) or over the batch for each feature (batch
 * norm): `y = gain · (x − mean) / √(var + eps) + offset`, and PyTorch's
 * backward `dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂))`.
 *
 * In the fused layout (`[size, C]`), a layer norm group is a column (its
 * `size` features, C apart), a batch norm group one feature of one run (its
 * B samples, side by side). Layer norm's forward and backward passes and
 * both kinds' parameter gradients are the kernels'; batch norm's passes are
 * loops with the kernels' arithmetic (every operation in float32).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { fusedNormalisation } from "./normalisation.ts";
 * import { scalarKernels } from "../kernels/mod.ts";
 * const y = new Float32Array(2);
 * fusedNormalisation("batch", { size: 1, eps: 0 }, { runs: 1, batch: 2, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(2, 4), y, Float32Array.of(1, 0));
 * assertAlmostEquals(y[0], -1, 1e-6);
 * ```
 */
export function fusedNormalisation(
  over: "features" | "batch",
  layer: { readonly size: number; readonly eps: number },
  { runs, batch, offset, kernels }: FusedLayout,
): FusedOperation {
  const n = layer.size;
  const eps = layer.eps;
  const byFeatures = over === "features";
  const columns = runs * batch;
  const count = byFeatures ? n : batch;
  const step = byFeatures ? columns : 1;
  const groupCount = byFeatures ? columns : runs * n;
  /** Group g's first element, its run, and the feature of its k-th element. */
  const groupOf = (g: number) =>
    byFeatures ? { first: g, run: Math.floor(g / batch), feature: (k: number) => k } : {
      first: (g % n) * columns + Math.floor(g / n) * batch,
      run: Math.floor(g / n),
      feature: () => g % n,
    };
  const groups = Array.from({ length: groupCount }, (_, g) => groupOf(g));
  const shape = { runs, batch, size: n, eps };
  const normalised = kernels.floats(n * columns);
  const inverseStd = kernels.floats(groupCount);
  const f = Math.fround;
  const [count32, eps32] = [f(count), f(eps)];
  const gainOf = (parameters: Float32Array, feature: number, run: number) =>
    parameters[(offset + feature) * runs + run];
  return {
    forward(x, y, parameters) {
      if (byFeatures) {
        kernels.layerNorm(x, y, normalised, inverseStd, parameters, offset, shape);
        return;
      }
      groups.forEach(({ first, run, feature }, g) => {
        let sum = 0;
        for (let k = 0, i = first; k < count; k++, i += step) sum = f(sum + x[i]);
        const mean = f(sum / count32);
        let squares = 0;
        for (let k = 0, i = first; k < count; k++, i += step) {
          const centred = f(x[i] - mean);
          squares = f(squares + f(centred * centred));
        }
        const rstd = inverseStd[g] = f(1 / f(Math.sqrt(f(f(squares / count32) + eps32))));
        for (let k = 0, i = first; k < count; k++, i += step) {
          const xhat = normalised[i] = f(f(x[i] - mean) * rstd);
          const [gain, shift] = [
            gainOf(parameters, feature(k), run),
            gainOf(parameters, n + feature(k), run),
          ];
          y[i] = f(f(xhat * gain) + shift);
        }
      });
    },
    backward(dy, dx, _x, _y, parameters, gradient) {
      if (byFeatures) {
        kernels.layerNormBackward(
          dy,
          dx,
          normalised,
          inverseStd,
          parameters,
          offset,
          gradient,
          shape,
        );
        return;
      }
      // The gains' and offsets' gradients are the same sums for both kinds: the kernels'.
      if (gradient) {
        kernels.layerNormBackward(
          dy,
          undefined,
          normalised,
          inverseStd,
          parameters,
          offset,
          gradient,
          shape,
        );
      }
      if (!dx) return;
      groups.forEach(({ first, run, feature }, g) => {
        let [sum, dot] = [0, 0];
        for (let k = 0, i = first; k < count; k++, i += step) {
          const d = f(dy[i] * gainOf(parameters, feature(k), run));
          sum = f(sum + d);
          dot = f(dot + f(d * normalised[i]));
        }
        const [meanD, meanDot, rstd] = [f(sum / count32), f(dot / count32), inverseStd[g]];
        for (let k = 0, i = first; k < count; k++, i += step) {
          const d = f(dy[i] * gainOf(parameters, feature(k), run));
          dx[i] = f(rstd * f(f(d - meanD) - f(normalised[i] * meanDot)));
        }
      });
    },
    tangent(tx, ty, _x, _y, parameters) {
      groups.forEach(({ first, run, feature }, g) => {
        const rstd = inverseStd[g];
        const { mean, dot } = tangentMeans(tx, first);
        for (let k = 0, i = first; k < count; k++, i += step) {
          ty[i] = gainOf(parameters, feature(k), run) * rstd * (tx[i] - mean - normalised[i] * dot);
        }
      });
    },
    // With h = g · gain, Q = Σ h ẋ̂ where ẋ̂ = rstd (ẋ − mean ẋ − x̂ m), m = mean(x̂ ẋ):
    // ∂Q/∂gain = Σ g ẋ̂ and ∂Q/∂x_k = −rstd² x̂_k (A − m H)/n − rstd H ẋ̂_k/n
    // − rstd² m (h_k − mean h − x̂_k H/n), with A = Σ h (ẋ − mean ẋ), H = Σ h x̂.
    secondOrder(tx, g, dx, _x, _y, parameters, gradient) {
      groups.forEach(({ first, run, feature }, group) => {
        const rstd = inverseStd[group];
        const { mean, dot } = tangentMeans(tx, first);
        let A = 0;
        let H = 0;
        let sumH = 0;
        for (let k = 0, i = first; k < count; k++, i += step) {
          const h = g[i] * gainOf(parameters, feature(k), run);
          const tangent = rstd * (tx[i] - mean - normalised[i] * dot);
          const place = (offset + feature(k)) * runs + run;
          gradient[place] = f(gradient[place] + g[i] * tangent);
          A += h * (tx[i] - mean);
          H += h * normalised[i];
          sumH += h;
        }
        if (!dx) return;
        const meanH = sumH / count;
        for (let k = 0, i = first; k < count; k++, i += step) {
          const h = g[i] * gainOf(parameters, feature(k), run);
          const xhat = normalised[i];
          const tangent = rstd * (tx[i] - mean - xhat * dot);
          dx[i] += -rstd * rstd * xhat * (A - dot * H) / count - rstd * H * tangent / count -
            rstd * rstd * dot * (h - meanH - xhat * H / count);
        }
      });
    },
  };

  /** A tangent's mean over a group and its mean product with x̂ (`m`). */
  function tangentMeans(tx: Float32Array, first: number): { mean: number; dot: number } {
    let sum = 0;
    let dot = 0;
    for (let k = 0, i = first; k < count; k++, i += step) {
      sum += tx[i];
      dot += normalised[i] * tx[i];
    }
    return { mean: sum / count, dot: dot / count };
  }
}
