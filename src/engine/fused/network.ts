/**
 * A layer stack's fused passes over R runs: each layer's fused operation
 * (each layer kind's `fused` form in `nn/layers/`) with the buffers between
 * them, allocated once from the batch's kernels, in the fused layout
 * (`nn/kernels/kind.ts`: activations `[width, R·B]`, parameters `[P, R]`).
 *
 * @module
 */
import type { Network } from "../../nn/network.ts";
import {
  type FusedOperation,
  type FusedSpectral,
  kindOf,
  type KinkMode,
} from "../../nn/layers/mod.ts";
import { fusedPowerIteration } from "../../nn/layers/linear.ts";
import { chooseKernels, type Kernels } from "../../nn/kernels/mod.ts";

/** A network's fused passes and their buffers. */
export interface FusedNetwork {
  readonly network: Network;
  /** `[width, R·B]` after each layer (index l + 1 is layer l's output; 0 is the input). */
  readonly activations: Float32Array[];
  /** The gradient at each of those. */
  readonly gradients: Float32Array[];
  /** The gradient of every parameter, `[P, R]`, after a backward pass that asked for it. */
  readonly parameterGradient: Float32Array;
  /** Runs `input` through the network; returns the output buffer. */
  forward(
    input: Float32Array,
    parameters: Float32Array,
    spectral?: readonly (FusedSpectral | undefined)[],
  ): Float32Array;
  /**
   * Back-propagates the gradient at layer `from`'s output (in
   * `gradients[from + 1]`) through the last forward pass.
   */
  backward(
    parameters: Float32Array,
    from: number,
    wants: { readonly parameters: boolean; readonly input: boolean },
  ): void;
  /** One power iteration for every spectrally normalised layer (in place). */
  advanceSpectral(parameters: Float32Array, spectral: readonly (FusedSpectral | undefined)[]): void;
  /** Records or holds every kinked layer's sides (see `FusedOperation.holdKinks`). */
  holdKinks(mode: KinkMode): void;
  /**
   * Forward mode at the last forward pass: the tangent of every layer's
   * output up to layer `to`'s from a tangent `input` at the input (none:
   * zero) and a tangent of the parameters (`[P, R]`; none: zero), each
   * layer's `tangent` plus, for a layer with parameters, its output at the
   * tangent parameters (every parametric kind's output is linear in its
   * parameters). Returns the tangent at layer `to`'s output.
   */
  tangentForward(
    parameters: Float32Array,
    to: number,
    input: Float32Array | undefined,
    parameterTangent: Float32Array | undefined,
  ): Float32Array;
  /**
   * The tangent of the last backward pass (forward over reverse): from the
   * tangent `seed` of the gradient at layer `from`'s output, the tangent of
   * every gradient below it (`tangentGradients`) and of the parameter
   * gradient (`tangentParameterGradient`, when asked for); each layer's
   * `backward` of the tangent, its `secondOrder` at the forward tangent and
   * the gradient, and for a layer with parameters its input gradient at the
   * tangent parameters. Needs {@link tangentForward} at the same point, and
   * the backward pass whose tangent this is just before.
   */
  tangentBackward(
    parameters: Float32Array,
    from: number,
    seed: Float32Array,
    parameterTangent: Float32Array | undefined,
    wants: { readonly parameters: boolean; readonly input: boolean },
  ): void;
  /** The tangents of the gradients at each layer's input, after {@link tangentBackward} (index as `gradients`). */
  readonly tangentGradients: Float32Array[];
  /** The tangent of the parameter gradient, `[P, R]`, after a {@link tangentBackward} that asked for it. */
  readonly tangentParameterGradient: Float32Array;
  /**
   * A penalty on the input gradient of D's score (the output of layer
   * `score`), `(1/B) Σ_b f(‖∇ₓ s(x_b)‖)` per run: its value per run into
   * `values` and its gradient with respect to the parameters into
   * {@link parameterGradient}, by reverse-over-forward (a forward pass, the
   * score's backward pass, a forward pass carrying the tangent
   * `v = ∂penalty/∂(∇ₓ s)`, then a backward pass of both the tangent's and
   * the activations' adjoints). `slope(norm, run)` is `f′(norm) / norm`.
   */
  gradientNormPenalty(
    input: Float32Array,
    parameters: Float32Array,
    spectral: readonly (FusedSpectral | undefined)[],
    score: number,
    penalty: {
      readonly value: (norm: number, run: number) => number;
      readonly slope: (norm: number, run: number) => number;
    },
    values: Float64Array,
  ): void;
}

/**
 * Prepares a network's fused passes for `runs` runs of `batch` samples
 * whose input is `inputWidth` wide, on `kernels` (a batch passes its own, so
 * that every buffer lives in one memory).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedNetwork } from "./network.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { linear, relu } from "../../nn/layers/mod.ts";
 * const net = fusedNetwork(createNetwork([linear(1, 1), relu()]), 1, 1, 1);
 * assertEquals(net.forward(Float32Array.of(2), Float32Array.of(-1, 0)), Float32Array.of(-0));
 * ```
 */
