/**
 * gansweep: reproduce and extend the ablations of the "1010 pattern" GAN.
 *
 * @example
 * ```ts
 * import { defineExperiment } from "./mod.ts";
 * export default defineExperiment({
 *   name: "loss-x-optimiser",
 *   base: "seed",
 *   sweep: { loss: ["bce", "mse"], optimiser: ["adam", "sgd"] },
 *   seeds: 8,
 *   iterations: 20_000,
 * });
 * ```
 *
 * @module
 */
export * from "./src/layers.ts";
export { CURVE_COLUMNS } from "./src/engine.ts";
export {
  engineFor,
  type EngineName,
  ENGINES,
  trainBatch,
  type TrainWithOptions,
} from "./src/train.ts";
export type {
  CurveColumn,
  RunRecord,
  RunSetup,
  TrainingSetup,
  TrainOptions,
  TrainProgress,
} from "./src/engine.ts";
export { type GeneratorInput, type PatternSpec, SEED_PATTERN } from "./src/data.ts";
export { LOSS_KINDS, LOSSES, type LossKind, type LossName } from "./src/losses.ts";
export {
  OPTIMISER_KINDS,
  type OptimiserKind,
  type OptimiserName,
  type OptimiserOptions,
  OPTIMISERS,
} from "./src/optimisers.ts";
export {
  PENALTY_KINDS,
  type PenaltyKind,
  type PenaltyLevel,
  type PenaltyName,
} from "./src/penalties.ts";
export { type Preset, type PresetName, PRESETS } from "./src/presets.ts";
export * from "./src/architecture.ts";
export * from "./src/factors.ts";
export * from "./src/experiment.ts";
export { linspace, logspace } from "./src/ranges.ts";
export {
  choice,
  type Distribution,
  intRange,
  logUniform,
  type SearchSpec,
  uniform,
} from "./src/search.ts";
export * from "./src/checks.ts";
export { makeBatches, planSweep, runSweep } from "./src/sweep.ts";
export type { ExperimentPlan, RunOptions, SweepOutcome, SweepProgress } from "./src/sweep.ts";
export { expandGrid, type PlannedRun } from "./src/grid.ts";
export { summariseFactors, summariseGroups } from "./src/summary.ts";
export { useBackend } from "./src/backend.ts";
