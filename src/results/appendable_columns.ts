/**
 * Which columns a sweep appends to a runs file an earlier version began: the
 * file's own, in its own order, so that a committed file is never rewritten
 * to take new rows. That is allowed only where nothing about a run is lost
 * that its row must say: a measured column the file lacks (the convergence
 * check's, a problem's) is left out of the new rows (read back, as for the
 * old ones, as "not measured"), and a factor column the file lacks only
 * while every new run is at that factor's old default (the value readers
 * give a row without the column). Anything else is refused.
 *
 * @module
 */

/** What a runs file's header means for appending to it. */
export type Appendable =
  | {
    readonly ok: true;
    /** The columns to write each new row in: the file's own. */
    readonly columns: readonly string[];
    /** The measured columns the new rows leave out, as the file has no place for them. */
    readonly leftOut: readonly string[];
  }
  | { readonly ok: false; readonly problem: string };

/** What {@link appendableColumns} needs to know of this version's columns. */
export interface ColumnSet {
  /** Every column this version writes, in order. */
  readonly current: readonly string[];
  /** Those that hold measured values a row may lack (left empty: "not measured"). */
  readonly measured: readonly string[];
  /** Factor columns that earlier versions did not write, with the value a row without one means. */
  readonly defaults: Readonly<Record<string, string>>;
}

/**
 * Whether new rows can be appended to a file with `header`, and in which
 * columns, given the factor columns of the runs to append (`rows`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { appendableColumns } from "./appendable_columns.ts";
 * const set = { current: ["run_id", "consensus", "norm"], measured: ["norm"], defaults: { consensus: "0" } };
 * assertEquals(appendableColumns(["run_id"], set, [{ consensus: "0" }]), {
 *   ok: true,
 *   columns: ["run_id"],
 *   leftOut: ["norm"],
 * });
 * assertEquals(appendableColumns(["run_id"], set, [{ consensus: "10" }]).ok, false);
 * ```
 */
export function appendableColumns(
  header: readonly string[],
  { current, measured, defaults }: ColumnSet,
  rows: readonly Readonly<Record<string, string>>[],
): Appendable {
  const unknown = header.find((column) => !current.includes(column));
  if (unknown !== undefined) {
    return { ok: false, problem: `it has a column this version does not write ("${unknown}")` };
  }
  const missing = current.filter((column) => !header.includes(column));
  for (const column of missing) {
    if (measured.includes(column)) continue;
    if (!(column in defaults)) {
      return { ok: false, problem: `it lacks the column "${column}", which every row needs` };
    }
    const other = rows.find((row) => row[column] !== defaults[column]);
    if (other) {
      return {
        ok: false,
        problem: `it lacks the column "${column}" and a run to add has ${column}=${
          other[column]
        } (a row without the column means ${defaults[column]})`,
      };
    }
  }
  return { ok: true, columns: header, leftOut: missing.filter((c) => measured.includes(c)) };
}
