/**
 * Plain-text tables for the terminal.
 *
 * @module
 */

/**
 * An aligned Markdown table; a `|` inside a cell or a header is escaped
 * with a backslash, so it stays in its cell.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { markdownTable } from "./table.ts";
 * markdownTable(["a", "b"], [["1", "22"]]);
 * // | a | b  |
 * // |---|----|
 * // | 1 | 22 |
 * assertEquals(markdownTable(["d"], [["a|b"]]), "| d    |\n|------|\n| a\\|b |");
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const escape = (cells: readonly string[]) => cells.map((cell) => cell.replaceAll("|", "\\|"));
  return alignedTable(escape(header), rows.map(escape));
}

function alignedTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)]
    .join("\n");
}
