/**
 * The named starting points an experiment builds on: the seed's GAN and the
 * book's first version.
 *
 * @module
 */
import type { NetworkShape } from "./architecture.ts";
import { type PatternSpec, SEED_PATTERN } from "./data.ts";
import type { Factors } from "./factors.ts";

/** A preset: the networks' shapes, the pattern, and every factor's default. */
export interface Preset {
  readonly description: string;
  readonly discriminator: NetworkShape;
  readonly generator: NetworkShape;
  readonly pattern: PatternSpec;
  readonly iterations: number;
  readonly factors: Factors;
}

/**
 * `seed`: the blog's 6→3→3→1 discriminator (Sigmoid, LayerNorm) and
 * 1→3→3→3→6 generator (LeakyReLU 0.02, LayerNorm), BCE, Adam (D 0.001,
 * G 0.01), 100,000 iterations. `book`: the book's first version, width 4,
 * sigmoid everywhere, MSE, SGD 0.01 for both, 10,000 iterations.
 */
export const PRESETS = {
  seed: {
    description: "the seed's GAN: LayerNorm D and G, BCE, Adam (D 0.001, G 0.01)",
    discriminator: { inputs: 6, hidden: [3, 3], outputs: 1, output: "sigmoid" },
    generator: { inputs: 1, hidden: [3, 3, 3], outputs: 6, output: "leaky_relu" },
    pattern: SEED_PATTERN,
    iterations: 100_000,
    factors: {
      loss: "bce",
      optimiser: "adam",
      lr: { d: 0.001, g: 0.01 },
      normalisation: "layer_norm",
      activation: { d: "sigmoid", g: "leaky_relu" },
      batchSize: 1,
      generatorInput: 0.5,
    },
  },
  book: {
    description: "the book's first version: width 4, sigmoid, MSE, SGD 0.01",
    discriminator: { inputs: 4, hidden: [3], outputs: 1, output: "sigmoid" },
    generator: { inputs: 1, hidden: [3], outputs: 4, output: "sigmoid" },
    pattern: { ...SEED_PATTERN, width: 4 },
    iterations: 10_000,
    factors: {
      loss: "mse",
      optimiser: "sgd",
      lr: { d: 0.01, g: 0.01 },
      normalisation: "none",
      activation: "sigmoid",
      batchSize: 1,
      generatorInput: 0.5,
    },
  },
} as const satisfies Record<string, Preset>;

/** A preset's name. */
export type PresetName = keyof typeof PRESETS;

/** Every preset name, for validation messages. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
