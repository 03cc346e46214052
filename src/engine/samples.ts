/**
 * What a trained generator makes, and the spectral-norm vectors a trained
 * network's judgement uses: for the checks that look at a run after
 * training (the mixtures' mode metrics, the Jacobian check), drawn from the
 * run's evaluation stream, never from the streams that trained it.
 *
 * @module
 */
import { createRandom, gaussian, STREAMS } from "../core/random.ts";
import { inputWidth } from "../core/data.ts";
import type { FusedSpectral } from "../nn/layers/mod.ts";
import { createNetwork, hasSpectralNorm, type Network } from "../nn/network.ts";
import { seededSpectralVectors } from "../nn/parameters.ts";
import type { TrainingSetup } from "./setup.ts";
import { withKernels } from "../nn/kernels/mod.ts";
import { fusedNetwork } from "./fused/network.ts";
import { toFeatures, toSamples } from "./fused/layout.ts";

/** Power iterations that settle a trained network's spectral-norm vectors (σ to float32 precision). */
export const SETTLING_ITERATIONS = 100;

/**
 * A network's spectral-norm vectors for one run's parameters, settled by
 * {@link SETTLING_ITERATIONS} power iterations from its seeded ones (so σ
 * is the kernel's largest singular value); empty without spectral norm.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { settledSpectral } from "./samples.ts";
 * import { createNetwork } from "../nn/network.ts";
 * import { linear } from "../nn/layers/mod.ts";
 * assertEquals(settledSpectral(createNetwork([linear(1, 1)]), new Float32Array(2), 1, "generator"), []);
 * ```
 */
export function settledSpectral(
  network: Network,
  parameters: Float32Array,
  seed: number,
  which: "discriminator" | "generator",
): (FusedSpectral | undefined)[] {
  if (!hasSpectralNorm(network)) return [];
  const vectors = seededSpectralVectors(seed, network.layers, which).map((pair) =>
    pair && { u: pair.u.slice(), v: pair.v.slice() }
  );
  withKernels((kernels) => {
    const passes = fusedNetwork(network, 1, 1, 1, kernels);
    for (let i = 0; i < SETTLING_ITERATIONS; i++) passes.advanceSpectral(parameters, vectors);
  });
  return vectors;
}

/**
 * G's inputs for `count` samples from a run's evaluation stream: the
 * constant, or standard normal noise.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { evaluationInputs } from "./samples.ts";
 * assertEquals(evaluationInputs({ kind: "constant", value: 0.5 }, 1, 2), Float32Array.of(0.5, 0.5));
 * ```
 */
export function evaluationInputs(
  input: NonNullable<TrainingSetup["generatorInput"]>,
  seed: number,
  count: number,
): Float32Array {
  const values = new Float32Array(count * inputWidth(input));
  if (input.kind === "constant") return values.fill(input.value);
  const random = createRandom(seed, STREAMS.evaluation);
  for (let i = 0; i < values.length; i++) values[i] = gaussian(random);
  return values;
}

/**
 * `count` samples of a trained G (`count × width`, one after another), on
 * inputs from the run's evaluation stream.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { generatorSamples } from "./samples.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const setup = trainingSetup(resolveConfig("dirac", {}));
 * assertEquals(generatorSamples(setup, Float32Array.of(0.25), 1, 3), Float32Array.of(0.25, 0.25, 0.25));
 * ```
 */
export function generatorSamples(
  setup: TrainingSetup,
  generator: Float32Array,
  seed: number,
  count: number,
): Float32Array {
  const input = setup.generatorInput ?? { kind: "constant", value: 0.5 };
  const network = createNetwork(setup.generator);
  const width = inputWidth(input);
  const spectral = settledSpectral(network, generator, seed, "generator");
  // The fused passes take and give features (`[width, count]`); the samples go one after another.
  const z = toFeatures(evaluationInputs(input, seed, count), width);
  return withKernels((kernels) => {
    const output = fusedNetwork(network, 1, count, width, kernels).forward(z, generator, spectral);
    return toSamples(output, output.length / count);
  });
}
