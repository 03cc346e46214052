/**
 * A finished run's whole judgement: the shared checks (`checks.ts`), the
 * problem's own (its registry entry in `design/problems/`), which decides
 * the shared "did it learn?" answer for a toy problem, and the convergence
 * check from theory (`engine/jacobian.ts`), as runs.csv's columns.
 *
 * @module
 */
import { type CheckResult, checkRun, type CheckThresholds, combinedVerdict } from "./checks.ts";
import { formatValue, JACOBIAN_COLUMNS } from "./folder.ts";
import type { RunRecord } from "../engine/contract.ts";
import { jacobianCheck } from "../engine/jacobian.ts";
import { engineLearningRates, type RunConfig, trainingSetup } from "../design/factors.ts";
import { type Preset, PRESETS } from "../design/presets.ts";
import { PROBLEM_KINDS, type ProblemKind } from "../design/problems/mod.ts";

/** A run's checks and its judgement columns as text. */
export interface RunJudgement {
  readonly checks: CheckResult;
  readonly columns: Readonly<Record<string, string>>;
  /** Samples of the final G the problem keeps for plots. */
  readonly samples?: Float32Array;
}

/**
 * The problem a preset's runs are judged as (the seed's pattern where it names none).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { problemOf } from "./judgement.ts";
 * import { PRESETS } from "../design/presets.ts";
 * assertEquals(problemOf(PRESETS.ring).columns.includes("modes_captured"), true);
 * assertEquals(problemOf(PRESETS.seed).columns, []);
 * ```
 */
export function problemOf(preset: Preset): ProblemKind {
  return PROBLEM_KINDS[preset.problem ?? "pattern"];
}

/**
 * Judges a finished run of `config` with `seed`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { judgeRun } from "./judgement.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * import { trainBatch } from "../engine/train.ts";
 * import { thresholdsFor } from "./checks.ts";
 * const config = resolveConfig("dirac", { penalty: { r1: 1 } });
 * const [record] = await trainBatch(trainingSetup(config), [
 *   { seed: 1, learningRates: { discriminator: 0.2, generator: 0.2 } },
 * ]);
 * const { checks, columns } = judgeRun(config, record, 1, thresholdsFor("bce"));
 * assertEquals([columns.dirac_verdict, checks.patternLearned, columns.locally_stable], ["converged", true, "true"]);
 * ```
 */
export function judgeRun(
  config: RunConfig,
  record: RunRecord,
  seed: number,
  thresholds: CheckThresholds,
): RunJudgement {
  const preset: Preset = PRESETS[config.base];
  const setup = trainingSetup(config);
  const shared = checkRun(record, config.loss, preset.pattern, thresholds);
  const problem = problemOf(preset);
  const own = problem.judge?.({ record, setup, seed });
  const checks: CheckResult = own
    ? {
      ...shared,
      patternLearned: own.learned,
      verdict: combinedVerdict(own.learned, shared.ending),
    }
    : shared;
  const theory = jacobianCheck(setup, {
    seed,
    learningRates: engineLearningRates(config),
    discriminator: record.finalParameters.discriminator,
    generator: record.finalParameters.generator,
  });
  const columns: Record<string, string> = Object.fromEntries(
    JACOBIAN_COLUMNS.map((column) => [column, ""]),
  );
  if (theory) {
    Object.assign(columns, {
      gradient_field_norm: formatValue(theory.fieldNorm),
      jacobian_max_real: formatValue(theory.maxReal),
      update_spectral_radius: formatValue(theory.spectralRadius),
      locally_stable: String(theory.locallyStable),
    });
  }
  for (const [column, value] of Object.entries(own?.values ?? {})) {
    columns[column] = formatValue(value);
  }
  return { checks, columns, samples: own?.samples };
}
