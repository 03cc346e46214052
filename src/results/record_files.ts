/**
 * A run's own files beside runs.csv: its loss curves, its recorded G outputs
 * and samples of its final G, as CSV; and the numeric CSV reader for them.
 *
 * @module
 */
import { stringify } from "@std/csv";
import type { RunRecord } from "../engine/records.ts";
import { CURVE_COLUMNS } from "../engine/step.ts";
import type { Warn } from "./errors.ts";

const toStderr: Warn = (message) => console.error(`warning: ${message}`);

/** A measured value as `runs.csv` writes it: 7 significant digits, booleans and "" as text. */
export function formatValue(value: number | boolean | string | undefined): string {
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(+value.toPrecision(7)) : String(value);
  }
  return String(value ?? "");
}

/**
 * Samples of G as CSV: one per line, `g_out_0, g_out_1, …` to 5 significant digits.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { samplesCsv } from "./folder.ts";
 * assertEquals(samplesCsv(Float32Array.of(1, 0.5, -2, 3), 2), "g_out_0,g_out_1\r\n1,0.5\r\n-2,3\r\n");
 * ```
 */
export function samplesCsv(samples: Float32Array, width: number): string {
  const rows: string[][] = [outputColumns(width)];
  for (let at = 0; at + width <= samples.length; at += width) {
    rows.push(Array.from(samples.subarray(at, at + width), (v) => String(+v.toPrecision(5))));
  }
  return stringify(rows);
}

/** A run's curves as CSV: iteration and the five recorded values. */
export function curvesCsv(record: RunRecord): string {
  const rows = record.curveIterations.map((iteration, k) => [
    String(iteration),
    ...CURVE_COLUMNS.map((name) => formatValue(record.curves[name][k])),
  ]);
  return stringify([["iteration", ...CURVE_COLUMNS], ...rows]);
}

/** A run's recorded G outputs as CSV: iteration and one column per slot. */
export function patternsCsv(record: RunRecord, width: number): string {
  const header = ["iteration", ...outputColumns(width)];
  const rows = record.patternIterations.map((iteration, k) => [
    String(iteration),
    ...Array.from({ length: width }, (_, i) => formatValue(record.patterns[k * width + i])),
  ]);
  return stringify([header, ...rows]);
}

/**
 * Reads one of this project's numeric CSV files (curves, patterns): a header
 * and rows of numbers, with no quoting. A line with the wrong number of
 * fields or a field that is not a number is reported through `warn` and
 * left out.
 */
export async function readNumericCsv(
  path: string,
  warn: Warn = toStderr,
): Promise<{ header: string[]; rows: number[][] }> {
  const [head = "", ...lines] = (await Deno.readTextFile(path)).split(/\r?\n/);
  const header = head.split(",");
  const rows: number[][] = [];
  lines.forEach((line, index) => {
    if (line === "") return;
    const fields = line.split(",");
    const numbers = fields.map((field) => (field.trim() === "" ? NaN : Number(field)));
    const finiteOrMarked = fields.every((field, i) => !Number.isNaN(numbers[i]) || field === "NaN");
    if (fields.length !== header.length || !finiteOrMarked) {
      warn(
        `${path}:${index + 2}: not a row of ${header.length} numbers; skipped`,
      );
      return;
    }
    rows.push(numbers);
  });
  return { header, rows };
}

/**
 * The columns of G's final output in runs.csv (and of each record in a
 * pattern file): `g_out_0`, `g_out_1`, ….
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { outputColumns } from "./folder.ts";
 * assertEquals(outputColumns(2), ["g_out_0", "g_out_1"]);
 * ```
 */
export function outputColumns(width: number): string[] {
  return Array.from({ length: width }, (_, i) => `g_out_${i}`);
}

/**
 * The output columns a row holds, in order (their count is the pattern's width).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { outputColumnsOf } from "./folder.ts";
 * assertEquals(outputColumnsOf({ g_out_0: "1", g_out_1: "0", g_out_median: "x" }), ["g_out_0", "g_out_1"]);
 * ```
 */
export function outputColumnsOf(row: Readonly<Record<string, string>>): string[] {
  return Object.keys(row).filter((column) => /^g_out_\d+$/.test(column));
}
