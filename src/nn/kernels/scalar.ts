/**
 * The numeric kernels as plain loops, every operation rounded to float32
 * (`Math.fround`) in the order `kind.ts` states: the arithmetic the fused
 * engine's numbers are defined by, which the SIMD kernels (`simd.ts`)
 * reproduce bit for bit and which runs wherever WebAssembly SIMD does not.
 *
 * @module
 */
import type { Kernels } from "./kind.ts";

const f = Math.fround;

/**
 * The sum of `a[from + j]·b[at + j]` over j < count in the kernels' order
 * for a run's columns: four lanes over whole chunks of four, combined
 * `(l₀ + l₁) + (l₂ + l₃)`, then the remaining terms in order.
 */
function productSum(a: Float32Array, from: number, b: Float32Array, at: number, count: number) {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  const whole = count - (count % 4);
  for (let j = 0; j < whole; j += 4) {
    l0 = f(l0 + f(a[from + j] * b[at + j]));
    l1 = f(l1 + f(a[from + j + 1] * b[at + j + 1]));
    l2 = f(l2 + f(a[from + j + 2] * b[at + j + 2]));
    l3 = f(l3 + f(a[from + j + 3] * b[at + j + 3]));
  }
  let sum = f(f(l0 + l1) + f(l2 + l3));
  for (let j = whole; j < count; j++) sum = f(sum + f(a[from + j] * b[at + j]));
  return sum;
}

/** The sum of `a[from + j]` over j < count, in {@link productSum}'s order. */
function plainSum(a: Float32Array, from: number, count: number) {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  const whole = count - (count % 4);
  for (let j = 0; j < whole; j += 4) {
    l0 = f(l0 + a[from + j]);
    l1 = f(l1 + a[from + j + 1]);
    l2 = f(l2 + a[from + j + 2]);
    l3 = f(l3 + a[from + j + 3]);
  }
  let sum = f(f(l0 + l1) + f(l2 + l3));
  for (let j = whole; j < count; j++) sum = f(sum + a[from + j]);
  return sum;
}

/** The float64 exponential's constants: log₂e, fdlibm's ln 2 in two parts, 1/k! for k = 0 … 8. */
const LOG2E = 1.4426950408889634;
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const [C0, C1, C2, C3, C4, C5, C6, C7, C8] = [
  1.0,
  1.0,
  0.5,
  0.16666666666666666,
  0.041666666666666664,
  0.008333333333333333,
  0.001388888888888889,
  0.0001984126984126984,
  2.48015873015873e-05,
];
/** 2^n for the n the clamp allows, −1010 … 1010. */
const POWERS_OF_TWO = Float64Array.from({ length: 2021 }, (_, k) => 2 ** (k - 1010));

/**
 * e^t in float64 as the kernels' sigmoid computes it (see
 * {@link Kernels.sigmoid}; the SIMD kernels' is the same, bit for bit).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { exp64 } from "./scalar.ts";
 * assertAlmostEquals(exp64(1), Math.E, 1e-9);
 * ```
 */
export function exp64(t: number): number {
  // WebAssembly's pmax and pmin: a NaN stays NaN.
  t = t < -700 ? -700 : t;
  t = 700 < t ? 700 : t;
  const n = Math.floor(t * LOG2E + 0.5);
  const r = t - n * LN2_HI - n * LN2_LO;
  const r2 = r * r, r4 = r2 * r2;
  const low = C0 + C1 * r + r2 * (C2 + C3 * r);
  const high = C4 + C5 * r + r2 * (C6 + C7 * r);
  // NaN stays NaN (its n indexes nothing: NaN times undefined).
  return (low + (r4 * high + r4 * r4 * C8)) * POWERS_OF_TWO[n + 1010];
}

/** The first element of run r at or after `from` in `[P, R]` parameters. */
const firstOf = (r: number, from: number, runs: number) =>
  r + Math.ceil(Math.max(0, from - r) / runs) * runs;

/**
 * {@link Kernels.adam} on the elements from `from` on (the SIMD kernels
 * give it the few a vector does not take, without a view of each array).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { adamFrom, scalarKernels } from "./scalar.ts";
 * const factors = Float32Array.of(0.1, 1e-8, 0.9, 0.1, 0.999, 0.001);
 * const [all, tail] = [Float32Array.of(1, 1), Float32Array.of(1, 1)];
 * scalarKernels.adam(all, Float32Array.of(1, 2), new Float32Array(2), new Float32Array(2), factors, 1);
 * adamFrom(1, tail, Float32Array.of(1, 2), new Float32Array(2), new Float32Array(2), factors, 1);
 * assertEquals([tail[0], tail[1]], [1, all[1]]);
 * ```
 */
