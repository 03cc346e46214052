/**
 * The seconds a sweep still needs, from how far each batch has come: the
 * speed measured so far in the batches' predicted cost (so that a costly
 * batch half done counts for more than a cheap one finished, where a count
 * of runs or run-iterations would mislead), blended at the start with the
 * speed the estimate assumed, and never less than the longest batch's
 * remaining work on one Worker.
 *
 * @module
 */

/** A batch as the ETA sees it. */
export interface BatchStanding {
  /** Its predicted seconds on a core of its own. */
  readonly cost: number;
  /** The share of its iterations done (0–1). */
  readonly done: number;
  /** The share done in this process (less what a checkpoint brought back). */
  readonly trained: number;
}

/** For how many seconds the assumed speed weighs as much as the measured one. */
const PRIOR_SECONDS = 10;

/**
 * The ETA after `elapsed` seconds, on `pool` Workers whose assumed joint
 * speed is `assumedRate` (predicted seconds of work per second).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { etaSeconds } from "./eta.ts";
 * // Two Workers, 100 s in: a 1,000 s batch half done (500 s of work) and a 50 s one finished.
 * const batches = [{ cost: 1000, done: 0.5, trained: 0.5 }, { cost: 50, done: 1, trained: 1 }];
 * // The measured speed is 5.5 s of work a second (the prior pulls it to ~5.1); the one batch
 * // left runs on one Worker at half of it: ~196 s, not the 100 s a count of runs (1 of 2 left) says.
 * assertAlmostEquals(etaSeconds(batches, 100, 2, 1.7), 500 / ((550 + 17) / 110 / 2), 1e-9);
 * ```
 */
export function etaSeconds(
  batches: readonly BatchStanding[],
  elapsed: number,
  pool: number,
  assumedRate: number,
): number {
  let left = 0;
  let trained = 0;
  let longestLeft = 0;
  for (const batch of batches) {
    left += (1 - batch.done) * batch.cost;
    trained += batch.trained * batch.cost;
    longestLeft = Math.max(longestLeft, (1 - batch.done) * batch.cost);
  }
  const rate = (trained + assumedRate * PRIOR_SECONDS) / (elapsed + PRIOR_SECONDS);
  return Math.max(left / rate, longestLeft / (rate / Math.max(1, pool)));
}
