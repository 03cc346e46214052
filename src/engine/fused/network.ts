/**
 * A layer stack's fused passes over R runs: each layer's fused operation
 * (each layer kind's `fused` form in `nn/layers/`) with the buffers between them, allocated once.
 *
 * @module
 */
import type { Network } from "../../nn/network.ts";
import { type FusedOperation, type FusedSpectral, kindOf } from "../../nn/layers/mod.ts";
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
