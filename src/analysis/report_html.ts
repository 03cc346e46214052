/**
 * `report.html`: the report's plots made interactive, in one file that
 * works offline from `file://` (Vega, Vega-Lite and vega-embed inlined from
 * npm): "What mattered" (the summary's comparisons, with their tests and
 * Holm-adjusted p), hover a mark for its data (configuration, seeds,
 * rates), pick a configuration to see its loss curves and G's outputs, sort
 * the table of configurations by any column.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";

/** One plot of the report: its SVG's file name and its Vega-Lite spec. */
export interface View {
  readonly file: string;
  readonly spec: TopLevelSpec;
}

/** One configuration of the experiment, for the explorer. */
export interface ConfigurationView {
  readonly label: string;
  readonly loss: TopLevelSpec;
  readonly pattern: TopLevelSpec;
}

/** What the page shows. */
export interface HtmlReport {
  readonly title: string;
  readonly description: string;
  readonly views: readonly View[];
  readonly configurations: readonly ConfigurationView[];
  readonly table: HtmlTable;
  /** "What mattered": the ranked comparisons and the sentence that introduces them. */
  readonly comparisons?: { readonly note: string; readonly table: HtmlTable };
}

/** A table of text cells. */
export interface HtmlTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const LIBRARIES = [
  "vega/build/vega.min.js",
  "vega-lite/build/vega-lite.min.js",
  "vega-embed/build/vega-embed.min.js",
];

/** The libraries' builds from the project's node_modules, as one script text. */
async function libraries(): Promise<string> {
  const root = new URL("../../node_modules/", import.meta.url);
  const texts = await Promise.all(
    LIBRARIES.map((path) => Deno.readTextFile(new URL(path, root))),
  );
  return texts.join("\n;\n");
}

/** Text safe inside a `<script>` element. */
function scriptSafe(text: string): string {
  return text.replaceAll("</script", "<\\/script").replaceAll("<!--", "<\\!--");
}

/** A table's rows as HTML `<tr>` elements. */
function rowsHtml(table: HtmlTable): string {
  return table.rows.map((row) =>
    `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`
  ).join("\n");
}

/** Text safe in HTML content. */
function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * The page, as one HTML text.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { htmlReport } from "./report_html.ts";
 * const html = await htmlReport({
 *   title: "t", description: "", views: [], configurations: [], table: { header: ["a"], rows: [["1"]] },
 *   comparisons: { note: "ranked", table: { header: ["factor"], rows: [["loss"]] } },
 * });
 * assertStringIncludes(html, "vegaEmbed");
 * assertStringIncludes(html, '<table id="what-mattered"><thead><tr><th>factor</th>');
 * ```
 */
export async function htmlReport(report: HtmlReport): Promise<string> {
  const data = {
    views: report.views.map((view) => ({ file: view.file, spec: view.spec })),
    configurations: report.configurations,
  };
  const header = report.table.header.map((cell, c) =>
    `<th data-column="${c}" title="sort by this column">${escapeHtml(cell)}</th>`
  ).join("");
  const body = rowsHtml(report.table);
  const comparisons = report.comparisons
    ? `<h2>What mattered</h2>
<p>${escapeHtml(report.comparisons.note)}</p>
<table id="what-mattered"><thead><tr>${
      report.comparisons.table.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join("")
    }</tr></thead><tbody>
${rowsHtml(report.comparisons.table)}
</tbody></table>
`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; }
.view { margin: 1.5em 0; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
th { cursor: pointer; background: #f4f4f4; }
th[data-sorted]::after { content: attr(data-sorted); }
#explorer { display: flex; flex-wrap: wrap; gap: 1em; }
</style>
<script>${scriptSafe(await libraries())}</script>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p>${escapeHtml(report.description)}</p>
${comparisons}<h2>Plots</h2>
<p>Hover a point, a bar or a line for its data. The same plots as REPORT.md.</p>
<div id="views"></div>
<h2>One configuration</h2>
<label>Configuration <select id="configuration"></select></label>
<div id="explorer"><div id="configuration-loss"></div><div id="configuration-pattern"></div></div>
<h2>Every configuration</h2>
<p>Click a column's header to sort by it.</p>
<table id="configurations"><thead><tr>${header}</tr></thead><tbody>
${body}
</tbody></table>
<script type="application/json" id="report-data">${scriptSafe(JSON.stringify(data))}</script>
<script>
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const withTooltips = (spec) => ({
    ...spec,
    config: { ...(spec.config || {}), mark: { ...((spec.config || {}).mark || {}), tooltip: { content: "data" } } },
  });
  const options = { actions: false, renderer: "svg", tooltip: { theme: "light" } };
  const embedded = [];
  const container = document.getElementById("views");
  data.views.forEach((view, index) => {
    const div = document.createElement("div");
    div.className = "view";
    div.id = "view-" + index;
    div.dataset.file = view.file;
    container.appendChild(div);
    embedded.push(vegaEmbed(div, withTooltips(view.spec), options).then((result) => {
      div.gansweepView = result.view;
      return result;
    }));
  });
  const select = document.getElementById("configuration");
  data.configurations.forEach((configuration, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = configuration.label;
    select.appendChild(option);
  });
  const show = (index) => {
    const configuration = data.configurations[index];
    if (!configuration) return Promise.resolve();
    return Promise.all([
      vegaEmbed("#configuration-loss", withTooltips(configuration.loss), options),
      vegaEmbed("#configuration-pattern", withTooltips(configuration.pattern), options),
    ]);
  };
  select.addEventListener("change", () => show(Number(select.value)));
  const table = document.getElementById("configurations");
  table.querySelectorAll("th").forEach((th) => th.addEventListener("click", () => {
    const column = Number(th.dataset.column);
    const ascending = th.dataset.sorted !== " ▲";
    const value = (row) => {
      const text = row.children[column].textContent.trim();
      const number = parseFloat(text);
      return Number.isNaN(number) ? text : number;
    };
    const rows = [...table.tBodies[0].rows].sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    table.querySelectorAll("th").forEach((other) => delete other.dataset.sorted);
    th.dataset.sorted = ascending ? " ▲" : " ▼";
    rows.forEach((row) => table.tBodies[0].appendChild(row));
  }));
  // Rendered: every view and the first configuration (what the browser test waits for).
  window.gansweepReady = Promise.all([...embedded, show(0)]).then(() => true);
})();
</script>
</body>
</html>
`;
}
