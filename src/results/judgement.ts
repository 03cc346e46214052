/**
 * A finished run's whole judgement: the shared checks (`checks.ts`), the
 * problem's own (its registry entry in `design/problems/`), which decides
 * the shared "did it learn?" answer for a toy problem, and the convergence
 * check from theory (`engine/jacobian.ts`), as runs.csv's columns.
 *
 * @module
 */
import {
  type CheckResult,
  checkRun,
  type CheckThresholds,
  combinedVerdict,
  type Ending,
  type Outcome,
} from "./checks.ts";
import { formatValue, JACOBIAN_COLUMNS } from "./folder.ts";
import type { RunRecord } from "../engine/records.ts";
import { jacobianCheck } from "../engine/jacobian.ts";
import { engineLearningRates, type RunConfig, trainingSetup } from "../design/factors.ts";
import { type Preset, PRESETS } from "../design/presets.ts";
import { PROBLEM_KINDS, type ProblemJudgement, type ProblemKind } from "../design/problems/mod.ts";

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

/** What judges a run whatever the experiment's thresholds: its problem's own verdict and the check from theory. */
export interface TrainingJudgement {
  readonly own?: ProblemJudgement;
  /** The convergence check's and the problem's columns, as text. */
  readonly columns: Readonly<Record<string, string>>;
  /** Samples of the final G the problem keeps for plots. */
  readonly samples?: Float32Array;
}

/**
 * A finished run's problem judgement and convergence check: the part of
 * its judgement that depends on the run alone, made once for a run that
 * several experiments declare.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { judgeTraining } from "./judgement.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * import { trainBatch } from "../engine/train.ts";
 * const config = resolveConfig("dirac", {});
 * const [record] = await trainBatch(trainingSetup(config), [
 *   { seed: 1, learningRates: { discriminator: 0.2, generator: 0.2 } },
 * ]);
 * assertEquals(judgeTraining(config, record, 1).columns.dirac_verdict, "cycling");
 * ```
 */
export function judgeTraining(
  config: RunConfig,
  record: RunRecord,
  seed: number,
): TrainingJudgement {
  const setup = trainingSetup(config);
  const own = problemOf(PRESETS[config.base]).judge?.({ record, setup, seed });
  const theory = jacobianCheck(setup, {
    seed,
    learningRates: engineLearningRates(config),
    discriminator: record.finalParameters.discriminator,
    generator: record.finalParameters.generator,
  });
  const columns: Record<string, string> = Object.fromEntries(
    JACOBIAN_COLUMNS.map((column) => [column, ""]),
  );
  // Not computed (too large, a diverged run's non-finite point, or eigenvalues that did not
  // converge): the cells stay empty.
  if (theory && !("notComputed" in theory)) {
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
  return { own, columns, samples: own?.samples };
}

/**
 * The shared answer of a toy problem's run: its own verdict decides whether
 * it learned, and a run it judges `diverged` ended diverged whatever its
 * losses say, so that the shared `verdict` never contradicts the problem's.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { problemOutcome } from "./judgement.ts";
 * assertEquals(problemOutcome("no_equilibrium", { learned: false, verdict: "diverged" }), {
 *   patternLearned: false, ending: "diverged", verdict: "diverged",
 * });
 * assertEquals(problemOutcome("equilibrium", { learned: true, verdict: "converged" }).verdict, "converged");
 * ```
 */
export function problemOutcome(
  ending: Ending,
  own: { readonly learned: boolean; readonly verdict: string },
): Outcome {
  const shared = own.verdict === "diverged" ? "diverged" : ending;
  return {
    patternLearned: own.learned,
    ending: shared,
    verdict: combinedVerdict(own.learned, shared),
  };
}

/**
 * Judges a finished run of `config` with `seed` by an experiment's
 * thresholds (`training`, its run-only part, made here unless given).
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
  training: TrainingJudgement = judgeTraining(config, record, seed),
): RunJudgement {
  const shared = checkRun(record, config.loss, PRESETS[config.base].pattern, thresholds);
  const { own } = training;
  const checks: CheckResult = own ? { ...shared, ...problemOutcome(shared.ending, own) } : shared;
  return { checks, columns: training.columns, samples: training.samples };
}
