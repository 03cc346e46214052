/**
 * `{ r2: γ }`: Mescheder et al. 2018's R2 regulariser: on D's step on G's
 * samples, add `γ/2 · mean(‖∇ₓ s(x)‖²)` at those samples (detached), with
 * `s` D's score (before a final sigmoid). Like R1 it reuses that step's
 * pass (and its spectral-norm vectors).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { r2 } from "./r2.ts";
 * assertEquals([r2.key, r2.setting, r2.fused.gradientNorm.at], ["r2", "gamma", "fake"]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  gradientNormPenalty,
  type PenaltyContext,
  type PenaltyKind,
  type PenaltyValue,
  settingFactor,
} from "./kind.ts";
import { zeroCentred } from "./r1.ts";

/** The R2 gradient penalty on G's samples. */
export const r2 = {
  description: "γ/2·‖∇ₓ s(x)‖² on G's samples",
  reference: "Mescheder et al. 2018 (R2)",
  key: "r2",
  setting: "gamma",
  allowed: "a number γ ≥ 0",
  isAllowed: (value: number) => value >= 0,
  onFake(context: PenaltyContext, gamma: PenaltyValue) {
    return gradientNormPenalty(
      context.network,
      context.parameters,
      context.fake,
      context.spectral,
      (squares) => tf.mul(squares, settingFactor(gamma, (g) => g / 2)),
    );
  },
  fused: { gradientNorm: zeroCentred("fake") },
} satisfies PenaltyKind;
