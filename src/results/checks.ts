/**
 * Convergence checks: measured values over the trailing window of a run's
 * records, and the verdict they add up to.
 *
 * @module
 */
import { type DataSpec, distanceToData } from "../core/data.ts";
import type { CheckThresholds } from "../core/thresholds.ts";
import type { Recording } from "../engine/records.ts";
import { LOSSES, lossKind, type LossName, type WindowMeans } from "../kinds/losses/mod.ts";

export { CHECK_NAMES, type CheckThresholds } from "../core/thresholds.ts";

/** The default thresholds for each loss, as its registry entry declares them. */
export const DEFAULT_THRESHOLDS = Object.fromEntries(
  LOSSES.map((name) => [name, lossKind(name).thresholds]),
) as Record<LossName, CheckThresholds>;

/**
 * The thresholds a run of `loss` is judged by: its loss's defaults with an
 * experiment's own `checks` over them (the one place they are merged).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { thresholdsFor } from "./checks.ts";
 * assertEquals(thresholdsFor("bce", { window: 0.2 }).window, 0.2);
 * assertEquals(thresholdsFor("bce").patternTolerance, 0.1);
 * ```
 */
export function thresholdsFor(
  loss: LossName,
  custom: Partial<CheckThresholds> = {},
): CheckThresholds {
  return { ...DEFAULT_THRESHOLDS[loss], ...custom };
}

/**
 * How training ended, judged from the losses and D's outputs alone (never
 * from G's output): the first that applies.
 */
export const ENDINGS = [
  "diverged",
  "discriminator_wins",
  "oscillating",
  "no_equilibrium",
  "equilibrium",
] as const;

/** How a run's training ended. */
export type Ending = typeof ENDINGS[number];

/**
 * The combined label of a run, from worst to best: the ending when G did not
 * learn the pattern (`equilibrium_only` for an equilibrium without it), and
 * for a run whose G learned the pattern `converged` (at equilibrium) or
 * `pattern_only` (any other ending), so that no label hides a learned pattern.
 */
export const VERDICTS = [
  "diverged",
  "discriminator_wins",
  "oscillating",
  "no_equilibrium",
  "equilibrium_only",
  "pattern_only",
  "converged",
] as const;

/** A run's combined verdict. */
export type Verdict = typeof VERDICTS[number];

/** The two answers about a run and the label they combine into. */
export interface Outcome {
  /** Did G learn the pattern: every recorded output in the window close to it and ordered. */
  readonly patternLearned: boolean;
  /** How training ended. */
  readonly ending: Ending;
  /** The combined label, kept for continuity. */
  readonly verdict: Verdict;
}

/** Every measured value of the checks, each its own CSV column. */
export interface CheckValues {
  readonly d_loss_real_mean: number;
  readonly d_loss_real_sd: number;
  readonly d_loss_fake_mean: number;
  readonly d_loss_fake_sd: number;
  readonly g_loss_mean: number;
  readonly g_loss_sd: number;
  readonly d_real_mean: number;
  readonly d_fake_mean: number;
  /** The largest |window mean − equilibrium| of the three losses. */
  readonly equilibrium_error: number;
  /** |D(G(z)) window mean − 0.5|. */
  readonly d_fake_error: number;
  /** How far G's recorded outputs in the window are from the data, on average (`distanceToData`: for the pattern, mean |output − centre|). */
  readonly pattern_error: number;
  /** The share of the window's G outputs whose every high slot exceeds every low slot. */
  readonly pattern_ordered_fraction: number;
  /** Whether all of them are (`pattern_ordered_fraction` is 1). */
  readonly pattern_ordered: boolean;
  /** The largest standard deviation of the three losses in the window. */
  readonly loss_sd_max: number;
  /** The largest |G output| recorded in the window. */
  readonly g_output_max_abs: number;
  /** The first recorded iteration with a NaN or infinite value, or "". */
  readonly diverged_at: number | "";
}

/** The measured values of one run and what they add up to. */
export interface CheckResult extends Outcome {
  readonly values: CheckValues;
}

