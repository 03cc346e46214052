/**
 * The fully connected layer, `y = x W + b` (PyTorch's `nn.Linear(in, out)`)
 * with the kernel `W` stored `[in, out]`; with spectral norm, `W / σ` as
 * `torch.nn.utils.spectral_norm` wraps it: `σ = vᵀ W u` from the
 * power-iteration vectors (one iteration per forward pass, a persistent `u`
 * per run, held constant in the backward pass as PyTorch holds them), and
 * `∂L/∂W = (G − ⟨G, W/σ⟩ v uᵀ) / σ`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { linear, linearKind } from "./linear.ts";
 * import { scalarKernels } from "../kernels/mod.ts";
 * const y = new Float32Array(1);
 * linearKind.fused(linear(2, 1), { runs: 1, batch: 1, offset: 0, kernels: scalarKernels })
 *   .forward(Float32Array.of(1, 2), y, Float32Array.of(3, 4, 0.5));
 * assertEquals(y[0], 11.5);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { uniform } from "../../core/random.ts";
import { INITIALISATION_KINDS, type LinearInitialisation } from "../initialisations/mod.ts";
import {
  type FusedLayout,
  type FusedOperation,
  type FusedSpectral,
  isPositiveInteger,
  type LayerKind,
  NetworkError,
  type ReferenceOperation,
  sumOverBatch,
} from "./kind.ts";

/** A fully connected layer; `spectralNorm` divides its kernel by its largest singular value. */
export interface LinearLayer {
  readonly type: "linear";
  readonly in: number;
  readonly out: number;
  readonly spectralNorm?: boolean;
  /** Its kernel's initialisation (bias zero); absent: PyTorch's default for both. */
  readonly init?: LinearInitialisation;
}

/**
 * A fully connected layer.
 *
 * @example
 * ```ts
 * import { linear } from "./linear.ts";
 * linear(6, 3); // { type: "linear", in: 6, out: 3 }
 * ```
 */
export function linear(inputs: number, outputs: number): LinearLayer {
  return { type: "linear", in: inputs, out: outputs };
}

/**
 * A fully connected layer with spectral normalisation (Miyato et al. 2018).
 *
 * @example
 * ```ts
 * import { spectralLinear } from "./linear.ts";
 * spectralLinear(6, 3); // { type: "linear", in: 6, out: 3, spectralNorm: true }
 * ```
 */
export function spectralLinear(inputs: number, outputs: number): LinearLayer {
  return { type: "linear", in: inputs, out: outputs, spectralNorm: true };
}

const reference: ReferenceOperation<LinearLayer> = {
  forward(x, [kernel, bias], layer, spectral) {
    if (!layer.spectralNorm) return { output: tf.add(tf.matMul(x, kernel), bias), saved: [x] };
    if (!spectral) throw new NetworkError("a spectrally normalised layer needs its u and v");
    // σ = uᵀ W v with W = kernelᵀ: vᵀ (kernel u), from u and v held constant.
    const { u, v } = spectral;
    const sigma = tf.sum(tf.mul(v, tf.matMul(kernel, u)), [1, 2], true);
    const normalised = tf.div(kernel, sigma);
    return {
      output: tf.add(tf.matMul(x, normalised), bias),
      saved: [x, normalised, sigma, u, v],
    };
  },
  backward(dy, saved, { layer, parameters: [kernel], wantsParameters, wantsInput }) {
    const [x, normalised, sigma, u, v] = saved;
    const parameters: tf.Tensor[] = [];
    if (wantsParameters) {
      const runs = dy.shape[0];
      let dKernel = tf.matMul(x, dy, true, false);
      if (layer.spectralNorm) {
        // ∂L/∂W = (G − ⟨G, W/σ⟩ u vᵀ) / σ, in the kernel's [in, out] layout.
        const inner = tf.sum(tf.mul(dKernel, normalised), [1, 2], true);
        const outer = tf.matMul(v, u, false, true);
        dKernel = tf.div(tf.sub(dKernel, tf.mul(inner, outer)), sigma);
      }
      parameters.push(
        tf.reshape(dKernel, [runs, 1, layer.in * layer.out]),
        sumOverBatch(dy),
      );
    }
    const input = wantsInput
      ? tf.matMul(dy, layer.spectralNorm ? normalised : kernel, false, true)
      : undefined;
    return { input, parameters };
  },
};

