/**
 * The thresholds a run is judged by: their names and what each decides.
 * Each loss declares its defaults (`kinds/losses/`); an experiment may set
 * its own (`checks`); `results/checks.ts` applies them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { CHECK_NAMES } from "./thresholds.ts";
 * assertEquals(CHECK_NAMES[0], "window");
 * ```
 *
 * @module
 */

/** Thresholds of the checks; each has a default per loss. */
export interface CheckThresholds {
  /** The trailing fraction of the run the checks look at (default 0.1); feeds both answers. */
  readonly window: number;
  /** Ending: the losses' window means within this of their equilibrium (per loss). */
  readonly lossTolerance: number;
  /** Ending: D(G(z))'s window mean within this of 0.5. */
  readonly dFakeTolerance: number;
  /** Pattern: G's output within this mean absolute error of the pattern's centres. */
  readonly patternTolerance: number;
  /** Ending: above this standard deviation of a loss in the window, the run oscillates. */
  readonly stabilityLimit: number;
  /** Ending: above this |G output|, the run has diverged. */
  readonly explodeLimit: number;
  /** Ending: D wins when its mean loss < target × this and G's > target / this. */
  readonly discriminatorWinsRatio: number;
}

/** Every threshold name, for validation messages. */
export const CHECK_NAMES = [
  "window",
  "lossTolerance",
  "dFakeTolerance",
  "patternTolerance",
  "stabilityLimit",
  "explodeLimit",
  "discriminatorWinsRatio",
] as const;
