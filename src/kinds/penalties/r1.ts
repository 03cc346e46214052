/**
 * `{ r1: γ }`: Mescheder et al. 2018's R1 regulariser: on D's step on real
 * samples, add `γ/2 · mean(‖∇ₓ s(x)‖²)` at the real samples, with `s` D's
 * score (before a final sigmoid). It reuses that step's pass (and its
 * spectral-norm vectors).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { r1 } from "./r1.ts";
 * assertEquals([r1.key, r1.setting], ["r1", "gamma"]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  type FusedGradientNorm,
  gradientNormPenalty,
  type PenaltyContext,
  type PenaltyKind,
  type PenaltyTerm,
  type PenaltyValue,
  settingFactor,
} from "./kind.ts";

/** The R1 gradient penalty on real data. */
export const r1 = {
  description: "γ/2·‖∇ₓ s(x)‖² on real samples",
  reference: "Mescheder et al. 2018 (R1)",
  key: "r1",
  setting: "gamma",
  allowed: "a number γ ≥ 0",
  isAllowed: (value: number) => value >= 0,
  onReal: zeroCentredTerm("real"),
  fused: { gradientNorm: zeroCentred("real") },
} satisfies PenaltyKind;

/**
 * The reference form of `γ/2·‖∇ₓ s(x)‖²` at this step's real or fake
 * sample, reusing the step's pass (and its spectral-norm vectors).
 *
 * @example
 * ```ts
 * import { zeroCentredTerm } from "./r1.ts";
 * const onFake = zeroCentredTerm("fake"); // R2's
 * ```
 */
export function zeroCentredTerm(
  at: "real" | "fake",
): (context: PenaltyContext, gamma: PenaltyValue) => PenaltyTerm {
  return (context, gamma) =>
    gradientNormPenalty(
      context.network,
      context.parameters,
      context[at],
      context.spectral,
      (squares) => tf.mul(squares, settingFactor(gamma, (g) => g / 2)),
    );
}

/**
 * `γ/2·n²`, the zero-centred penalty of R1 and R2, at a sample D sees.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { zeroCentred } from "./r1.ts";
 * assertEquals(zeroCentred("real").value(2, 1), 2);
 * ```
 */
export function zeroCentred(at: "real" | "fake"): FusedGradientNorm {
  return {
    at,
    value: (norm, gamma) => (gamma / 2) * norm * norm,
    slope: (_norm, gamma) => gamma,
  };
}