export function adamFrom(
  from: number,
  ...[parameters, gradient, mean, square, factors, runs, into]: Parameters<Kernels["adam"]>
): void {
  for (let r = 0; r < runs; r++) {
    const step = factors[r], eps = factors[runs + r];
    const keep1 = factors[2 * runs + r], add1 = factors[3 * runs + r];
    const keep2 = factors[4 * runs + r], add2 = factors[5 * runs + r];
    for (let e = firstOf(r, from, runs); e < parameters.length; e += runs) {
      const g = gradient[e];
      const m = mean[e] = f(f(mean[e] * keep1) + f(g * add1));
      const v = square[e] = f(f(square[e] * keep2) + f(f(g * g) * add2));
      const d = f(f(m / f(f(Math.sqrt(v)) + eps)) * step);
      if (into) into[e] = d;
      else parameters[e] = f(parameters[e] - d);
    }
  }
}

/**
 * {@link Kernels.rmsprop} on the elements from `from` on.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { rmspropFrom } from "./scalar.ts";
 * const parameters = Float32Array.of(1, 1);
 * rmspropFrom(1, parameters, Float32Array.of(1, 1), new Float32Array(2), Float32Array.of(0.5, 0, 1, 0), 1);
 * assertEquals([parameters[0], parameters[1]], [1, 0.5]);
 * ```
 */
export function rmspropFrom(
  from: number,
  ...[parameters, gradient, square, factors, runs]: Parameters<Kernels["rmsprop"]>
): void {
  for (let r = 0; r < runs; r++) {
    const rate = factors[r], keep = factors[runs + r];
    const add = factors[2 * runs + r], eps = factors[3 * runs + r];
    for (let e = firstOf(r, from, runs); e < parameters.length; e += runs) {
      const g = gradient[e];
      const s = square[e] = f(f(square[e] * keep) + f(f(g * g) * add));
      parameters[e] = f(parameters[e] - f(f(g / f(f(Math.sqrt(s)) + eps)) * rate));
    }
  }
}

/**
 * {@link Kernels.sgd} on the elements from `from` on.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sgdFrom } from "./scalar.ts";
 * const parameters = Float32Array.of(1, 1);
 * sgdFrom(1, parameters, Float32Array.of(2, 2), undefined, Float32Array.of(0.25, 0), 1);
 * assertEquals([parameters[0], parameters[1]], [1, 0.5]);
 * ```
 */
export function sgdFrom(
  from: number,
  ...[parameters, gradient, velocity, factors, runs]: Parameters<Kernels["sgd"]>
): void {
  for (let r = 0; r < runs; r++) {
    const rate = factors[r], momentum = factors[runs + r];
    for (let e = firstOf(r, from, runs); e < parameters.length; e += runs) {
      if (velocity) {
        const u = velocity[e] = f(f(velocity[e] * momentum) + gradient[e]);
        parameters[e] = f(parameters[e] - f(u * rate));
      } else parameters[e] = f(parameters[e] - f(gradient[e] * rate));
    }
  }
}

/**
 * The plain-loop kernels.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { scalarKernels } from "./scalar.ts";
 * const y = new Float32Array(1);
 * const shape = { runs: 1, batch: 1, inputs: 2, outputs: 1, strideIn: 1, strideOut: 1 };
 * scalarKernels.dense(Float32Array.of(1, 2), y, Float32Array.of(3, 4, 0.5), 0, 2, shape);
 * assertEquals(y[0], 11.5);
 * ```
 */
