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
 * Each (run, sample) of layer norm, or (run, feature) of batch norm, is a
 * group of `count` numbers `step` apart.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { fusedNormalisation } from "./normalisation.ts";
 * const y = new Float32Array(2);
 * fusedNormalisation("batch", { size: 1, eps: 0 }, { runs: 1, batch: 2, offset: 0, stride: 2 })
 *   .forward(Float32Array.of(2, 4), y, Float32Array.of(1, 0));
 * assertAlmostEquals(y[0], -1, 1e-6);
 * ```
 */
export function fusedNormalisation(
  over: "features" | "batch",
  layer: { readonly size: number; readonly eps: number },
  { runs, batch, offset, stride }: FusedLayout,
): FusedOperation {
  const n = layer.size;
  const eps = layer.eps;
  const byFeatures = over === "features";
  const count = byFeatures ? n : batch;
  const step = byFeatures ? 1 : n;
  const groupsPerRun = byFeatures ? batch : n;
  // The first number of group g of a run, relative to the run's first, and the feature stride.
  const firstOf = (g: number) => (byFeatures ? g * n : g);
  const featureStep = byFeatures ? 1 : 0;
  const normalised = new Float32Array(runs * batch * n);
  const inverseStd = new Float32Array(runs * groupsPerRun);
  return {
    forward(x, y, parameters) {
      for (let r = 0; r < runs; r++) {
        const gains = r * stride + offset;
        const offsets = gains + n;
        for (let g = 0; g < groupsPerRun; g++) {
          const first = r * batch * n + firstOf(g);
          let sum = 0;
          for (let k = 0, i = first; k < count; k++, i += step) sum += x[i];
          const mean = Math.fround(sum / count);
          let squares = 0;
          for (let k = 0, i = first; k < count; k++, i += step) {
            const centred = Math.fround(x[i] - mean);
            squares += centred * centred;
          }
          const rstd = 1 / Math.sqrt(Math.fround(squares / count) + eps);
          inverseStd[r * groupsPerRun + g] = rstd;
          for (let k = 0, i = first, f = byFeatures ? 0 : g; k < count; k++, i += step) {
            const xhat = normalised[i] = Math.fround(x[i] - mean) * rstd;
            y[i] = xhat * parameters[gains + f] + parameters[offsets + f];
            f += featureStep;
          }
        }
      }
    },
    backward(dy, dx, _x, _y, parameters, gradient) {
      for (let r = 0; r < runs; r++) {
        const gains = r * stride + offset;
        if (gradient) {
          for (let f = 0; f < n; f++) {
            let gain = 0;
            let shift = 0;
            for (let b = 0, i = r * batch * n + f; b < batch; b++, i += n) {
              gain += dy[i] * normalised[i];
              shift += dy[i];
            }
            gradient[gains + f] = gain;
            gradient[gains + n + f] = shift;
          }
        }
        if (!dx) continue;
        for (let g = 0; g < groupsPerRun; g++) {
          const first = r * batch * n + firstOf(g);
          let sum = 0;
          let dot = 0;
          for (let k = 0, i = first, f = byFeatures ? 0 : g; k < count; k++, i += step) {
            const dxhat = dy[i] * parameters[gains + f];
            sum += dxhat;
            dot += dxhat * normalised[i];
            f += featureStep;
          }
          const meanDxhat = sum / count;
          const meanDot = dot / count;
          const rstd = inverseStd[r * groupsPerRun + g];
          for (let k = 0, i = first, f = byFeatures ? 0 : g; k < count; k++, i += step) {
            const dxhat = dy[i] * parameters[gains + f];
            dx[i] = rstd * (dxhat - meanDxhat - normalised[i] * meanDot);
            f += featureStep;
          }
        }
      }
    },
    tangent(tx, ty, _x, _y, parameters) {
      for (let r = 0; r < runs; r++) {
        const gains = r * stride + offset;
        for (let g = 0; g < groupsPerRun; g++) {
          const first = r * batch * n + firstOf(g);
          const rstd = inverseStd[r * groupsPerRun + g];
          const { mean, dot } = tangentMeans(tx, first);
          for (let k = 0, i = first, f = byFeatures ? 0 : g; k < count; k++, i += step) {
            ty[i] = parameters[gains + f] * rstd * (tx[i] - mean - normalised[i] * dot);
            f += featureStep;
          }
        }
      }
    },
    // With h = g · gain, Q = Σ h ẋ̂ where ẋ̂ = rstd (ẋ − mean ẋ − x̂ m), m = mean(x̂ ẋ):
    // ∂Q/∂gain = Σ g ẋ̂ and ∂Q/∂x_k = −rstd² x̂_k (A − m H)/n − rstd H ẋ̂_k/n
    // − rstd² m (h_k − mean h − x̂_k H/n), with A = Σ h (ẋ − mean ẋ), H = Σ h x̂.
    secondOrder(tx, g, dx, _x, _y, parameters, gradient) {
      for (let r = 0; r < runs; r++) {
        const gains = r * stride + offset;
        for (let group = 0; group < groupsPerRun; group++) {
          const first = r * batch * n + firstOf(group);
          const rstd = inverseStd[r * groupsPerRun + group];
          const { mean, dot } = tangentMeans(tx, first);
          let A = 0;
          let H = 0;
          let sumH = 0;
          for (let k = 0, i = first, f = byFeatures ? 0 : group; k < count; k++, i += step) {
            const h = g[i] * parameters[gains + f];
            const tangent = rstd * (tx[i] - mean - normalised[i] * dot);
            gradient[gains + f] += g[i] * tangent;
            A += h * (tx[i] - mean);
            H += h * normalised[i];
            sumH += h;
            f += featureStep;
          }
          if (!dx) continue;
          const meanH = sumH / count;
          for (let k = 0, i = first, f = byFeatures ? 0 : group; k < count; k++, i += step) {
            const h = g[i] * parameters[gains + f];
            const xhat = normalised[i];
            const tangent = rstd * (tx[i] - mean - xhat * dot);
            dx[i] += -rstd * rstd * xhat * (A - dot * H) / count - rstd * H * tangent / count -
              rstd * rstd * dot * (h - meanH - xhat * H / count);
            f += featureStep;
          }
        }
      }
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
