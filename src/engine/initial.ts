/**
 * Where every run of a batch starts: its seeded (or given) weights and
 * spectral-norm vectors, packed run after run, and its own optimiser
 * settings where the runs of a batch differ in them.
 *
 * @module
 */
import { NetworkError } from "../nn/layers/mod.ts";
import { hasSpectralNorm, type Network } from "../nn/network.ts";
import type { OptimiserOptions } from "../kinds/optimisers/mod.ts";
import { seededParameters, seededSpectralVectors } from "../nn/parameters.ts";
import type { BatchPlan } from "./plan.ts";
import type { RunSetup } from "./setup.ts";

/** Each run's starting numbers, packed run after run. */
export interface InitialValues {
  /** `R × P` each. */
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  /** D's spectral-norm vectors by layer, `R × out` and `R × in` (undefined for other layers). */
  readonly spectral: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
  /** G's, likewise (empty without spectral norm on G). */
  readonly generatorSpectral: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
}

/**
 * Each run's seeded (or given) weights and spectral vectors, packed run
 * after run: what both engines start from.
 *
 * @throws {NetworkError} when a given array does not fit the network.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { initialValues } from "./initial.ts";
 * import { planBatch } from "./plan.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const rates = { discriminator: 0.01, generator: 0.01 };
 * const runs = [{ seed: 1, learningRates: rates }, { seed: 2, learningRates: rates }];
 * const values = initialValues(planBatch(trainingSetup(resolveConfig("book", {})), runs), runs);
 * assertEquals(values.discriminator.length, 2 * 19);
 * ```
 */
export function initialValues(plan: BatchPlan, runs: readonly RunSetup[]): InitialValues {
  const packed = (network: Network, perRun: readonly Float32Array[]) => {
    const values = new Float32Array(plan.runs * network.parameterCount);
    runs.forEach((run, r) => {
      const own = perRun[r];
      if (own.length !== network.parameterCount) {
        throw new NetworkError(
          `run ${run.seed}: has ${own.length} parameters, the network ${network.parameterCount}`,
        );
      }
      values.set(own, r * network.parameterCount);
    });
    return values;
  };
  const initial = runs.map((run) =>
    run.initialParameters ??
      seededParameters(run.seed, plan.discriminator.layers, plan.generator.layers)
  );
  return {
    discriminator: packed(plan.discriminator, initial.map((p) => p.discriminator)),
    generator: packed(plan.generator, initial.map((p) => p.generator)),
    spectral: initialSpectral(plan.discriminator, runs, "discriminator"),
    generatorSpectral: initialSpectral(plan.generator, runs, "generator"),
  };
}

/**
 * Each run's own optimiser settings, if every run states them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { perRunOptimisers } from "./initial.ts";
 * const rates = { discriminator: 0.01, generator: 0.01 };
 * assertEquals(perRunOptimisers([{ seed: 1, learningRates: rates }]), undefined);
 * ```
 */
export function perRunOptimisers(runs: readonly RunSetup[]): OptimiserOptions[] | undefined {
  return runs.every((run) => run.optimiser) ? runs.map((run) => run.optimiser!) : undefined;
}

/** Each run's spectral-norm vectors for a network's wrapped layers, packed run after run. */
function initialSpectral(
  network: Network,
  runs: readonly RunSetup[],
  which: "discriminator" | "generator",
): InitialValues["spectral"] {
  if (!hasSpectralNorm(network)) return [];
  const seeded = runs.map((run) =>
    (which === "discriminator" ? run.initialSpectral : run.initialGeneratorSpectral) ??
      seededSpectralVectors(run.seed, network.layers, which)
  );
  return network.layers.map((layer, index) => {
    if (layer.type !== "linear" || !layer.spectralNorm) return undefined;
    const stacked = (pick: "u" | "v", size: number) => {
      const values = new Float32Array(runs.length * size);
      seeded.forEach((vectors, r) => {
        const own = vectors[index]?.[pick];
        if (!own || own.length !== size) {
          throw new NetworkError(
            `run ${runs[r].seed}: layer ${index} needs a spectral ${pick} of ${size} numbers`,
          );
        }
        values.set(own, r * size);
      });
      return values;
    };
    return { u: stacked("u", layer.out), v: stacked("v", layer.in) };
  });
}
