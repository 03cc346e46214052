/**
 * The version of the results format, recorded as `format` in each folder's
 * `experiment.json`, and how a reader learns which version a folder is in.
 *
 * The versions so far:
 *
 * - **1** (no `format` field): every row of `runs*.csv` belongs to the
 *   folder; the columns are those of the version that began the file
 *   (folders begun before the convergence check lack its columns and the
 *   problems' own; older still lack newer factor columns such as
 *   `consensus`). A column a folder lacks is "not measured".
 * - **2**: `experiment.json` also records `declared_runs` (the ids of every
 *   run the folder's current definition declares: readers count only
 *   these), `code_commit` (the git commit of the code that wrote it, when
 *   it ran in a git checkout) and `format` itself. The columns are as in 1:
 *   a sweep appends in the file's own column set.
 *
 * @module
 */
import { ResultsError } from "./folder.ts";

/** The results format this code writes. */
export const FORMAT_VERSION = 2;

/**
 * The results format of a folder's manifest: its `format`, or 1 for a
 * manifest from before formats were numbered (or none at all).
 *
 * @throws {ResultsError} for a format newer than this code reads, or one that is not a version.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { formatOf } from "./format.ts";
 * assertEquals(formatOf({}), 1);
 * assertEquals(formatOf({ format: 2 }), 2);
 * assertThrows(() => formatOf({ format: 99 }, "results/x/experiment.json"), Error, "format 99");
 * ```
 */
export function formatOf(manifest: Record<string, unknown>, file = "experiment.json"): number {
  const format = manifest.format ?? 1;
  if (typeof format !== "number" || !Number.isInteger(format) || format < 1) {
    throw new ResultsError(
      `${file}: format ${JSON.stringify(format)} is not a results format (an integer ≥ 1)`,
    );
  }
  if (format > FORMAT_VERSION) {
    throw new ResultsError(
      `${file}: format ${format} is newer than this code reads (formats 1 to ` +
        `${FORMAT_VERSION}); update gansweep to read it`,
    );
  }
  return format;
}
