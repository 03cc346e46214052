/**
 * Where each layer's parameters sit in a network's packed parameter vector,
 * and how they are initialised.
 *
 * A network's parameters are one flat vector per run: for each layer in order,
 * a linear layer's kernel (`in × out`, row-major) then its bias; a norm
 * layer's gain then its offset.
 *
 * @module
 */
import { createRandom, gaussian, type Random, STREAMS } from "../core/random.ts";
import { kindOf, type Layer, type SlotName } from "./layers/mod.ts";

/** One parameter tensor of one layer inside the packed vector. */
export interface ParameterSlot {
  readonly layerIndex: number;
  readonly name: SlotName;
  /** `[in, out]` for a kernel, `[n]` for a vector. */
  readonly shape: readonly [number] | readonly [number, number];
  readonly offset: number;
  readonly size: number;
}

/**
 * The slots of every parameter tensor of a network, in packing order.
 *
 * @example
 * ```ts
 * import { parameterSlots } from "./parameters.ts";
 * import { linear, sigmoid } from "./layers/mod.ts";
 * parameterSlots([linear(2, 3), sigmoid()]).map((s) => s.size); // [6, 3]
 * ```
 */
export function parameterSlots(layers: readonly Layer[]): ParameterSlot[] {
  const slots: ParameterSlot[] = [];
  let offset = 0;
  layers.forEach((layer, layerIndex) => {
    for (const { name, shape } of kindOf(layer).slots(layer)) {
      const size = shape.reduce((product, length) => product * length, 1);
      slots.push({ layerIndex, name, shape, offset, size });
      offset += size;
    }
  });
  return slots;
}

/**
 * Fresh parameters as PyTorch initialises them (each kind says how: linear
 * kernels and biases ~ U(-1/√in, 1/√in), norm gains 1 and offsets 0).
 */
export function initialParameters(
  layers: readonly Layer[],
  random: Random,
): Float32Array {
  const slots = parameterSlots(layers);
  const values = new Float32Array(totalSize(slots));
  for (const slot of slots) {
    const layer = layers[slot.layerIndex];
    const part = values.subarray(slot.offset, slot.offset + slot.size);
    kindOf(layer).initialise(layer, slot.name, part, random);
  }
  return values;
}

/**
 * A run's initial discriminator and generator parameters from its seed
 * (each network from its own stream, so changing one never shifts the other).
 */
export function seededParameters(
  seed: number,
  discriminator: readonly Layer[],
  generator: readonly Layer[],
): { discriminator: Float32Array; generator: Float32Array } {
  return {
    discriminator: initialParameters(discriminator, createRandom(seed, STREAMS.init)),
    generator: initialParameters(generator, createRandom(seed, STREAMS.init + 16)),
  };
}

/**
 * A run's initial spectral-norm vectors for each wrapped linear layer, as
 * `torch.nn.utils.spectral_norm` draws them: `u` and `v` standard normal,
 * normalised (from the run's own stream; undefined for other layers).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { seededSpectralVectors } from "./parameters.ts";
 * import { spectralLinear } from "./layers/mod.ts";
 * const [vectors] = seededSpectralVectors(1, [spectralLinear(6, 3)]);
 * assertAlmostEquals(Math.hypot(...vectors!.v), 1, 1e-6);
 * ```
 */
export function seededSpectralVectors(
  seed: number,
  layers: readonly Layer[],
  network: "discriminator" | "generator" = "discriminator",
): ({ u: Float32Array; v: Float32Array } | undefined)[] {
  // G's from a stream of its own, so that D's vectors are what they were before G could have any.
  const random = createRandom(seed, STREAMS.spectral + (network === "generator" ? 16 : 0));
  const unit = (size: number) => {
    const values = Float32Array.from({ length: size }, () => gaussian(random));
    const norm = Math.max(Math.hypot(...values), 1e-12);
    return values.map((value) => value / norm);
  };
  return layers.map((layer) =>
    layer.type === "linear" && layer.spectralNorm
      ? { u: unit(layer.out), v: unit(layer.in) }
      : undefined
  );
}

/** The number of values in the packed vector described by `slots`. */
export function totalSize(slots: readonly ParameterSlot[]): number {
  const last = slots.at(-1);
  return last ? last.offset + last.size : 0;
}

/** A layer's parameters in PyTorch's layout, as the parity fixtures hold them. */
export interface LayerWeights {
  index: number;
  type: string;
  weight_out_in?: number[][];
  bias?: number[];
  gamma?: number[];
  beta?: number[];
  /** A spectrally normalised layer's power-iteration vectors (format 2 fixtures). */
  spectral_u?: number[];
  spectral_v?: number[];
}

/**
 * Packs PyTorch-layout weights (`weight_out_in` is `[out][in]`) into a packed
 * vector for `layers`.
 */
export function packWeights(
  layers: readonly Layer[],
  weights: readonly LayerWeights[],
): Float32Array {
  const slots = parameterSlots(layers);
  const values = new Float32Array(totalSize(slots));
  for (const slot of slots) {
    const entry = weights.find((w) => w.index === slot.layerIndex);
    if (!entry) throw new Error(`no weights for layer ${slot.layerIndex}`);
    const source = slotSource(entry, slot.name);
    if (slot.shape.length === 2) {
      const [inputs, outputs] = slot.shape;
      const matrix = source as number[][];
      for (let i = 0; i < inputs; i++) {
        for (let o = 0; o < outputs; o++) {
          values[slot.offset + i * outputs + o] = matrix[o][i];
        }
      }
    } else {
      values.set(source as number[], slot.offset);
    }
  }
  return values;
}

/** Unpacks a packed vector into PyTorch-layout weights, one entry per layer. */
export function unpackWeights(
  layers: readonly Layer[],
  values: ArrayLike<number>,
): LayerWeights[] {
  const entries = new Map<number, LayerWeights>();
  for (const slot of parameterSlots(layers)) {
    const layer = layers[slot.layerIndex];
    const entry = entries.get(slot.layerIndex) ??
      { index: slot.layerIndex, type: layer.type };
    entries.set(slot.layerIndex, entry);
    const flat = Array.from(
      { length: slot.size },
      (_, i) => values[slot.offset + i],
    );
    if (slot.shape.length === 2) {
      const [inputs, outputs] = slot.shape;
      entry.weight_out_in = Array.from(
        { length: outputs },
        (_, o) => Array.from({ length: inputs }, (_, i) => flat[i * outputs + o]),
      );
    } else if (slot.name === "bias") entry.bias = flat;
    else if (slot.name === "gain") entry.gamma = flat;
    else entry.beta = flat;
  }
  return [...entries.values()];
}

function slotSource(entry: LayerWeights, name: ParameterSlot["name"]) {
  const source = {
    kernel: entry.weight_out_in,
    bias: entry.bias,
    gain: entry.gamma,
    offset: entry.beta,
  }[name];
  if (!source) throw new Error(`layer ${entry.index} has no ${name}`);
  return source;
}