/** The linear layer: slots, PyTorch's initialisation, checks and both engines' passes. */
export const linearKind: LayerKind<LinearLayer> = {
  description: "fully connected, y = x W + b (optionally W / σ(W), spectral norm)",
  slots: (layer) => [
    { name: "kernel", shape: [layer.in, layer.out] },
    { name: "bias", shape: [layer.out] },
  ],
  initialise(layer, slot, values, random) {
    if (layer.init) {
      const shape = { inputs: layer.in, outputs: layer.out };
      if (slot === "kernel") {
        INITIALISATION_KINDS[layer.init.name].kernel(values, shape, layer.init.gain, random);
      } else values.fill(0);
      return;
    }
    const bound = 1 / Math.sqrt(layer.in);
    for (let i = 0; i < values.length; i++) values[i] = uniform(random, -bound, bound);
  },
  problem(layer, { width }) {
    if (!isPositiveInteger(layer.in) || !isPositiveInteger(layer.out)) {
      return "in and out must be positive integers";
    }
    if (layer.in !== width) return `takes ${layer.in} inputs but receives ${width}`;
    return undefined;
  },
  outputWidth: (layer) => layer.out,
  reference,
  fused(layer, { runs, batch, offset, kernels }): FusedOperation {
    const [n, m] = [layer.in, layer.out];
    const kernelSize = n * m;
    const bias = offset + kernelSize;
    const columns = runs * batch;
    const forward = { runs, batch, inputs: n, outputs: m, strideIn: m, strideOut: 1 };
    const backward = { runs, batch, inputs: m, outputs: n, strideIn: 1, strideOut: m };
    const gradientShape = { runs, batch, inputs: n, outputs: m };
    // With spectral norm: each run's W / σ (`[in·out, R]`, the parameters' layout) and σ.
    const normalised = layer.spectralNorm ? kernels.floats(kernelSize * runs) : undefined;
    const sigmas = new Float32Array(runs);
    // The power-iteration vectors this pass used, copied: another pass may advance them before
    // this one's backward pass (a loss that reads two passes first), which must see these.
    const vectors: FusedSpectral | undefined = layer.spectralNorm
      ? { u: new Float32Array(runs * m), v: new Float32Array(runs * n) }
      : undefined;
    // With spectral norm, the kernel's gradient before its projection (second order).
    const raw = layer.spectralNorm ? kernels.floats(kernelSize * runs) : undefined;
    /** The array and parameter index the kernel W (or W / σ) is read from. */
    const kernelOf = (parameters: Float32Array): [Float32Array, number] =>
      normalised ? [normalised, 0] : [parameters, offset];
    /**
     * `∂L/∂W = (G − ⟨G, W/σ⟩ v uᵀ) / σ` for each run, from `G` at `from` (index `at`)
     * into `into` at `to`; set, or added with `add`.
     */
    const project = (
      from: Float32Array,
      at: number,
      into: Float32Array,
      to: number,
      add: boolean,
    ) => {
      const { u, v } = vectors!;
      for (let r = 0; r < runs; r++) {
        let inner = 0;
        for (let k = 0; k < kernelSize; k++) {
          inner += from[(at + k) * runs + r] * normalised![k * runs + r];
        }
        const [sigma, dot] = [sigmas[r], Math.fround(inner)];
        for (let i = 0; i < n; i++) {
          for (let o = 0; o < m; o++) {
            const k = i * m + o;
            const value =
              (from[(at + k) * runs + r] - dot * Math.fround(v[r * n + i] * u[r * m + o])) /
              sigma;
            const place = (to + k) * runs + r;
            into[place] = add ? Math.fround(into[place] + value) : value;
          }
        }
      }
    };
    return {
      forward(x, y, parameters, spectral) {
        if (normalised) {
          if (!spectral) throw new Error("a spectrally normalised layer needs its u and v");
          vectors!.u.set(spectral.u);
          vectors!.v.set(spectral.v);
          for (let r = 0; r < runs; r++) {
            const sigma = sigmas[r] = spectralSigma(parameters, offset, n, m, runs, spectral, r);
            for (let k = 0; k < kernelSize; k++) {
              normalised[k * runs + r] = parameters[(offset + k) * runs + r] / sigma;
            }
          }
          // W / σ, then the bias added as the kernel adds it.
          kernels.dense(x, y, normalised, 0, undefined, forward);
          for (let o = 0; o < m; o++) {
            for (let c = 0; c < columns; c++) {
              const r = Math.floor(c / batch);
              y[o * columns + c] = Math.fround(
                y[o * columns + c] + parameters[(bias + o) * runs + r],
              );
            }
          }
        } else kernels.dense(x, y, parameters, offset, bias, forward);
      },
      backward(dy, dx, x, _y, parameters, gradient) {
        if (gradient) {
          kernels.denseGradient(x, dy, gradient, offset, bias, gradientShape, false);
          if (normalised) project(gradient, offset, gradient, offset, false);
        }
        if (dx) {
          const [kernel, at] = kernelOf(parameters);
          kernels.dense(dy, dx, kernel, at, undefined, backward);
        }
      },
      tangent(tx, ty, _x, _y, parameters) {
        const [kernel, at] = kernelOf(parameters);
        kernels.dense(tx, ty, kernel, at, undefined, forward);
      },
      // ⟨g, tx W⟩ is linear in x (no x term) and bilinear in (tx, W): ∂/∂W = Σ_b txᵀ g,
      // through W / σ with spectral norm as the first-order gradient goes.
      secondOrder(tx, g, _dx, _x, _y, _parameters, gradient) {
        if (!raw) {
          kernels.denseGradient(tx, g, gradient, offset, undefined, gradientShape, true);
          return;
        }
        kernels.denseGradient(tx, g, raw, 0, undefined, gradientShape, false);
        project(raw, 0, gradient, offset, true);
      },
    };
  },
};

