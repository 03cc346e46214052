/**
 * The layer vocabulary: a network is plain data, a list of these layers.
 *
 * @module
 */

/**
 * A fully connected layer, `y = x W + b` (PyTorch's `nn.Linear(in, out)`);
 * with `spectralNorm`, `W / σ(W)` as `torch.nn.utils.spectral_norm` wraps it
 * (one power iteration per forward pass, a persistent `u` per run).
 */
export interface LinearLayer {
  readonly type: "linear";
  readonly in: number;
  readonly out: number;
  readonly spectralNorm?: boolean;
}

/** An element-wise activation without parameters. */
export interface ActivationLayer {
  readonly type: "sigmoid" | "relu" | "tanh";
}

/** `x > 0 ? x : alpha * x` (PyTorch's `nn.LeakyReLU(alpha)`). */
export interface LeakyReluLayer {
  readonly type: "leaky_relu";
  readonly alpha: number;
}

/**
 * A normalisation with a gain and an offset per feature: `layer_norm` over
 * each sample's features, `batch_norm` over the batch (training statistics).
 */
export interface NormLayer {
  readonly type: "layer_norm" | "batch_norm";
  readonly size: number;
  readonly eps: number;
}

/** One layer of a network. */
export type Layer = LinearLayer | ActivationLayer | LeakyReluLayer | NormLayer;

/** Every layer type name, for validation messages. */
export const LAYER_TYPES = [
  "linear",
  "sigmoid",
  "relu",
  "tanh",
  "leaky_relu",
  "layer_norm",
  "batch_norm",
] as const;

/** Error thrown for a network description that cannot be trained. */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
}

/**
 * A fully connected layer.
 *
 * @example
 * ```ts
 * import { linear } from "./layers.ts";
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
 * import { spectralLinear } from "./layers.ts";
 * spectralLinear(6, 3); // { type: "linear", in: 6, out: 3, spectralNorm: true }
 * ```
 */
export function spectralLinear(inputs: number, outputs: number): LinearLayer {
  return { type: "linear", in: inputs, out: outputs, spectralNorm: true };
}

/** The logistic sigmoid. */
export function sigmoid(): ActivationLayer {
  return { type: "sigmoid" };
}

/** The rectifier, `max(x, 0)`. */
export function relu(): ActivationLayer {
  return { type: "relu" };
}

/** The hyperbolic tangent. */
export function tanh(): ActivationLayer {
  return { type: "tanh" };
}

/** The leaky rectifier; PyTorch's default slope is 0.01, the seed's 0.02. */
export function leakyRelu(alpha = 0.01): LeakyReluLayer {
  return { type: "leaky_relu", alpha };
}

/** Layer normalisation over `size` features (PyTorch's eps 1e-5 by default). */
export function layerNorm(size: number, eps = 1e-5): NormLayer {
  return { type: "layer_norm", size, eps };
}

/** Batch normalisation of `size` features with the batch's own statistics. */
export function batchNorm(size: number, eps = 1e-5): NormLayer {
  return { type: "batch_norm", size, eps };
}

/** How many numbers a layer's parameters hold. */
export function parameterCount(layer: Layer): number {
  switch (layer.type) {
    case "linear":
      return layer.in * layer.out + layer.out;
    case "layer_norm":
    case "batch_norm":
      return 2 * layer.size;
    default:
      return 0;
  }
}

/** How many numbers a whole network's parameters hold. */
export function networkParameterCount(layers: readonly Layer[]): number {
  return layers.reduce((sum, layer) => sum + parameterCount(layer), 0);
}

/**
 * Checks that a layer stack is well formed for the given input width and
 * batch size, and returns its output width.
 *
 * @throws {NetworkError} naming the layer and what is wrong.
 * @example
 * ```ts
 * import { checkNetwork, linear, sigmoid } from "./layers.ts";
 * checkNetwork([linear(4, 3), sigmoid(), linear(3, 1)], 4, 1); // 1
 * ```
 */
export function checkNetwork(
  layers: readonly Layer[],
  inputWidth: number,
  batchSize: number,
  name = "network",
): number {
  if (layers.length === 0) throw new NetworkError(`${name}: has no layers`);
  let width = inputWidth;
  layers.forEach((layer, index) => {
    const where = `${name}.layers[${index}] (${layer.type})`;
    if (!(LAYER_TYPES as readonly string[]).includes(layer.type)) {
      throw new NetworkError(
        `${name}.layers[${index}]: unknown layer type "${layer.type}"; allowed: ${
          LAYER_TYPES.join(", ")
        }`,
      );
    }
    switch (layer.type) {
      case "linear":
        if (!isPositiveInteger(layer.in) || !isPositiveInteger(layer.out)) {
          throw new NetworkError(`${where}: in and out must be positive integers`);
        }
        if (layer.in !== width) {
          throw new NetworkError(
            `${where}: takes ${layer.in} inputs but receives ${width}`,
          );
        }
        width = layer.out;
        break;
      case "layer_norm":
      case "batch_norm":
        if (layer.size !== width) {
          throw new NetworkError(
            `${where}: normalises ${layer.size} features but receives ${width}`,
          );
        }
        if (!(layer.eps > 0)) throw new NetworkError(`${where}: eps must be > 0`);
        if (layer.type === "batch_norm" && batchSize < 2) {
          throw new NetworkError(
            `${where}: batch_norm needs a batch size of at least 2 (got ${batchSize})`,
          );
        }
        break;
      case "leaky_relu":
        if (!Number.isFinite(layer.alpha)) {
          throw new NetworkError(`${where}: alpha must be a finite number`);
        }
        break;
    }
  });
  return width;
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}
