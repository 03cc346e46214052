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
import type { PenaltyKind } from "./kind.ts";
import { zeroCentred, zeroCentredTerm } from "./r1.ts";

/** The R2 gradient penalty on G's samples. */
export const r2 = {
  description: "γ/2·‖∇ₓ s(x)‖² on G's samples",
  reference: "Mescheder et al. 2018 (R2)",
  key: "r2",
  setting: "gamma",
  allowed: "a number γ ≥ 0",
  isAllowed: (value: number) => value >= 0,
  onFake: zeroCentredTerm("fake"),
  fused: { gradientNorm: zeroCentred("fake") },
} satisfies PenaltyKind;
