/**
 * A fully connected layer, fused: `y = x W + b` with the kernel `W` stored
 * `[in, out]`; with spectral norm, `W / σ` where `σ = vᵀ W u` from the
 * power-iteration vectors (held constant in the backward pass, as PyTorch
 * holds them), and `∂L/∂W = (G − ⟨G, W/σ⟩ v uᵀ) / σ`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { linear } from "./linear.ts";
 * const y = new Float32Array(1);
 * linear.create({ type: "linear", in: 2, out: 1 }, { runs: 1, batch: 1, offset: 0, stride: 3 })
 *   .forward(Float32Array.of(1, 2), y, Float32Array.of(3, 4, 0.5));
 * assertEquals(y[0], 11.5);
 * ```
 *
 * @module
 */
import type { LinearLayer } from "../../layers.ts";
import type { FusedLayerKind, FusedLayout, FusedOperation, FusedSpectral } from "./kind.ts";

/** The linear layer's fused form. */
export const linear: FusedLayerKind<LinearLayer> = {
  create(layer, { runs, batch, offset, stride }): FusedOperation {
    const [n, m] = [layer.in, layer.out];
    const kernelSize = n * m;
    // With spectral norm: each run's W / σ (`[R, in, out]`) and σ, from the forward pass.
    const normalised = layer.spectralNorm ? new Float32Array(runs * kernelSize) : undefined;
    const sigmas = new Float32Array(runs);
    let vectors: FusedSpectral | undefined;
    return {
      forward(x, y, parameters, spectral) {
        if (normalised) {
          if (!spectral) throw new Error("a spectrally normalised layer needs its u and v");
          vectors = spectral;
          for (let r = 0; r < runs; r++) {
            const base = r * stride + offset;
            const sigma = sigmas[r] = spectralSigma(parameters, base, n, m, spectral, r);
            for (let k = 0; k < kernelSize; k++) {
              normalised[r * kernelSize + k] = parameters[base + k] / sigma;
            }
          }
        }
        // The kernel each run multiplies by: its parameters, or W / σ.
        const kernel = normalised ?? parameters;
        for (let r = 0; r < runs; r++) {
          const k0 = normalised ? r * kernelSize : r * stride + offset;
          const bias = r * stride + offset + kernelSize;
          for (let b = 0; b < batch; b++) {
            const xi = (r * batch + b) * n;
            const yo = (r * batch + b) * m;
            for (let o = 0; o < m; o++) {
              let sum = 0;
              for (let i = 0; i < n; i++) sum += x[xi + i] * kernel[k0 + i * m + o];
              y[yo + o] = Math.fround(sum) + parameters[bias + o];
            }
          }
        }
      },
      backward(dy, dx, x, _y, parameters, gradient) {
        const kernel = normalised ?? parameters;
        for (let r = 0; r < runs; r++) {
          const k0 = normalised ? r * kernelSize : r * stride + offset;
          if (gradient) {
            const base = r * stride + offset;
            // Σ over the batch of each sample's outer product xᵀ dy, and of dy for the bias.
            for (let b = 0; b < batch; b++) {
              const xi = (r * batch + b) * n;
              const yo = (r * batch + b) * m;
              for (let i = 0; i < n; i++) {
                const xv = x[xi + i];
                const row = base + i * m;
                if (b === 0) { for (let o = 0; o < m; o++) gradient[row + o] = xv * dy[yo + o]; }
                else for (let o = 0; o < m; o++) gradient[row + o] += xv * dy[yo + o];
              }
              const bias = base + kernelSize;
              if (b === 0) { for (let o = 0; o < m; o++) gradient[bias + o] = dy[yo + o]; }
              else for (let o = 0; o < m; o++) gradient[bias + o] += dy[yo + o];
            }
            if (normalised && vectors) {
              const { u, v } = vectors;
              let inner = 0;
              for (let k = 0; k < kernelSize; k++) {
                inner += gradient[base + k] * normalised[r * kernelSize + k];
              }
              const [sigma, dot] = [sigmas[r], Math.fround(inner)];
              for (let i = 0; i < n; i++) {
                for (let o = 0; o < m; o++) {
                  const k = base + i * m + o;
                  gradient[k] = (gradient[k] - dot * Math.fround(v[r * n + i] * u[r * m + o])) /
                    sigma;
                }
              }
            }
          }
          if (dx) {
            for (let b = 0; b < batch; b++) {
              const xi = (r * batch + b) * n;
              const yo = (r * batch + b) * m;
              for (let i = 0; i < n; i++) {
                let sum = 0;
                for (let o = 0; o < m; o++) sum += dy[yo + o] * kernel[k0 + i * m + o];
                dx[xi + i] = sum;
              }
            }
          }
        }
      },
    };
  },
};

/** `σ = vᵀ (W u)` for run `r`'s kernel starting at `base` (`[in, out]`). */
function spectralSigma(
  parameters: Float32Array,
  base: number,
  n: number,
  m: number,
  { u, v }: FusedSpectral,
  r: number,
): number {
  let sigma = 0;
  for (let i = 0; i < n; i++) {
    let wu = 0;
    for (let o = 0; o < m; o++) wu += parameters[base + i * m + o] * u[r * m + o];
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
 * import { advanceSpectral } from "./linear.ts";
 * const vectors = { u: Float32Array.of(1), v: Float32Array.of(1, 1) };
 * advanceSpectral({ type: "linear", in: 2, out: 1 }, { runs: 1, batch: 1, offset: 0, stride: 3 },
 *   Float32Array.of(3, 4, 0), vectors);
 * assertAlmostEquals(vectors.v[0], 0.6, 1e-7);
 * ```
 */
export function advanceSpectral(
  layer: LinearLayer,
  { runs, offset, stride }: FusedLayout,
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
  for (let r = 0; r < runs; r++) {
    const base = r * stride + offset;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let o = 0; o < m; o++) sum += parameters[base + i * m + o] * u[r * m + o];
      v[r * n + i] = sum;
    }
    normalise(v, r * n, n);
    for (let o = 0; o < m; o++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += parameters[base + i * m + o] * v[r * n + i];
      u[r * m + o] = sum;
    }
    normalise(u, r * m, m);
  }
}
