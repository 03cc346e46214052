/**
 * What every fused layer declares: its forward and backward passes as
 * loops over plain arrays of R runs × B samples × features, written next to
 * each other as `network.ts` writes the reference's tf ops.
 *
 * Buffers are row-major: activations `[R, B, n]`, a network's parameters
 * `[R, P]` (each run's packed vector, `parameters.ts`'s layout).
 *
 * @module
 */
import type { Layer } from "../../layers.ts";

/** Where a layer sits in its network's buffers. */
export interface FusedLayout {
  readonly runs: number;
  readonly batch: number;
  /** Where the layer's parameters start in each run's packed vector. */
  readonly offset: number;
  /** The packed vector's length (parameters per run). */
  readonly stride: number;
}

/** A spectrally normalised layer's power-iteration vectors: `u` `[R, out]`, `v` `[R, in]`. */
export interface FusedSpectral {
  readonly u: Float32Array;
  readonly v: Float32Array;
}

/** One layer's passes over R runs at once. */
export interface FusedOperation {
  /** `x` `[R, B, in]` → `y` `[R, B, out]`, keeping what the backward pass needs. */
  forward(
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
    spectral?: FusedSpectral,
  ): void;
  /**
   * From `dy` (the gradient at `y`): the gradient at `x` into `dx` when
   * given, and the layer's parameter gradients into `gradient` (`[R, P]`, at
   * the layer's offset) when given. `x`, `y` are the forward pass's.
   */
  backward(
    dy: Float32Array,
    dx: Float32Array | undefined,
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
    gradient: Float32Array | undefined,
  ): void;
}

/** A layer kind's fused form. */
export interface FusedLayerKind<L extends Layer> {
  create(layer: L, layout: FusedLayout): FusedOperation;
}

/**
 * An element-wise activation whose derivative is a function of its output,
 * e.g. the sigmoid's `y (1 − y)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { activationOfOutput } from "./kind.ts";
 * const square = activationOfOutput((x) => x * x, (y) => 2 * Math.sqrt(y));
 * const y = new Float32Array(1);
 * square.create({ type: "relu" }, { runs: 1, batch: 1, offset: 0, stride: 0 })
 *   .forward(Float32Array.of(3), y, new Float32Array());
 * assertEquals(y[0], 9);
 * ```
 */
export function activationOfOutput(
  apply: (x: number) => number,
  derivative: (y: number) => number,
): FusedLayerKind<Layer> {
  return {
    create: () => ({
      forward(x, y) {
        for (let i = 0; i < y.length; i++) y[i] = apply(x[i]);
      },
      backward(dy, dx, _x, y) {
        if (!dx) return;
        for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * derivative(y[i]);
      },
    }),
  };
}

/**
 * A rectifier with slope 1 above zero and `alpha` at and below it (tf's `step(x, alpha)`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rectifier } from "./kind.ts";
 * const dx = new Float32Array(2);
 * rectifier(0.5).backward(Float32Array.of(1, 1), dx, Float32Array.of(-2, 3), new Float32Array(2), new Float32Array(), undefined);
 * assertEquals(dx, Float32Array.of(0.5, 1));
 * ```
 */
export function rectifier(alpha: number): FusedOperation {
  return {
    forward(x, y) {
      for (let i = 0; i < y.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i];
    },
    backward(dy, dx, x) {
      if (!dx) return;
      for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * alpha;
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
 * import { normalisation } from "./kind.ts";
 * const y = new Float32Array(2);
 * normalisation("batch", { size: 1, eps: 0 }, { runs: 1, batch: 2, offset: 0, stride: 2 })
 *   .forward(Float32Array.of(2, 4), y, Float32Array.of(1, 0));
 * assertAlmostEquals(y[0], -1, 1e-6);
 * ```
 */
export function normalisation(
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
  };
}