/** `x / max(‖x‖, 1e-12)` over axis 1 of `[R, n, 1]`, as PyTorch's `normalize`. */
function normalise(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.maximum(tf.norm(x, "euclidean", 1, true), constant(1e-12)));
}

/**
 * One power iteration on a spectrally normalised layer's reference vectors
 * (what each forward pass of a wrapped network does first in PyTorch):
 * `v = normalise(W u)`, `u = normalise(Wᵀ v)` with W stored `[in, out]`.
 * Returns the new vectors.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { referencePowerIteration } from "./linear.ts";
 * const next = referencePowerIteration(tf.tensor3d([[[3], [4]]]), { u: tf.ones([1, 1, 1]) });
 * next.v.dataSync(); // [0.6, 0.8]
 * ```
 */
export function referencePowerIteration(
  kernel: tf.Tensor,
  vectors: { readonly u: tf.Tensor },
): { u: tf.Tensor; v: tf.Tensor } {
  const v = normalise(tf.matMul(kernel, vectors.u));
  const u = normalise(tf.matMul(kernel, v, true, false));
  return { u, v };
}

/** `σ = vᵀ (W u)` for run `r`'s kernel, whose first parameter is `offset` (`[in, out]`, `[P, R]`). */
function spectralSigma(
  parameters: Float32Array,
  offset: number,
  n: number,
  m: number,
  runs: number,
  { u, v }: FusedSpectral,
  r: number,
): number {
  let sigma = 0;
  for (let i = 0; i < n; i++) {
    let wu = 0;
    for (let o = 0; o < m; o++) wu += parameters[(offset + i * m + o) * runs + r] * u[r * m + o];
    sigma += v[r * n + i] * Math.fround(wu);
  }
  return Math.fround(sigma);
}

/**
 * One power iteration on a spectrally normalised layer's vectors, in place
 * (what each forward pass of a wrapped network does first in PyTorch):
 * `v = normalise(W u)`, `u = normalise(Wᵀ v)` with W stored `[in, out]`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { fusedPowerIteration } from "./linear.ts";
 * const vectors = { u: Float32Array.of(1), v: Float32Array.of(1, 1) };
 * fusedPowerIteration({ type: "linear", in: 2, out: 1 }, { runs: 1, offset: 0 },
 *   Float32Array.of(3, 4, 0), vectors);
 * assertAlmostEquals(vectors.v[0], 0.6, 1e-7);
 * ```
 */
export function fusedPowerIteration(
  layer: LinearLayer,
  { runs, offset }: Pick<FusedLayout, "runs" | "offset">,
  parameters: Float32Array,
  { u, v }: FusedSpectral,
): void {
  const [n, m] = [layer.in, layer.out];
  const normalise = (values: Float32Array, from: number, size: number) => {
    let squares = 0;
    for (let k = 0; k < size; k++) squares += values[from + k] * values[from + k];
    const norm = Math.max(Math.fround(Math.sqrt(squares)), 1e-12);
    for (let k = 0; k < size; k++) values[from + k] /= norm;
  };
  const w = (r: number, i: number, o: number) => parameters[(offset + i * m + o) * runs + r];
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let o = 0; o < m; o++) sum += w(r, i, o) * u[r * m + o];
      v[r * n + i] = sum;
    }
    normalise(v, r * n, n);
    for (let o = 0; o < m; o++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += w(r, i, o) * v[r * n + i];
      u[r * m + o] = sum;
    }
    normalise(u, r * m, m);
  }
}