export function fusedNetwork(
  network: Network,
  runs: number,
  batch: number,
  inputWidth: number,
  kernels: Kernels = chooseKernels(),
): FusedNetwork {
  const columns = runs * batch;
  const offsets = network.layers.map((_, index) =>
    network.slots.find((slot) => slot.layerIndex === index)?.offset ?? 0
  );
  const operations: FusedOperation[] = network.layers.map((layer, index) =>
    kindOf(layer).fused(layer, { runs, batch, offset: offsets[index], kernels })
  );
  const widths = [inputWidth];
  for (const layer of network.layers) {
    const previous = widths.at(-1)!;
    widths.push(kindOf(layer).outputWidth(layer, previous));
  }
  const activations: Float32Array[] = widths.map((width) => kernels.floats(columns * width));
  const gradients = widths.map((width) => kernels.floats(columns * width));
  const parameterGradient = kernels.floats(runs * network.parameterCount);
  // The penalty's tangents and adjoints at each layer's input and output, made on first use.
  let tangents: Float32Array[] | undefined;
  let adjoints: Float32Array[] | undefined;
  // Forward over reverse (Hessian-vector products): the forward tangents, which of them are
  // zero, each parametric layer's twin (its passes at tangent parameters) and its outputs, the
  // gradients' tangents; made on first use (the gradients' tangents, small, at once).
  let forwardTangents: Float32Array[] | undefined;
  let scratch: Float32Array[] | undefined;
  let twins: (FusedOperation | undefined)[] | undefined;
  let discarded: Float32Array | undefined;
  const zero = widths.map(() => true);
  let tangentGradients: Float32Array[] | undefined;
  let tangentParameterGradient: Float32Array | undefined;
  /** A second copy of every layer with parameters, for its passes at tangent parameters. */
  const twinOperations = () =>
    network.layers.map((layer, index) =>
      network.slots.some((slot) => slot.layerIndex === index)
        ? kindOf(layer).fused(layer, { runs, batch, offset: offsets[index], kernels })
        : undefined
    );
  const firstParameterLayer = network.slots[0]?.layerIndex ?? network.layers.length;
  return {
    network,
    activations,
    gradients,
    parameterGradient,
    forward(input, parameters, spectral = []) {
      activations[0] = input;
      operations.forEach((operation, l) =>
        operation.forward(activations[l], activations[l + 1], parameters, spectral[l])
      );
      return activations[operations.length];
    },
    backward(parameters, from, wants) {
      const firstNeeded = wants.input ? 0 : firstParameterLayer;
      for (let l = from; l >= firstNeeded; l--) {
        operations[l].backward(
          gradients[l + 1],
          wants.input || l > firstNeeded ? gradients[l] : undefined,
          activations[l],
          activations[l + 1],
          parameters,
          wants.parameters ? parameterGradient : undefined,
        );
      }
    },
    gradientNormPenalty(input, parameters, spectral, score, penalty, values) {
      tangents ??= widths.map((width) => kernels.floats(columns * width));
      adjoints ??= widths.map((width) => kernels.floats(columns * width));
      activations[0] = input;
      for (let l = 0; l <= score; l++) {
        operations[l].forward(activations[l], activations[l + 1], parameters, spectral[l]);
      }
      // ∇ₓ s: the score's backward pass from ∂s/∂s = 1.
      gradients[score + 1].fill(1);
      for (let l = score; l >= 0; l--) {
        operations[l].backward(
          gradients[l + 1],
          gradients[l],
          activations[l],
          activations[l + 1],
          parameters,
          undefined,
        );
      }
      // The value, and the tangent v = ∂penalty/∂(∇ₓ s) = f′(‖∇ₓ s‖) ∇ₓ s / (‖∇ₓ s‖ B), for each
      // sample: a column of the input gradient (its `width` features, `columns` apart).
      const width = widths[0];
      const inputGradient = gradients[0];
      for (let r = 0; r < runs; r++) {
        let sum = 0;
        for (let c = r * batch; c < (r + 1) * batch; c++) {
          let squares = 0;
          for (let i = 0; i < width; i++) squares += inputGradient[i * columns + c] ** 2;
          const norm = Math.sqrt(squares);
          sum += penalty.value(norm, r);
          const scale = penalty.slope(norm, r) / batch;
          for (let i = 0; i < width; i++) {
            tangents[0][i * columns + c] = scale * inputGradient[i * columns + c];
          }
        }
        values[r] = sum / batch;
      }
      for (let l = 0; l <= score; l++) {
        operations[l].tangent(
          tangents[l],
          tangents[l + 1],
          activations[l],
          activations[l + 1],
          parameters,
        );
      }
      // ∂/∂θ ⟨v, ∇ₓ s⟩: back through the tangent pass (the activations' adjoints start at 0).
      adjoints[score + 1].fill(0);
      parameterGradient.fill(0);
      for (let l = score; l >= 0; l--) {
        const dx = l > 0 ? adjoints[l] : undefined;
        operations[l].backward(
          adjoints[l + 1],
          dx,
          activations[l],
          activations[l + 1],
          parameters,
          parameterGradient,
        );
        operations[l].secondOrder(
          tangents[l],
          gradients[l + 1],
          dx,
          activations[l],
          activations[l + 1],
          parameters,
          parameterGradient,
        );
      }
    },
    tangentForward(parameters, to, input, parameterTangent) {
      forwardTangents ??= widths.map((width) => kernels.floats(columns * width));
      scratch ??= widths.map((width) => kernels.floats(columns * width));
      twins ??= twinOperations();
      zero[0] = input === undefined;
      if (input) forwardTangents[0].set(input);
      for (let l = 0; l <= to; l++) {
        const [x, y] = [activations[l], activations[l + 1]];
        if (!zero[l]) {
          operations[l].tangent(forwardTangents[l], forwardTangents[l + 1], x, y, parameters);
        }
        zero[l + 1] = zero[l];
        const twin = twins[l];
        if (parameterTangent && twin) {
          twin.forward(x, scratch[l + 1], parameterTangent);
          if (zero[l + 1]) forwardTangents[l + 1].set(scratch[l + 1]);
          else kernels.addInto(forwardTangents[l + 1], scratch[l + 1]);
          zero[l + 1] = false;
        }
      }
      if (zero[to + 1]) forwardTangents[to + 1].fill(0);
      return forwardTangents[to + 1];
    },
    tangentBackward(parameters, from, seed, parameterTangent, wants) {
      tangentGradients ??= widths.map((width) => kernels.floats(columns * width));
      tangentParameterGradient ??= kernels.floats(runs * network.parameterCount);
      const lowest = wants.input ? 0 : firstParameterLayer;
      tangentGradients[from + 1].set(seed);
      // The second-order part adds into a parameter gradient: a discarded one where none is asked for.
      const into = wants.parameters
        ? tangentParameterGradient
        : (discarded ??= kernels.floats(runs * network.parameterCount));
      for (let l = from; l >= lowest; l--) {
        const [x, y] = [activations[l], activations[l + 1]];
        const dx = wants.input || l > lowest ? tangentGradients[l] : undefined;
        const gradient = wants.parameters ? into : undefined;
        operations[l].backward(tangentGradients[l + 1], dx, x, y, parameters, gradient);
        if (!zero[l]) {
          operations[l].secondOrder(
            forwardTangents![l],
            gradients[l + 1],
            dx,
            x,
            y,
            parameters,
            into,
          );
        }
        const twin = twins![l];
        if (parameterTangent && twin && dx) {
          twin.backward(
            gradients[l + 1],
            scratch![l],
            x,
            scratch![l + 1],
            parameterTangent,
            undefined,
          );
          kernels.addInto(dx, scratch![l]);
        }
      }
    },
    get tangentGradients() {
      return tangentGradients ?? [];
    },
    get tangentParameterGradient() {
      return tangentParameterGradient ?? new Float32Array();
    },
    holdKinks(mode) {
      for (const operation of operations) operation.holdKinks?.(mode);
    },
    advanceSpectral(parameters, spectral) {
      network.layers.forEach((layer, l) => {
        const vectors = spectral[l];
        if (layer.type === "linear" && layer.spectralNorm && vectors) {
          fusedPowerIteration(layer, { runs, offset: offsets[l] }, parameters, vectors);
        }
      });
    },
  };
}

