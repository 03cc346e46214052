/**
 * Two results folders of the same experiment side by side, run id by run
 * id: which runs both hold, whose verdict changed, whose measured numbers
 * moved. For checking that a rerun (another engine, machine or version)
 * reproduces committed results.
 *
 * @module
 */
import { CHECK_COLUMNS, OUTCOME_COLUMNS, outputColumnsOf } from "./folder.ts";

/** A run whose outcome differs between the two folders. */
export interface ChangedRun {
  readonly runId: string;
  readonly column: typeof OUTCOME_COLUMNS[number];
  readonly before: string;
  readonly after: string;
}

/** How two folders' runs compare. */
export interface RunsDiff {
  readonly both: number;
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
  /** Runs whose every measured value and G output is the same, to the digit. */
  readonly identical: number;
  /** Runs whose largest relative change of a measured value is above `tolerance`. */
  readonly moved: readonly { runId: string; column: string; change: number }[];
  readonly changed: readonly ChangedRun[];
}

/** The columns compared: what the checks measured and G's final output. */
function measuredColumns(row: Readonly<Record<string, string>>): string[] {
  return [...CHECK_COLUMNS, ...outputColumnsOf(row)];
}

/** `|a − b| / max(1, |b|)` of two CSV fields; empty equals empty; NaN equals NaN. */
function change(a: string, b: string): number {
  if (a === b) return 0;
  const [x, y] = [Number(a), Number(b)];
  if (a === "" || b === "" || Number.isNaN(x) || Number.isNaN(y)) return Infinity;
  if (x === y) return 0;
  return Math.abs(x - y) / Math.max(1, Math.abs(y));
}

/**
 * Compares two folders' runs rows (as `readRunRows` gives them).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { diffRuns } from "./diff.ts";
 * const row = { run_id: "a", verdict: "converged", pattern_learned: "true", ending: "equilibrium" };
 * const diff = diffRuns([row], [{ ...row, verdict: "oscillating" }]);
 * assertEquals(diff.changed.map((c) => c.after), ["oscillating"]);
 * ```
 */
export function diffRuns(
  before: readonly Readonly<Record<string, string>>[],
  after: readonly Readonly<Record<string, string>>[],
  tolerance = 1e-3,
): RunsDiff {
  const byId = new Map(after.map((row) => [row.run_id, row]));
  const beforeIds = new Set(before.map((row) => row.run_id));
  const changed: ChangedRun[] = [];
  const moved: { runId: string; column: string; change: number }[] = [];
  let both = 0;
  let identical = 0;
  for (const old of before) {
    const next = byId.get(old.run_id);
    if (!next) continue;
    both++;
    for (const column of OUTCOME_COLUMNS) {
      if (old[column] !== next[column]) {
        changed.push({ runId: old.run_id, column, before: old[column], after: next[column] });
      }
    }
    let largest = { column: "", change: 0 };
    for (const column of measuredColumns(old)) {
      const delta = change(next[column] ?? "", old[column] ?? "");
      if (delta > largest.change) largest = { column, change: delta };
    }
    if (largest.change === 0) identical++;
    if (largest.change > tolerance) moved.push({ runId: old.run_id, ...largest });
  }
  return {
    both,
    onlyBefore: [...beforeIds].filter((id) => !byId.has(id)),
    onlyAfter: after.map((row) => row.run_id).filter((id) => !beforeIds.has(id)),
    identical,
    moved,
    changed,
  };
}
