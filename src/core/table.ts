/**
 * Plain-text tables for the terminal.
 *
 * @module
 */

/**
 * An aligned Markdown table.
 *
 * @example
 * ```ts
 * import { markdownTable } from "./table.ts";
 * markdownTable(["a", "b"], [["1", "22"]]);
 * // | a | b  |
 * // |---|----|
 * // | 1 | 22 |
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)]
    .join("\n");
}
