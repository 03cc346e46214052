/**
 * Ranges in experiment files: a level whose numeric fields are lists stands
 * for every combination of them (`lr: [{ d: [1e-4, 1e-3], g: [1e-3, 1e-2] }]`
 * is four learning-rate pairs), and helpers that make such lists.
 *
 * @module
 */

/** A value, or a list of values to sweep. */
export type OneOrMany<T> = T | readonly T[];

/** An object whose numeric fields may each be a list to sweep. */
export type WithRanges<T> = T extends string ? T
  : T extends number ? OneOrMany<number>
  : T extends object ? {
      readonly [K in keyof T]: NonNullable<T[K]> extends number ? OneOrMany<number> : T[K];
    }
  : T;

/**
 * `count` numbers from `from` to `to`, evenly spaced on a log scale (both
 * ends included), as numpy's `logspace` over exponents; rounded to 12
 * significant digits so that run ids do not depend on the last bit.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { logspace } from "./ranges.ts";
 * assertEquals(logspace(1e-5, 1e-1, 5), [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
 * ```
 */
export function logspace(from: number, to: number, count: number): number[] {
  if (!(from > 0 && to > 0) || !Number.isInteger(count) || count < 2) {
    throw new RangeError(`logspace(${from}, ${to}, ${count}): ends > 0 and a count ≥ 2`);
  }
  const [a, b] = [Math.log10(from), Math.log10(to)];
  return Array.from(
    { length: count },
    (_, i) => +(10 ** (a + (b - a) * i / (count - 1))).toPrecision(12),
  );
}

/**
 * `count` evenly spaced numbers from `from` to `to` (both included).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { linspace } from "./ranges.ts";
 * assertEquals(linspace(0, 0.9, 4), [0, 0.3, 0.6, 0.9]);
 * ```
 */
export function linspace(from: number, to: number, count: number): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isInteger(count) || count < 2) {
    throw new RangeError(`linspace(${from}, ${to}, ${count}): finite ends and a count ≥ 2`);
  }
  return Array.from(
    { length: count },
    (_, i) => +(from + (to - from) * i / (count - 1)).toPrecision(12),
  );
}

/**
 * A level with list-valued fields expanded into every combination, in field
 * order, the last field varying fastest; any other level as itself.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { expandLevel } from "./ranges.ts";
 * assertEquals(expandLevel({ d: [1, 2], g: [3, 4] }), [
 *   { d: 1, g: 3 }, { d: 1, g: 4 }, { d: 2, g: 3 }, { d: 2, g: 4 },
 * ]);
 * assertEquals(expandLevel({ name: "adam", beta1: [0, 0.5] }).length, 2);
 * assertEquals(expandLevel("adam"), ["adam"]);
 * ```
 */
export function expandLevel(level: unknown): unknown[] {
  if (typeof level !== "object" || level === null || Array.isArray(level)) return [level];
  let combinations: Record<string, unknown>[] = [{}];
  for (const [key, value] of Object.entries(level)) {
    const options = Array.isArray(value) ? value : [value];
    combinations = combinations.flatMap((partial) =>
      options.map((option) => ({ ...partial, [key]: option }))
    );
  }
  return combinations;
}
