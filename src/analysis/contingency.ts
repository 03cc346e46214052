/**
 * Tests and intervals for comparing two groups of runs: the exact test of
 * an r × c table (Fisher–Freeman–Halton; a seeded Monte Carlo p-value where
 * enumerating is too costly), Newcombe's hybrid score intervals for a
 * difference of two proportions (independent and paired), McNemar's exact
 * test, and Holm's correction. McNemar's test (an exact binomial test on the
 * discordant pairs) and Holm's correction come from the `@stdlib` project;
 * the others are written here (no well-kept npm library does them) and
 * tested against published worked examples.
 *
 * @module
 */
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import padjust from "@stdlib/stats-padjust";
import { createRandom } from "../core/random.ts";
import { wilson } from "./statistics.ts";

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let k = logFactorials.length; k <= n; k++) {
    logFactorials[k] = logFactorials[k - 1] + Math.log(k);
  }
  return logFactorials[n];
}

/** An exact test's result. */
export interface ExactTest {
  readonly p: number;
  /** `exact` (every table enumerated) or `monte carlo` (seeded samples). */
  readonly method: "exact" | "monte carlo";
  /** Tables enumerated, or samples drawn. */
  readonly tables: number;
}

/**
 * The Fisher–Freeman–Halton exact test of independence of an r × c table:
 * the probability, given its margins, of a table no more likely than the
 * observed one (R's `fisher.test`, relative tolerance 1e-7). Beyond
 * `maxTables` tables, a Monte Carlo p-value from `samples` tables drawn
 * with the same margins (seeded: the same input gives the same p).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { fisherExact } from "./contingency.ts";
 * // Fisher's tea-tasting experiment (R's fisher.test documentation): p = 0.4857.
 * assertAlmostEquals(fisherExact([[3, 1], [1, 3]]).p, 0.4857, 1e-4);
 * ```
 */