export const scalarKernels: Kernels = {
  name: "scalar",
  floats: (length) => new Float32Array(length),
  dense(x, y, parameters, weights, bias, { runs, batch, inputs, outputs, strideIn, strideOut }) {
    if (runs === 1 && batch === 1) {
      // One column (the seed's model at R = 1): the same sums, without the column loops.
      for (let o = 0; o < outputs; o++) {
        let sum = 0;
        for (let i = 0, w = weights + o * strideOut; i < inputs; i++, w += strideIn) {
          sum = f(sum + f(parameters[w] * x[i]));
        }
        y[o] = bias === undefined ? sum : f(sum + parameters[bias + o]);
      }
      return;
    }
    const columns = runs * batch;
    const stepIn = strideIn * runs;
    for (let o = 0; o < outputs; o++) {
      const from = (weights + o * strideOut) * runs;
      const biasAt = bias === undefined ? -1 : (bias + o) * runs;
      for (let r = 0, c = 0; r < runs; r++) {
        for (let b = 0; b < batch; b++, c++) {
          let sum = 0;
          for (let i = 0, w = from + r, at = c; i < inputs; i++, w += stepIn, at += columns) {
            sum = f(sum + f(parameters[w] * x[at]));
          }
          y[o * columns + c] = biasAt < 0 ? sum : f(sum + parameters[biasAt + r]);
        }
      }
    }
  },
  denseGradient(x, dy, gradient, weights, bias, { runs, batch, inputs, outputs }, accumulate) {
    if (runs === 1 && batch === 1) {
      for (let i = 0, at = weights; i < inputs; i++) {
        const xi = x[i];
        for (let o = 0; o < outputs; o++, at++) {
          const product = f(xi * dy[o]);
          gradient[at] = accumulate ? f(gradient[at] + product) : product;
        }
      }
      if (bias === undefined) return;
      for (let o = 0; o < outputs; o++) {
        gradient[bias + o] = accumulate ? f(gradient[bias + o] + dy[o]) : dy[o];
      }
      return;
    }
    const columns = runs * batch;
    for (let r = 0; r < runs; r++) {
      const first = r * batch;
      for (let i = 0; i < inputs; i++) {
        const xi = i * columns + first;
        for (let o = 0; o < outputs; o++) {
          const dyo = o * columns + first;
          const sum = batch === 1 ? f(x[xi] * dy[dyo]) : productSum(x, xi, dy, dyo, batch);
          const at = (weights + i * outputs + o) * runs + r;
          gradient[at] = accumulate ? f(gradient[at] + sum) : sum;
        }
      }
      if (bias === undefined) continue;
      for (let o = 0; o < outputs; o++) {
        const dyo = o * columns + first;
        const sum = batch === 1 ? dy[dyo] : plainSum(dy, dyo, batch);
        const at = (bias + o) * runs + r;
        gradient[at] = accumulate ? f(gradient[at] + sum) : sum;
      }
    }
  },
  rectify(x, y, alpha) {
    const a = f(alpha);
    for (let i = 0; i < y.length; i++) y[i] = x[i] > 0 ? x[i] : f(a * x[i]);
  },
  rectifyBackward(dy, x, dx, alpha) {
    const a = f(alpha);
    for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dy[i] : f(dy[i] * a);
  },
  layerNorm(x, y, normalised, inverseStd, parameters, gain, { runs, batch, size, eps }) {
    const columns = runs * batch;
    const n = f(size), e = f(eps);
    for (let r = 0, c = 0; r < runs; r++) {
      for (let b = 0; b < batch; b++, c++) {
        let sum = 0;
        for (let at = c, k = 0; k < size; k++, at += columns) sum = f(sum + x[at]);
        const mean = f(sum / n);
        let squares = 0;
        for (let at = c, k = 0; k < size; k++, at += columns) {
          const centred = f(x[at] - mean);
          squares = f(squares + f(centred * centred));
        }
        const rstd = f(1 / f(Math.sqrt(f(f(squares / n) + e))));
        inverseStd[c] = rstd;
        for (let at = c, k = 0, g = gain * runs + r; k < size; k++, at += columns, g += runs) {
          const xhat = normalised[at] = f(f(x[at] - mean) * rstd);
          y[at] = f(f(xhat * parameters[g]) + parameters[g + size * runs]);
        }
      }
    }
  },
  layerNormBackward(dy, dx, normalised, inverseStd, parameters, gain, gradient, shape) {
    const { runs, batch, size } = shape;
    const columns = runs * batch;
    const n = f(size);
    if (gradient) {
      for (let r = 0; r < runs; r++) {
        const first = r * batch;
        for (let k = 0; k < size; k++) {
          const row = k * columns + first;
          gradient[(gain + k) * runs + r] = batch === 1
            ? f(dy[row] * normalised[row])
            : productSum(dy, row, normalised, row, batch);
          gradient[(gain + size + k) * runs + r] = batch === 1 ? dy[row] : plainSum(dy, row, batch);
        }
      }
    }
    if (!dx) return;
    for (let r = 0, c = 0; r < runs; r++) {
      for (let b = 0; b < batch; b++, c++) {
        let sum = 0, dot = 0;
        for (let at = c, k = 0, g = gain * runs + r; k < size; k++, at += columns, g += runs) {
          const d = f(dy[at] * parameters[g]);
          sum = f(sum + d);
          dot = f(dot + f(d * normalised[at]));
        }
        const meanD = f(sum / n), meanDot = f(dot / n);
        const rstd = inverseStd[c];
        for (let at = c, k = 0, g = gain * runs + r; k < size; k++, at += columns, g += runs) {
          const d = f(dy[at] * parameters[g]);
          dx[at] = f(rstd * f(f(d - meanD) - f(normalised[at] * meanDot)));
        }
      }
    }
  },
  adam: (parameters, gradient, mean, square, factors, runs, into) =>
    adamFrom(0, parameters, gradient, mean, square, factors, runs, into),
  rmsprop: (parameters, gradient, square, factors, runs) =>
    rmspropFrom(0, parameters, gradient, square, factors, runs),
  sgd: (parameters, gradient, velocity, factors, runs) =>
    sgdFrom(0, parameters, gradient, velocity, factors, runs),
  sigmoid(x, y) {
    for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + exp64(-x[i]));
  },
  sigmoidBackward(dy, y, dx) {
    for (let i = 0; i < dx.length; i++) dx[i] = f(dy[i] * f(y[i] * f(1 - y[i])));
  },
  addInto(into, from) {
    for (let i = 0; i < into.length; i++) into[i] = f(into[i] + from[i]);
  },
};
