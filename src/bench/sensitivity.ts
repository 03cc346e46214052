/**
 * How chaotic an experiment's runs are: each run trained as seeded and
 * again with one generator weight moved by one float32 ulp (about 1e-7
 * relative), on one engine, and the verdicts compared. The count is the
 * yardstick for any change of arithmetic: two engines (or machines, or
 * versions) whose float32 rounding differs cannot be expected to agree on
 * more runs than this.
 *
 * @module
 */
import { checkRun, thresholdsFor } from "../results/checks.ts";
import { loadExperiment } from "../design/experiment.ts";
import { engineLearningRates, trainingSetup } from "../design/factors.ts";
import { expandGrid, filterRuns } from "../design/grid.ts";
import { seededParameters } from "../nn/parameters.ts";
import { PRESETS } from "../design/presets.ts";
import { makeBatches } from "../run/batches.ts";
import { type EngineName, trainBatch } from "../engine/train.ts";

/** What moving one weight by one ulp did to an experiment's runs. */
export interface Sensitivity {
  readonly runs: number;
  /** Runs whose verdict changed. */
  readonly verdictsChanged: number;
  /** Runs whose answer to "did G learn the pattern?" changed. */
  readonly patternsChanged: number;
}

/**
 * `value` moved away from zero by one float32 ulp.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { nextFloat32 } from "./sensitivity.ts";
 * assertEquals(nextFloat32(1), 1 + 2 ** -23);
 * ```
 */
export function nextFloat32(value: number): number {
  const bits = new Uint32Array(Float32Array.of(value).buffer);
  bits[0] += 1; // sign and magnitude: one more step of magnitude, either sign
  return new Float32Array(bits.buffer)[0];
}

/**
 * Trains every run of an experiment file (those `only` keeps, as the sweep's
 * `--only` does) twice on `engine`, as seeded and with G's first weight one
 * ulp up, with `iterations` if given, and counts the runs whose outcome differs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sensitivity } from "./sensitivity.ts";
 * import { useBackend } from "../engine/backend.ts";
 * await useBackend();
 * const { runs } = await sensitivity("experiments/quick.ts", "fused", {
 *   iterations: 20,
 *   only: ["loss=mse"],
 * });
 * assertEquals(runs, 32);
 * ```
 */
export async function sensitivity(
  file: string,
  engine: EngineName,
  { iterations, only = [] }: { iterations?: number; only?: readonly string[] } = {},
): Promise<Sensitivity> {
  const loaded = await loadExperiment(file);
  const experiment = iterations ? { ...loaded, iterations } : loaded;
  const runs = filterRuns(await expandGrid(experiment), only);
  let verdictsChanged = 0;
  let patternsChanged = 0;
  for (const batch of makeBatches(runs, 1)) {
    const config = batch.runs[0].config;
    const setup = trainingSetup(config);
    const train = (nudged: boolean) =>
      trainBatch(
        setup,
        batch.runs.map((run) => {
          const initial = seededParameters(run.seed, setup.discriminator, setup.generator);
          if (nudged) initial.generator[0] = nextFloat32(initial.generator[0]);
          return {
            seed: run.seed,
            learningRates: engineLearningRates(run.config),
            optimiser: run.config.optimiser,
            penalty: run.config.penalty,
            initialParameters: initial,
          };
        }),
        { engine },
      );
    const [seeded, nudged] = [await train(false), await train(true)];
    const pattern = PRESETS[config.base].pattern;
    batch.runs.forEach((run, i) => {
      const thresholds = thresholdsFor(run.config.loss, experiment.checks);
      const [a, b] = [seeded[i], nudged[i]].map((record) =>
        checkRun(record, run.config.loss, pattern, thresholds)
      );
      if (a.verdict !== b.verdict) verdictsChanged++;
      if (a.patternLearned !== b.patternLearned) patternsChanged++;
    });
  }
  return { runs: runs.length, verdictsChanged, patternsChanged };
}
