/**
 * The problems, one file each: the seed's pattern, the Dirac-GAN, the ring,
 * the grid, GDPP's ring with its repeated mode and Sun et al.'s five Gaussians. Each is also a preset of its name (`../presets.ts`; the
 * pattern's is `seed` and the recipes built on it).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PROBLEM_KINDS } from "./mod.ts";
 * assertEquals(Object.keys(PROBLEM_KINDS), [
 *   "pattern",
 *   "dirac",
 *   "ring",
 *   "grid",
 *   "ring_linspace",
 *   "five_gaussians",
 * ]);
 * ```
 *
 * @module
 */
import { dirac } from "./dirac.ts";
import { fiveGaussians } from "./five_gaussians.ts";
import { grid } from "./grid.ts";
import type { ProblemKind } from "./kind.ts";
import { pattern } from "./pattern.ts";
import { ring } from "./ring.ts";
import { ringLinspace } from "./ring_linspace.ts";

export type {
  FixedNetworks,
  PlotTargets,
  ProblemJudgement,
  ProblemKind,
  ProblemMeasure,
  ProblemPreset,
  ProblemRun,
} from "./kind.ts";
export { SEED_PRESET } from "./pattern.ts";
export { type ModeMetrics, modeMetrics } from "./modes.ts";

/** Every problem, by name. */
export const PROBLEM_KINDS = {
  pattern,
  dirac,
  ring,
  grid,
  ring_linspace: ringLinspace,
  five_gaussians: fiveGaussians,
} as const satisfies Record<
  string,
  ProblemKind
>;

/** A problem's name. */
export type ProblemName = keyof typeof PROBLEM_KINDS;

/** Every problem name. */
export const PROBLEMS = Object.keys(PROBLEM_KINDS) as ProblemName[];
