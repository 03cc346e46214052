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
  gradientNormPenalty,
  type PenaltyContext,
  type PenaltyKind,
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
  onReal(context: PenaltyContext, gamma: PenaltyValue) {
    return gradientNormPenalty(
      context.network,
      context.parameters,
      context.real,
      context.spectral,
      (norms) => tf.mul(tf.square(norms), settingFactor(gamma, (g) => g / 2)),
    );
  },
} satisfies PenaltyKind;
