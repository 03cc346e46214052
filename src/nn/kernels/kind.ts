/**
 * What the fused engine's numeric kernels compute, and in which order: the
 * few loops that carry its arithmetic (a dense layer's products, the
 * rectifiers, layer norm, the optimisers' updates), over the fused layout.
 * Two implementations compute every float32 operation alike, bit for bit:
 * WebAssembly SIMD (`simd.ts`, from `kernels.wat`) and plain loops
 * (`scalar.ts`), so that a machine without SIMD trains the same numbers.
 *
 * The fused layout: a batch of R runs × B samples is C = R·B columns, column
 * `c = r·B + b`; an activation of width n is `[n, C]` (row f holds feature f
 * of every column); a network's parameters are `[P, R]` (parameter k of run
 * r at `k·R + r`), so that runs are neighbours where a batch has one sample.
 *
 * @module
 */

/** A dense product's shape: `y[o, c] = (b[o] +) Σ_i W[i, o] x[i, c]`, W's element (i, o) at `i·strideIn + o·strideOut`. */
export interface DenseShape {
  readonly runs: number;
  readonly batch: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly strideIn: number;
  readonly strideOut: number;
}

/** A layer's shape for its parameter gradient: `W` `[inputs, outputs]` (row-major), its bias after it. */
export interface GradientShape {
  readonly runs: number;
  readonly batch: number;
  readonly inputs: number;
  readonly outputs: number;
}

/** Layer norm's shape: `size` features normalised in each of R·B columns. */
export interface NormShape {
  readonly runs: number;
  readonly batch: number;
  readonly size: number;
  readonly eps: number;
}

/** The numeric kernels, on float32 arrays in the fused layout. */
export interface Kernels {
  /** `"simd"` or `"scalar"`: which implementation (their numbers are the same). */
  readonly name: "simd" | "scalar";
  /** A zeroed float32 buffer the kernels work on in place (on SIMD, in the kernels' memory). */
  floats(length: number): Float32Array;
  /**
   * `y[o, c] = b[o] + Σ_i W[i, o] x[i, c]` in float32, summed in i's order
   * from 0 and the bias added last; W's element (i, o) of run r is
   * `parameters[(weights + i·strideIn + o·strideOut)·R + r]` and the bias's
   * `parameters[(bias + o)·R + r]` (no bias: `bias` undefined).
   */
  dense(
    x: Float32Array,
    y: Float32Array,
    parameters: Float32Array,
    weights: number,
    bias: number | undefined,
    shape: DenseShape,
  ): void;
  /**
   * A dense layer's parameter gradient from its input `x` and the gradient
   * `dy` at its output: `∂W[i, o] = Σ_b x[i, c] dy[o, c]` and `∂b[o] =
   * Σ_b dy[o, c]` over each run's columns, into `gradient` at the layer's
   * places (`weights`, `bias` as for {@link Kernels.dense}, W row-major),
   * set or (`accumulate`) added. The sum over a run's columns is taken in
   * four lanes (columns `4k + j` from the run's first into lane j), the
   * lanes combined as `(l₀ + l₁) + (l₂ + l₃)`, then the last `B mod 4`
   * columns added in order; with one sample per run, the product alone.
   */
  denseGradient(
    x: Float32Array,
    dy: Float32Array,
    gradient: Float32Array,
    weights: number,
    bias: number | undefined,
    shape: GradientShape,
    accumulate: boolean,
  ): void;
  /** `y = x > 0 ? x : alpha·x`, element by element. */
  rectify(x: Float32Array, y: Float32Array, alpha: number): void;
  /** `dx = x > 0 ? dy : dy·alpha`, element by element. */
  rectifyBackward(dy: Float32Array, x: Float32Array, dx: Float32Array, alpha: number): void;
  /**
   * Layer norm over each column's `size` features: `mean = Σx / n`,
   * `rstd = 1 / √(Σ(x − mean)² / n + eps)`, `x̂ = (x − mean)·rstd`,
   * `y = x̂·gain + offset` (each sum in the features' order, every operation
   * in float32); keeps `x̂` and each column's `rstd`. `gain` is the
   * parameter index of the gains, the offsets after them.
   */
  layerNorm(
    x: Float32Array,
    y: Float32Array,
    normalised: Float32Array,
    inverseStd: Float32Array,
    parameters: Float32Array,
    gain: number,
    shape: NormShape,
  ): void;
  /**
   * Layer norm's backward pass: with `d = dy·gain`, `dx = rstd·((d − Σd/n)
   * − x̂·(Σ d·x̂)/n)` per column (when `dx` is given), and the gains' and
   * offsets' gradients `Σ dy·x̂`, `Σ dy` over each run's columns, summed as
   * {@link Kernels.denseGradient} sums (when `gradient` is given; set).
   */
  layerNormBackward(
    dy: Float32Array,
    dx: Float32Array | undefined,
    normalised: Float32Array,
    inverseStd: Float32Array,
    parameters: Float32Array,
    gain: number,
    gradient: Float32Array | undefined,
    shape: NormShape,
  ): void;
  /**
   * Adam's (and optimistic Adam's) step over `[P, R]` parameters, in place:
   * `m = β₁m + (1 − β₁)g`, `v = β₂v + (1 − β₂)g²`, `d = m / (√v + ε′)·s`
   * with each run's factors in `factors` (`[s, ε′, β₁, 1 − β₁, β₂, 1 − β₂]`,
   * R each: s and ε′ the step's bias-corrected size and ε), each operation in
   * float32 as the reference's tf ops; then `θ −= d`, or with `into`, `d`
   * written there instead.
   */
  adam(
    parameters: Float32Array,
    gradient: Float32Array,
    mean: Float32Array,
    square: Float32Array,
    factors: Float32Array,
    runs: number,
    into?: Float32Array,
  ): void;
  /** RMSprop's step: `s = αs + (1 − α)g²`, `θ −= (g / (√s + ε))·lr`, factors `[lr, α, 1 − α, ε]` per run. */
  rmsprop(
    parameters: Float32Array,
    gradient: Float32Array,
    square: Float32Array,
    factors: Float32Array,
    runs: number,
  ): void;
  /** SGD's step: `θ −= g·lr`, or with `velocity`, `u = u·μ + g`, `θ −= u·lr`; factors `[lr, μ]` per run. */
  sgd(
    parameters: Float32Array,
    gradient: Float32Array,
    velocity: Float32Array | undefined,
    factors: Float32Array,
    runs: number,
  ): void;
  /**
   * The sigmoid `y = 1 / (1 + e^−x)`, in float64 and rounded once to
   * float32 (the stored y, as good as the exact sigmoid rounded), e^t
   * by a fixed recipe both implementations follow: t clamped to
   * [−700, 700], `n = ⌊t·log₂e + ½⌋`, `r = (t − n·ln2_hi) − n·ln2_lo`,
   * e^r by Taylor's series to r⁸/8! in Estrin's order (`kernels.wat`
   * spells it out), times 2^n.
   */
  sigmoid(x: Float32Array, y: Float32Array): void;
  /** The sigmoid's backward pass from its output: `dx = dy·(y·(1 − y))`. */
  sigmoidBackward(dy: Float32Array, y: Float32Array, dx: Float32Array): void;
  /** `into[i] += from[i]` in float32. */
  addInto(into: Float32Array, from: Float32Array): void;
}