export function fisherExact(
  table: readonly (readonly number[])[],
  { maxTables = 2_000_000, samples = 100_000, seed = 1 } = {},
): ExactTest {
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const columns = table[0].map((_, j) => table.reduce((sum, row) => sum + row[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  const constant = rows.reduce((s, r) => s + logFactorial(r), 0) +
    columns.reduce((s, c) => s + logFactorial(c), 0) - logFactorial(total);
  const logP = (cells: readonly (readonly number[])[]) =>
    constant - cells.flat().reduce((s, x) => s + logFactorial(x), 0);
  const observed = logP(table) + Math.log1p(1e-7);
  const enumerated = enumerate(rows, columns, constant, observed, maxTables);
  if (enumerated) {
    return { p: Math.min(1, enumerated.p), method: "exact", tables: enumerated.tables };
  }
  // Monte Carlo: shuffle the column labels of the N units against their row labels.
  const random = createRandom(seed, 7);
  const columnOf = columns.flatMap((c, j) => Array.from({ length: c }, () => j));
  let asExtreme = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = columnOf.length - 1; i > 0; i--) {
      const k = Math.floor(random.next() * (i + 1));
      [columnOf[i], columnOf[k]] = [columnOf[k], columnOf[i]];
    }
    const cells = rows.map(() => new Array(columns.length).fill(0));
    let unit = 0;
    rows.forEach((count, i) => {
      for (let k = 0; k < count; k++) cells[i][columnOf[unit++]]++;
    });
    if (logP(cells) <= observed) asExtreme++;
  }
  return { p: (asExtreme + 1) / (samples + 1), method: "monte carlo", tables: samples };
}

/** Sums the probabilities of tables no more likely than the observed; undefined past `limit`. */
function enumerate(
  rows: readonly number[],
  columns: readonly number[],
  constant: number,
  observed: number,
  limit: number,
): { p: number; tables: number } | undefined {
  let p = 0;
  let tables = 0;
  const remaining = [...rows];
  // Fills column j with every split of its total over the rows' remainders.
  const column = (j: number, logCells: number): boolean => {
    if (j === columns.length - 1) {
      // The last column is what the rows have left.
      let last = 0;
      for (const r of remaining) last += logFactorial(r);
      tables++;
      const logP = constant - logCells - last;
      if (logP <= observed) p += Math.exp(logP);
      return tables <= limit;
    }
    const split = (i: number, left: number, logSoFar: number): boolean => {
      if (i === remaining.length - 1) {
        if (left > remaining[i]) return true;
        remaining[i] -= left;
        const go = column(j + 1, logSoFar + logFactorial(left));
        remaining[i] += left;
        return go;
      }
      const rest = remaining.slice(i + 1).reduce((a, b) => a + b, 0);
      for (let x = Math.max(0, left - rest); x <= Math.min(left, remaining[i]); x++) {
        remaining[i] -= x;
        const go = split(i + 1, left - x, logSoFar + logFactorial(x));
        remaining[i] += x;
        if (!go) return false;
      }
      return true;
    };
    return split(0, columns[j], logCells);
  };
  return column(0, 0) ? { p, tables } : undefined;
}

/** A difference of two proportions with its 95% interval. */
export interface Difference {
  readonly difference: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for the difference of
 * two independent proportions `a/n − b/m`, from their Wilson intervals.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { newcombe } from "./contingency.ts";
 * // Perondi et al. 2004 (Fagerland, Lydersen & Laake 2017, ch. 4): 0.1765 (0.0189 to 0.3404).
 * const { low, high } = newcombe(7, 34, 1, 34);
 * assertAlmostEquals(low, 0.0189, 1e-4);
 * assertAlmostEquals(high, 0.3404, 1e-4);
 * ```
 */
export function newcombe(a: number, n: number, b: number, m: number): Difference {
  const first = wilson(a, n);
  const second = wilson(b, m);
  const difference = first.rate - second.rate;
  return {
    difference,
    low: Math.max(
      -1,
      difference - Math.hypot(first.rate - first.low, second.high - second.rate),
    ),
    high: Math.min(
      1,
      difference + Math.hypot(first.high - first.rate, second.rate - second.low),
    ),
  };
}

/**
 * Newcombe's square-and-add interval (1998b, method 10) for the difference
 * of two paired proportions, from a paired 2 × 2 table: `both` pairs with
 * the outcome in both, `onlyFirst`, `onlySecond`, `neither`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { newcombePaired } from "./contingency.ts";
 * // Cavo et al. 2012 (Fagerland, Lydersen & Laake 2017, ch. 8): −0.0621 (−0.1186 to −0.0046).
 * const { difference, low, high } = newcombePaired(59, 6, 16, 80);
 * assertAlmostEquals(difference, -0.0621, 1e-4);
 * assertAlmostEquals(low, -0.1186, 1e-4);
 * assertAlmostEquals(high, -0.0046, 1e-4);
 * ```
 */
export function newcombePaired(
  both: number,
  onlyFirst: number,
  onlySecond: number,
  neither: number,
): Difference {
  const n = both + onlyFirst + onlySecond + neither;
  const first = wilson(both + onlyFirst, n);
  const second = wilson(both + onlySecond, n);
  const difference = first.rate - second.rate;
  const margins = (both + onlyFirst) * (onlySecond + neither) * (both + onlySecond) *
    (onlyFirst + neither);
  const cross = both * neither - onlyFirst * onlySecond;
  // Newcombe's correlation estimate, shrunk towards 0 by n/2 when positive.
  const phi = margins === 0 ? 0 : (cross > n / 2 ? cross - n / 2 : cross < 0 ? cross : 0) /
    Math.sqrt(margins);
  const [d1, u1] = [first.rate - first.low, first.high - first.rate];
  const [d2, u2] = [second.rate - second.low, second.high - second.rate];
  return {
    difference,
    low: Math.max(-1, difference - Math.sqrt(d1 ** 2 - 2 * phi * d1 * u2 + u2 ** 2)),
    high: Math.min(1, difference + Math.sqrt(u1 ** 2 - 2 * phi * u1 * d2 + d2 ** 2)),
  };
}

/**
 * McNemar's exact test on the discordant pairs (an exact binomial test of
 * `onlyFirst` out of `onlyFirst + onlySecond` against ½; 1 with none), with
 * `@stdlib`'s binomial distribution (its `binomial-test` package reads the
 * whole environment when loaded, which the tasks are not allowed to).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { mcnemarExact } from "./contingency.ts";
 * assertAlmostEquals(mcnemarExact(6, 16), 0.0525, 1e-4);
 * ```
 */
export function mcnemarExact(onlyFirst: number, onlySecond: number): number {
  const discordant = onlyFirst + onlySecond;
  if (discordant === 0) return 1;
  // Two-sided, the binomial(·, ½) being symmetric: twice the smaller tail.
  return Math.min(1, 2 * binomialCdf(Math.min(onlyFirst, onlySecond), discordant, 0.5));
}

/**
 * Holm's step-down adjustment of p-values (their order kept).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { holm } from "./contingency.ts";
 * assertEquals(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
 * ```
 */
export function holm(pValues: readonly number[]): number[] {
  return pValues.length ? Array.from(padjust([...pValues], "holm") as number[]) : [];
}
