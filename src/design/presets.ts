/**
 * The named starting points an experiment builds on: the seed's GAN, the
 * book's first version, the literature's recipes on the seed's networks,
 * and each toy problem's own setup (`problems/`).
 *
 * @module
 */
import type { NetworkShape } from "./architecture.ts";
import { type DataSpec, SEED_PATTERN } from "../core/data.ts";
import type { Factors } from "./levels.ts";
import {
  type FixedNetworks,
  PROBLEM_KINDS,
  type ProblemName,
  SEED_PRESET,
} from "./problems/mod.ts";

/** A preset: the networks' shapes, the real data, and every factor's default. */
export interface Preset {
  readonly description: string;
  readonly discriminator: NetworkShape;
  readonly generator: NetworkShape;
  /** The real data: the seed's pattern, or the problem's distribution (the field keeps its first name). */
  readonly pattern: DataSpec;
  readonly iterations: number;
  readonly factors: Factors;
  /** The problem its runs are judged as (absent: the seed's pattern). */
  readonly problem?: ProblemName;
  /** Players that are not built from the shapes (the Dirac-GAN's). */
  readonly fixedNetworks?: FixedNetworks;
}

/** The seed's networks, pattern and length, which the literature's recipes below reuse. */
const SEED_NETWORKS = {
  discriminator: SEED_PRESET.discriminator,
  generator: SEED_PRESET.generator,
  pattern: SEED_PATTERN,
  iterations: SEED_PRESET.iterations,
} as const;

/** The seed's factors. */
const SEED_FACTORS = SEED_PRESET.factors satisfies Factors;

/** A toy problem's preset: its own setup, data and judgement. */
function problemPreset<N extends Exclude<ProblemName, "pattern">>(name: N) {
  const { preset, data } = PROBLEM_KINDS[name];
  return { ...preset, pattern: data, problem: name } as const;
}

/**
 * `seed`: the blog's 6→3→3→1 discriminator (Sigmoid, LayerNorm) and
 * 1→3→3→3→6 generator (LeakyReLU 0.02, LayerNorm), BCE, Adam (D 0.001,
 * G 0.01), 100,000 iterations. `book`: the book's first version, width 4,
 * sigmoid everywhere, MSE, SGD 0.01 for both, 10,000 iterations. `wgan`,
 * `wgan_gp`, `sngan`, `dcgan`: the literature's training recipes on the
 * seed's networks (each description says what it sets).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PRESETS } from "./presets.ts";
 * assertEquals(PRESETS.wgan_gp.factors.dSteps, 5);
 * ```
 */
export const PRESETS = {
  seed: {
    description: SEED_PRESET.description,
    ...SEED_NETWORKS,
    factors: SEED_FACTORS,
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
      penalty: "none",
      dSteps: 1,
    },
  },
  wgan: {
    description: "WGAN (Arjovsky et al. 2017, Algorithm 1) on the seed's networks: Wasserstein " +
      "loss, weight clipping 0.01, RMSprop 5e-5, 5 critic steps, each one D step on the summed " +
      "loss (the joint update)",
    ...SEED_NETWORKS,
    factors: {
      ...SEED_FACTORS,
      loss: "wasserstein",
      optimiser: "rmsprop",
      lr: { d: 5e-5, g: 5e-5 },
      penalty: { weightClip: 0.01 },
      dSteps: 5,
      dUpdate: "joint",
    },
  },
  wgan_gp: {
    description: "WGAN-GP (Gulrajani et al. 2017, Algorithm 1) on the seed's networks: " +
      "Wasserstein loss, gradient penalty λ 10, Adam 1e-4 β (0.5, 0.9), 5 critic steps, each " +
      "one D step on the summed loss and penalty (the joint update)",
    ...SEED_NETWORKS,
    factors: {
      ...SEED_FACTORS,
      loss: "wasserstein",
      optimiser: { name: "adam", beta1: 0.5, beta2: 0.9 },
      lr: { d: 1e-4, g: 1e-4 },
      penalty: { gradientPenalty: 10 },
      dSteps: 5,
      dUpdate: "joint",
    },
  },
  sngan: {
    description: "SN-GAN (Miyato et al. 2018) on the seed's networks: hinge loss, spectral " +
      "norm on D (G keeps LayerNorm), Adam 2e-4 β (0, 0.9), one D step on the summed loss " +
      "(the joint update)",
    ...SEED_NETWORKS,
    factors: {
      ...SEED_FACTORS,
      loss: "hinge",
      optimiser: { name: "adam", beta1: 0, beta2: 0.9 },
      lr: { d: 2e-4, g: 2e-4 },
      normalisation: { d: "spectral_norm", g: "layer_norm" },
      dUpdate: "joint",
    },
  },
  dcgan: {
    description: "DCGAN's training recipe (Radford et al. 2016) on the seed's networks: " +
      "BCE, Adam 2e-4 β (0.5, 0.999), one D step on the summed loss (the joint update)",
    ...SEED_NETWORKS,
    factors: {
      ...SEED_FACTORS,
      optimiser: { name: "adam", beta1: 0.5, beta2: 0.999 },
      lr: { d: 2e-4, g: 2e-4 },
      dUpdate: "joint",
    },
  },
  r3gan: {
    description: "R3GAN's baseline (Huang et al. 2024, brownvc/R3GAN `R3GAN/Trainer.py`) on the " +
      "seed's networks: the paired relativistic loss (RpGAN) with R1 and R2 together, " +
      "γ/2·(‖∇ₓC(x)‖² + ‖∇ₓ̃C(x̃)‖²) at γ 0.05, Adam 2e-4 β (0, 0.99), one D step on the " +
      "summed loss; γ and the rate are the paper's CIFAR-10 starting values, held fixed (the " +
      "paper decays both, and ramps β2 from 0.9 to 0.99)",
    ...SEED_NETWORKS,
    factors: {
      ...SEED_FACTORS,
      loss: "rsgan",
      optimiser: { name: "adam", beta1: 0, beta2: 0.99 },
      lr: { d: 2e-4, g: 2e-4 },
      penalty: [{ r1: 0.05 }, { r2: 0.05 }],
      dUpdate: "joint",
    },
  },
  dirac: problemPreset("dirac"),
  ring: problemPreset("ring"),
  grid: problemPreset("grid"),
  ring_linspace: problemPreset("ring_linspace"),
  five_gaussians: problemPreset("five_gaussians"),
} as const satisfies Record<string, Preset>;

/** A preset's name. */
export type PresetName = keyof typeof PRESETS;

/** Every preset name, for validation messages. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
