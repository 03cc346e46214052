/**
 * The checks of an experiment file's `search` block: its fields, and each
 * dimension of its space (known, not swept, a distribution of allowed
 * levels). Problems are reported through the caller's `fail`, each check in
 * its own `section` so that every problem is collected.
 *
 * @module
 */
import { describeValue, type FactorName } from "./factors.ts";
import {
  type Distribution,
  distributionProblem,
  isFactorDimension,
  SEARCH_DIMENSIONS,
  type SearchSpec,
} from "./search.ts";

/** Reports a problem with a field (and stops the check it is in). */
export type FailField = (field: string, message: string) => never;

/** Runs one check; a problem it meets is collected, and the result is then undefined. */
export type CheckSection = <T>(check: () => T) => T | undefined;

/**
 * The `search` block, checked.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { validateSearch } from "./search_check.ts";
 * const fail = (field: string, message: string): never => {
 *   throw new Error(`${field}: ${message}`);
 * };
 * const section = <T>(check: () => T) => check();
 * const level = (_field: string, _factor: string, value: unknown) => value;
 * assertThrows(() => validateSearch({ samples: 0, space: {} }, {}, level, fail, section), Error, "search.samples");
 * assertEquals(validateSearch({ samples: 4, space: { "lr.d": { distribution: "logUniform", low: 1e-4, high: 1e-2 } } }, {}, level, fail, section).samples, 4);
 * ```
 */
export function validateSearch(
  raw: unknown,
  sweep: Record<string, unknown>,
  level: (field: string, factor: FactorName, value: unknown) => unknown,
  fail: FailField,
  section: CheckSection,
): SearchSpec {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return fail("search", "must be { samples, seed?, space: { dimension: distribution } }");
  }
  const { samples, seed = 1, space, ...rest } = raw as Record<string, unknown>;
  for (const extra of Object.keys(rest)) {
    section(() => fail(`search.${extra}`, "unknown field; allowed: samples, seed, space"));
  }
  section(() => {
    if (!Number.isInteger(samples) || (samples as number) < 1) {
      fail("search.samples", `${describeValue(samples)} must be an integer ≥ 1`);
    }
  });
  section(() => {
    if (!Number.isSafeInteger(seed)) {
      fail("search.seed", `${describeValue(seed)} must be an integer`);
    }
  });
  if (typeof space !== "object" || space === null || Object.keys(space).length === 0) {
    fail("search.space", "must name at least one dimension: { dimension: distribution }");
  }
  for (const [dimension, distribution] of Object.entries(space as Record<string, unknown>)) {
    section(() => checkDimension(dimension, distribution, sweep, level, fail));
  }
  return { samples: samples as number, seed: seed as number, space: space as SearchSpec["space"] };
}

/** One dimension of a search's space: known, not swept, and a distribution of allowed levels. */
function checkDimension(
  dimension: string,
  distribution: unknown,
  sweep: Record<string, unknown>,
  level: (field: string, factor: FactorName, value: unknown) => unknown,
  fail: FailField,
): void {
  const field = `search.space.${dimension}`;
  if (!SEARCH_DIMENSIONS.includes(dimension)) {
    fail(field, `unknown dimension; allowed: ${SEARCH_DIMENSIONS.join(", ")}`);
  }
  const factor = dimension.split(".")[0];
  if (factor in sweep) {
    fail(field, `also swept in sweep.${factor}; a factor is either swept or searched`);
  }
  const problem = distributionProblem(distribution);
  if (problem) fail(field, problem);
  const d = distribution as Distribution;
  if (isFactorDimension(dimension)) {
    const levels = d.distribution === "choice"
      ? d.options
      : d.distribution === "intRange"
      ? [d.low, d.high]
      : fail(field, `a factor is drawn with choice([...]) or intRange(a, b)`);
    levels.forEach((one) => level(field, dimension, one));
  } else if (d.distribution === "choice" && !d.options.every((o) => typeof o === "number")) {
    fail(field, "a numeric dimension's choices must be numbers");
  }
}
