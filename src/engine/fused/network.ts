/**
 * A layer stack's fused passes over R runs: each layer's fused operation
 * (each layer kind's `fused` form in `nn/layers/`) with the buffers between them, allocated once.
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

/** A network's fused passes and their buffers. */
export interface FusedNetwork {
  readonly network: Network;
  /** `[R, B, width]` after each layer (index l + 1 is layer l's output; 0 is the input). */
  readonly activations: Float32Array[];
  /** The gradient at each of those. */
  readonly gradients: Float32Array[];
  /** The gradient of every parameter, `[R, P]`, after a backward pass that asked for it. */
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
 * whose input is `inputWidth` wide.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedNetwork } from "./network.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { linear, relu } from "../../nn/layers/mod.ts";
 * const net = fusedNetwork(createNetwork([linear(1, 1), relu()]), 1, 1, 1);
 * assertEquals(net.forward(Float32Array.of(2), Float32Array.of(-1, 0)), Float32Array.of(0));
 * ```
 */
export function fusedNetwork(
  network: Network,
  runs: number,
  batch: number,
  inputWidth: number,
): FusedNetwork {
  const stride = network.parameterCount;
  const offsets = network.layers.map((_, index) =>
    network.slots.find((slot) => slot.layerIndex === index)?.offset ?? 0
  );
  const operations: FusedOperation[] = network.layers.map((layer, index) =>
    kindOf(layer).fused(layer, { runs, batch, offset: offsets[index], stride })
  );
  const widths = [inputWidth];
  for (const layer of network.layers) {
    const previous = widths.at(-1)!;
    widths.push(kindOf(layer).outputWidth(layer, previous));
  }
  const activations: Float32Array[] = widths.map((width) => new Float32Array(runs * batch * width));
  const gradients = widths.map((width) => new Float32Array(runs * batch * width));
  const parameterGradient = new Float32Array(runs * stride);
  // The penalty's tangents and adjoints at each layer's input and output, made on first use.
  let tangents: Float32Array[] | undefined;
  let adjoints: Float32Array[] | undefined;
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
      tangents ??= widths.map((width) => new Float32Array(runs * batch * width));
      adjoints ??= widths.map((width) => new Float32Array(runs * batch * width));
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
      // The value, and the tangent v = ∂penalty/∂(∇ₓ s) = f′(‖∇ₓ s‖) ∇ₓ s / (‖∇ₓ s‖ B).
      const width = widths[0];
      const inputGradient = gradients[0];
      for (let r = 0; r < runs; r++) {
        let sum = 0;
        for (let b = 0; b < batch; b++) {
          const at = (r * batch + b) * width;
          let squares = 0;
          for (let i = 0; i < width; i++) squares += inputGradient[at + i] ** 2;
          const norm = Math.sqrt(squares);
          sum += penalty.value(norm, r);
          const scale = penalty.slope(norm, r) / batch;
          for (let i = 0; i < width; i++) tangents[0][at + i] = scale * inputGradient[at + i];
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
    holdKinks(mode) {
      for (const operation of operations) operation.holdKinks?.(mode);
    },
    advanceSpectral(parameters, spectral) {
      network.layers.forEach((layer, l) => {
        const vectors = spectral[l];
        if (layer.type === "linear" && layer.spectralNorm && vectors) {
          fusedPowerIteration(
            layer,
            { runs, batch, offset: offsets[l], stride },
            parameters,
            vectors,
          );
        }
      });
    },
  };
}

/**
 * A gradient penalty's interpolates `x̂ = α·x + (1 − α)·G(z)` into `into`
 * (`[R, B, width]`), one α per run and sample from `alphasOf(r)`, rounded
 * as the reference's float32 ops round them.
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
  for (let r = 0; r < runs; r++) {
    const alphas = alphasOf(r);
    for (let b = 0; b < batch; b++) {
      const alpha = alphas[b];
      for (let i = 0, at = (r * batch + b) * width; i < width; i++, at++) {
        into[at] = Math.fround(alpha * real[at]) + Math.fround(Math.fround(1 - alpha) * fake[at]);
      }
    }
  }
}