/**
 * Measures a run's trailing window and judges it (see {@linkcode judge}).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkRun, DEFAULT_THRESHOLDS } from "./checks.ts";
 * import { SEED_PATTERN } from "../core/data.ts";
 * const curve = () => Float32Array.from({ length: 10 }, () => Math.LN2);
 * const { patternLearned, ending, verdict } = checkRun({
 *   curveIterations: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
 *   curves: {
 *     d_loss_real: curve(), d_loss_fake: curve(), g_loss: curve(),
 *     d_real: curve().fill(0.5), d_fake: curve().fill(0.5), penalty: curve().fill(0),
 *   },
 *   patternIterations: [100],
 *   patterns: Float32Array.of(0.9, 0.1, 0.9, 0.1, 0.9, 0.1),
 *   divergedAt: null,
 * }, "bce", SEED_PATTERN, DEFAULT_THRESHOLDS.bce);
 * assertEquals([patternLearned, ending, verdict], [true, "equilibrium", "converged"]);
 * ```
 */
export function checkRun(
  record: Recording,
  loss: LossName,
  pattern: DataSpec,
  thresholds: CheckThresholds,
): CheckResult {
  const checks = lossKind(loss).checks;
  const total = record.curveIterations.at(-1) ?? 0;
  const from = total - thresholds.window * total;
  const inWindow = indicesFrom(record.curveIterations, from);
  const stats = (values: Float32Array) => meanAndSd(inWindow.map((i) => values[i]));
  const dReal = stats(record.curves.d_loss_real);
  const dFake = stats(record.curves.d_loss_fake);
  const gLoss = stats(record.curves.g_loss);
  const dRealOut = stats(record.curves.d_real);
  const dFakeOut = stats(record.curves.d_fake);
  const output = outputChecks(record, pattern, from);
  const means: WindowMeans = {
    dLossReal: dReal.mean,
    dLossFake: dFake.mean,
    gLoss: gLoss.mean,
    dReal: dRealOut.mean,
    dFake: dFakeOut.mean,
  };
  const values: CheckValues = {
    d_loss_real_mean: dReal.mean,
    d_loss_real_sd: dReal.sd,
    d_loss_fake_mean: dFake.mean,
    d_loss_fake_sd: dFake.sd,
    g_loss_mean: gLoss.mean,
    g_loss_sd: gLoss.sd,
    d_real_mean: dRealOut.mean,
    d_fake_mean: dFakeOut.mean,
    equilibrium_error: checks.equilibriumError(means),
    d_fake_error: checks.dFakeError(means),
    pattern_error: output.error,
    pattern_ordered_fraction: output.orderedFraction,
    pattern_ordered: output.orderedFraction === 1,
    loss_sd_max: Math.max(dReal.sd, dFake.sd, gLoss.sd),
    g_output_max_abs: output.maxAbs,
    diverged_at: record.divergedAt ?? "",
  };
  return { values, ...judge(values, loss, thresholds) };
}

/**
 * Judges a run from its measured values: whether G learned the pattern
 * (`patternTolerance` alone), how training ended (every other threshold),
 * and the combined label.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { type CheckValues, DEFAULT_THRESHOLDS, judge } from "./checks.ts";
 * // G emits the pattern while D keeps an edge: D's loss on fakes is 0.28, not 0.25.
 * const values: CheckValues = {
 *   d_loss_real_mean: 0.24, d_loss_real_sd: 0.01, d_loss_fake_mean: 0.28, d_loss_fake_sd: 0.01,
 *   g_loss_mean: 0.23, g_loss_sd: 0.01, d_real_mean: 0.51, d_fake_mean: 0.52,
 *   equilibrium_error: 0.03, d_fake_error: 0.02, pattern_error: 0.04,
 *   pattern_ordered_fraction: 1, pattern_ordered: true, loss_sd_max: 0.01,
 *   g_output_max_abs: 0.95, diverged_at: "",
 * };
 * assertEquals(judge(values, "mse", DEFAULT_THRESHOLDS.mse), {
 *   patternLearned: true,
 *   ending: "no_equilibrium",
 *   verdict: "pattern_only",
 * });
 * ```
 */
