/**
 * The named starting points: the seed's GAN and the book's first version.
 *
 * @module
 */
import type { TrainingSetup } from "./engine.ts";
import { type PatternSpec, SEED_PATTERN } from "./data.ts";
import { layerNorm, leakyRelu, linear, sigmoid } from "./layers.ts";

/** A preset: a training setup and the learning rates it uses. */
export interface Preset {
  readonly description: string;
  readonly setup: TrainingSetup;
  readonly learningRates: { readonly discriminator: number; readonly generator: number };
}

/** The book's first version's pattern: width 4. */
export const BOOK_PATTERN: PatternSpec = { ...SEED_PATTERN, width: 4 };

/**
 * `seed`: the blog's 6→3→3→1 discriminator (Sigmoid, LayerNorm) and
 * 1→3→3→3→6 generator (LeakyReLU 0.02, LayerNorm), BCE, Adam (D 0.001,
 * G 0.01), 100,000 iterations. `book`: the book's first version, width 4,
 * MSE, SGD 0.01 for both, 10,000 iterations.
 */
export const PRESETS = {
  seed: {
    description: "the seed's GAN: LayerNorm D and G, BCE, Adam (D 0.001, G 0.01)",
    setup: {
      discriminator: [
        linear(6, 3),
        sigmoid(),
        layerNorm(3),
        linear(3, 3),
        sigmoid(),
        layerNorm(3),
        linear(3, 1),
        sigmoid(),
      ],
      generator: [
        linear(1, 3),
        leakyRelu(0.02),
        layerNorm(3),
        linear(3, 3),
        leakyRelu(0.02),
        layerNorm(3),
        linear(3, 3),
        leakyRelu(0.02),
        layerNorm(3),
        linear(3, 6),
        leakyRelu(0.02),
      ],
      loss: "bce",
      optimisers: { discriminator: { name: "adam" }, generator: { name: "adam" } },
      iterations: 100_000,
      pattern: SEED_PATTERN,
    },
    learningRates: { discriminator: 0.001, generator: 0.01 },
  },
  book: {
    description: "the book's first version: width 4, sigmoid, MSE, SGD 0.01",
    setup: {
      discriminator: [linear(4, 3), sigmoid(), linear(3, 1), sigmoid()],
      generator: [linear(1, 3), sigmoid(), linear(3, 4), sigmoid()],
      loss: "mse",
      optimisers: { discriminator: { name: "sgd" }, generator: { name: "sgd" } },
      iterations: 10_000,
      pattern: BOOK_PATTERN,
    },
    learningRates: { discriminator: 0.01, generator: 0.01 },
  },
} as const satisfies Record<string, Preset>;

/** A preset's name. */
export type PresetName = keyof typeof PRESETS;