/**
 * A gradient penalty's interpolates `x̂ = α·x + (1 − α)·G(z)` into `into`
 * (`[width, R·B]`, the fused layout), one α per run and sample from
 * `alphasOf(r)`, rounded as the reference's float32 ops round them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { interpolate } from "./network.ts";
 * const into = new Float32Array(2);
 * const shape = { runs: 1, batch: 2, width: 1 };
 * interpolate(Float32Array.of(1, 1), Float32Array.of(0, 0), () => Float32Array.of(0.25, 1), into, shape);
 * assertEquals(into, Float32Array.of(0.25, 1));
 * ```
 */
export function interpolate(
  real: Float32Array,
  fake: Float32Array,
  alphasOf: (run: number) => ArrayLike<number>,
  into: Float32Array,
  { runs, batch, width }: { readonly runs: number; readonly batch: number; readonly width: number },
): void {
  const columns = runs * batch;
  for (let r = 0; r < runs; r++) {
    const alphas = alphasOf(r);
    for (let b = 0; b < batch; b++) {
      const alpha = alphas[b];
      const rest = Math.fround(1 - alpha);
      for (let i = 0, at = r * batch + b; i < width; i++, at += columns) {
        into[at] = Math.fround(alpha * real[at]) + Math.fround(rest * fake[at]);
      }
    }
  }
}