export function judge(values: CheckValues, loss: LossName, thresholds: CheckThresholds): Outcome {
  const patternLearned = learnedPattern(values, thresholds);
  const ending = endingOf(values, loss, thresholds);
  return { patternLearned, ending, verdict: combinedVerdict(patternLearned, ending) };
}

/** G learned the pattern: every output in the window ordered, within tolerance on average. */
function learnedPattern(values: CheckValues, t: CheckThresholds): boolean {
  return values.pattern_error <= t.patternTolerance && values.pattern_ordered;
}

function endingOf(values: CheckValues, loss: LossName, t: CheckThresholds): Ending {
  const finite = [values.equilibrium_error, values.loss_sd_max, values.pattern_error]
    .every(Number.isFinite);
  if (values.diverged_at !== "" || !finite || values.g_output_max_abs > t.explodeLimit) {
    return "diverged";
  }
  const means: WindowMeans = {
    dLossReal: values.d_loss_real_mean,
    dLossFake: values.d_loss_fake_mean,
    gLoss: values.g_loss_mean,
    dReal: values.d_real_mean,
    dFake: values.d_fake_mean,
  };
  if (lossKind(loss).checks.discriminatorWins(means, t.discriminatorWinsRatio)) {
    return "discriminator_wins";
  }
  if (values.loss_sd_max > t.stabilityLimit) return "oscillating";
  const atEquilibrium = values.equilibrium_error <= t.lossTolerance &&
    values.d_fake_error <= t.dFakeTolerance;
  return atEquilibrium ? "equilibrium" : "no_equilibrium";
}

/**
 * The combined label of the two answers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { combinedVerdict } from "./checks.ts";
 * assertEquals(combinedVerdict(true, "equilibrium"), "converged");
 * assertEquals(combinedVerdict(true, "discriminator_wins"), "pattern_only");
 * assertEquals(combinedVerdict(false, "equilibrium"), "equilibrium_only");
 * assertEquals(combinedVerdict(false, "oscillating"), "oscillating");
 * ```
 */
export function combinedVerdict(patternLearned: boolean, ending: Ending): Verdict {
  if (patternLearned) return ending === "equilibrium" ? "converged" : "pattern_only";
  return ending === "equilibrium" ? "equilibrium_only" : ending;
}

function indicesFrom(iterations: readonly number[], from: number): number[] {
  const indices: number[] = [];
  iterations.forEach((iteration, i) => {
    if (iteration > from) indices.push(i);
  });
  if (indices.length === 0 && iterations.length > 0) indices.push(iterations.length - 1);
  return indices;
}

/** The mean and (population) standard deviation of some numbers. */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  if (values.length === 0) return { mean: NaN, sd: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * G's outputs in the window, each judged on its own (an average over the
 * window could look like the pattern while no single output does).
 */
function outputChecks(record: Recording, data: DataSpec, from: number) {
  const { width } = data;
  const isPattern = (data.kind ?? "pattern") === "pattern";
  const indices = indicesFrom(record.patternIterations, from);
  let error = 0;
  let ordered = 0;
  let maxAbs = 0;
  for (const k of indices) {
    const output = Array.from(record.patterns.subarray(k * width, (k + 1) * width));
    error += distanceToData(data, output);
    // Only a pattern has an order (its high slots above its low ones).
    if (isPattern) {
      const high = output.filter((_, i) => i % 2 === 0);
      const low = output.filter((_, i) => i % 2 === 1);
      if (Math.min(...high) > Math.max(...low)) ordered++;
    }
    for (const v of output) maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const count = indices.length;
  return {
    error: count ? error / count : NaN,
    orderedFraction: count ? ordered / count : NaN,
    maxAbs: count && Number.isFinite(error) ? maxAbs : NaN,
  };
}
