/**
 * The results stage's errors: a folder that cannot be used as it is, and a
 * file that could not be written, named with what it holds.
 *
 * @module
 */

/** Error for a results folder that cannot be used as it is. */
export class ResultsError extends Error {
  override readonly name: string = "ResultsError";
}

/**
 * Error for a file that could not be written (a full disk, a read-only
 * folder): names the file, what it holds and why.
 */
export class WriteFailure extends ResultsError {
  override readonly name: string = "WriteFailure";
  constructor(readonly path: string, reason: string) {
    super(`cannot write ${path} (${whatIsAt(path)}): ${reason}`);
  }
}

/** What a results folder's file holds, from its path, for messages. */
function whatIsAt(path: string): string {
  if (/\/curves\/[^/]+$/.test(path)) return "a run's loss curves";
  if (/\/patterns\/[^/]+$/.test(path)) return "a run's G outputs";
  if (/\/checkpoints\/[^/]+$/.test(path)) return "a checkpoint of a batch in training";
  if (/runs(-shard-[^/]*)?\.csv$/.test(path)) return "a row of runs";
  if (/experiment[^/]*\.json$/.test(path)) return "the experiment's manifest";
  return "a results file";
}

/**
 * A write error as a {@link WriteFailure};
 * the tasks' own permission errors pass through.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { asWriteFailure, WriteFailure } from "./errors.ts";
 * assert(asWriteFailure("results/x/runs.csv", new Error("No space left on device")) instanceof WriteFailure);
 * ```
 */
export function asWriteFailure(path: string, error: unknown): unknown {
  if (error instanceof Deno.errors.NotCapable || error instanceof WriteFailure) return error;
  return new WriteFailure(path, (error as Error).message);
}

/** Where a damaged line of a results file is reported: `FILE:LINE: what; skipped`. */
export type Warn = (message: string) => void;
