/**
 * Which engine trains a batch, and training with it: the fused engine
 * (`fused/`, one tfjs kernel call per chunk of iterations) by default, the
 * reference engine (`reference/`, tf ops, the one the fused engine is tested
 * against) on request, or where a batch has no fused form (a kind added
 * without one; every kind registered today has one).
 *
 * @module
 */
import type { TrainOptions } from "./driver.ts";
import type { RunRecord } from "./records.ts";
import type { RunSetup, TrainingSetup } from "./setup.ts";
import { trainBatchReference } from "./reference/executor.ts";
import { trainBatchFused } from "./fused/engine.ts";
import { fusedSupport } from "./fused/program.ts";

/** The engines, the default first. */
export const ENGINES = ["fused", "reference"] as const;

/** An engine's name. */
export type EngineName = typeof ENGINES[number];

/**
 * The engine that trains a setup when `requested` is asked for, and why it
 * is not the one asked for (if it is not).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { engineFor } from "./train.ts";
 * assertEquals(engineFor({ penalty: { name: "r1", gamma: 10 } }).engine, "fused");
 * assertEquals(engineFor({}, "reference").engine, "reference");
 * ```
 */
export function engineFor(
  setup: Pick<TrainingSetup, "penalty">,
  requested: EngineName = "fused",
): { engine: EngineName; reason?: string } {
  if (requested === "reference") return { engine: "reference" };
  const reason = fusedSupport({ penalty: setup.penalty });
  return reason ? { engine: "reference", reason } : { engine: "fused" };
}

/** Options of {@link trainBatch}: the engine's, and which engine to ask for. */
export interface TrainWithOptions extends TrainOptions {
  /** Default `fused` (the reference where a setup has no fused form). */
  readonly engine?: EngineName;
}

/**
 * Trains every run of `runs` with the shared `setup` on the engine
 * {@link engineFor} picks. Both engines take the same runs and options and
 * give records in the same form, and their snapshots resume on either.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trainBatch } from "./train.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const [record] = await trainBatch(
 *   { ...trainingSetup(resolveConfig("book", {})), iterations: 100 },
 *   [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 *   { engine: "reference" },
 * );
 * assertEquals(record.curves.g_loss.length, 10);
 * ```
 */
export function trainBatch(
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options: TrainWithOptions = {},
): Promise<RunRecord[]> {
  const { engine } = engineFor(setup, options.engine);
  return engine === "reference"
    ? trainBatchReference(setup, runs, options)
    : trainBatchFused(setup, runs, options);
}
