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
export * from "./src/nn/layers/mod.ts";
export { CURVE_COLUMNS, type CurveColumn } from "./src/engine/step.ts";
export {
  engineFor,
  type EngineName,
  ENGINES,
  trainBatch,
  type TrainWithOptions,
} from "./src/engine/train.ts";
export type { RunRecord } from "./src/engine/records.ts";
export type { RunSetup, TrainingSetup } from "./src/engine/setup.ts";
export type { TrainOptions, TrainProgress } from "./src/engine/driver.ts";
export { type GeneratorInput, type PatternSpec, SEED_PATTERN } from "./src/core/data.ts";
export { LOSS_KINDS, LOSSES, type LossKind, type LossName } from "./src/kinds/losses/mod.ts";
export {
  OPTIMISER_KINDS,
  type OptimiserKind,
  type OptimiserName,
  type OptimiserOptions,
  OPTIMISERS,
} from "./src/kinds/optimisers/mod.ts";
export {
  PENALTY_KINDS,
  type PenaltyKind,
  type PenaltyLevel,
  type PenaltyName,
} from "./src/kinds/penalties/mod.ts";
export { type Preset, type PresetName, PRESETS } from "./src/design/presets.ts";
export * from "./src/design/architecture.ts";
export * from "./src/design/factors.ts";
export * from "./src/design/experiment.ts";
export type {
  PlusMinusKind,
  PublishedConfiguration,
  PublishedMeasureName,
  PublishedPaper,
  PublishedSpec,
  PublishedValue,
} from "./src/design/published.ts";
export { linspace, logspace } from "./src/design/ranges.ts";
export {
  choice,
  type Distribution,
  intRange,
  logUniform,
  type SearchSpec,
  uniform,
} from "./src/design/search.ts";
export * from "./src/results/checks.ts";
export { planSweep, runSweep } from "./src/run/sweep.ts";
export { type Batch, makeBatches } from "./src/run/batches.ts";
export type { ExperimentPlan, RunOptions, SweepOutcome, SweepProgress } from "./src/run/sweep.ts";
export { expandGrid, type PlannedRun } from "./src/design/grid.ts";
export { summariseFactors, summariseGroups } from "./src/analysis/summary.ts";
export { useBackend } from "./src/engine/backend.ts";
