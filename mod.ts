/**
 * gansweep: reproduce and extend the ablations of the "1010 pattern" GAN.
 *
 * @example
 * ```ts
 * import { PRESETS, trainBatch, useBackend } from "./mod.ts";
 * await useBackend();
 * const records = await trainBatch({ ...PRESETS.seed.setup, iterations: 1000 }, [
 *   { seed: 1, learningRates: PRESETS.seed.learningRates },
 *   { seed: 2, learningRates: PRESETS.seed.learningRates },
 * ]);
 * ```
 *
 * @module
 */
export * from "./src/layers.ts";
export { CURVE_COLUMNS, trainBatch } from "./src/engine.ts";
export type {
  CurveColumn,
  RunRecord,
  RunSetup,
  TrainingSetup,
  TrainOptions,
  TrainProgress,
} from "./src/engine.ts";
export { type GeneratorInput, type PatternSpec, SEED_PATTERN } from "./src/data.ts";
export { EQUILIBRIUM_LOSS, LOSSES, type LossName } from "./src/losses.ts";
export { type OptimiserOptions, OPTIMISERS } from "./src/optimisers.ts";
export { type Preset, type PresetName, PRESETS } from "./src/presets.ts";
export { useBackend } from "./src/backend.ts";
