/**
 * `deno task report` on a tiny sweep: well-formed SVGs with titles, axis
 * labels and legends, and a REPORT.md that shows them.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { XMLValidator } from "fast-xml-parser";
import {
  listFiles,
  parseCsv,
  runTask,
  tinyExperiment,
  workspace,
  writeExperiment,
} from "./helpers.ts";

Deno.test("report writes parseable SVG plots with titles, axes and legends, and REPORT.md", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    const result = await runTask("report", [], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    const plots = await listFiles(`${dir}/results/tiny/plots`);
    const losses = plots.filter((p) => p.startsWith("loss-"));
    assertEquals(losses.length, 4, "one loss plot per configuration (2 lr × 2 losses)");
    assert(plots.includes("ablation.svg") && plots.includes("answers.svg"));
    assert(plots.some((p) => p.startsWith("pattern-")));
    for (const plot of plots) {
      const svg = await Deno.readTextFile(`${dir}/results/tiny/plots/${plot}`);
      assertEquals(XMLValidator.validate(svg), true, `${plot} is not well-formed XML`);
      assert(svg.startsWith("<svg"), plot);
      assertStringIncludes(svg, "role-title", `${plot} has no title`);
      assertStringIncludes(svg, "role-axis-title", `${plot} has no axis labels`);
      assertStringIncludes(svg, "role-legend", `${plot} has no legend`);
    }
    const loss = await Deno.readTextFile(`${dir}/results/tiny/plots/${losses[0]}`);
    assertStringIncludes(loss, "tiny: loss ");
    assertStringIncludes(loss, ">iteration<");
    assertStringIncludes(loss, ">g_loss<");
    const answers = await Deno.readTextFile(`${dir}/results/tiny/plots/answers.svg`);
    assertStringIncludes(answers, "runs that learned the pattern, and at equilibrium");
    assertStringIncludes(answers, "(base)");
    assertStringIncludes(answers, ">learned the pattern<");
    assertStringIncludes(answers, ">ended at equilibrium<");
    const ablation = await Deno.readTextFile(`${dir}/results/tiny/plots/ablation.svg`);
    assertStringIncludes(ablation, "verdicts per factor level");
    assertStringIncludes(ablation, ">share of the level's runs<");
    // The same folder gives byte-identical plots, whatever else the process rendered first.
    const other = await writeExperiment(dir, "other", tinyExperiment("other", { configs: 1 }));
    assertEquals((await runTask("sweep", [other], { cwd: dir })).code, 0);
    assertEquals((await runTask("report", ["results/other"], { cwd: dir })).code, 0);
    const pattern = plots.find((p) => p.startsWith("pattern-"))!;
    const alone = await Deno.readTextFile(`${dir}/results/tiny/plots/${pattern}`);
    assertEquals(
      (await runTask("report", ["results/other", "results/tiny"], { cwd: dir })).code,
      0,
    );
    assertEquals(await Deno.readTextFile(`${dir}/results/tiny/plots/${pattern}`), alone);
    const report = await Deno.readTextFile(`${dir}/results/tiny/REPORT.md`);
    assertStringIncludes(report, "# tiny");
    assertStringIncludes(report, "## Per configuration");
    assertStringIncludes(report, "learned the pattern (95% CI)");
    for (const plot of plots) assertStringIncludes(report, `(plots/${plot})`);
  } finally {
    await cleanup();
  }
});

/** A Markdown table's rows under `heading` in `text`, each row's cells trimmed (header first). */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(heading);
  assert(start >= 0, `no "${heading}" in the text`);
  const lines = text.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith("|")) break;
    if (/^\|[-| ]+\|$/.test(line)) continue; // the rule under the header
    rows.push(line.slice(1, -1).split("|").map((cell) => cell.trim()));
  }
  return rows;
}

/** What the test reads of a heatmap's view in report.html's specs. */
type HeatmapView = {
  data: { values: { value: number }[] };
  encoding: { color: { scale: { domain: number[]; clamp: boolean } } };
};

/** The lines of one kind in an SVG: Vega names each layer's marks `child_layer_K_marks`. */
const lineMarks = (svg: string, layer: number) =>
  svg.split(`class="mark-line role-mark child_layer_${layer}_marks"`).length - 1;

Deno.test("REPORT.md answers with the summary's What mattered, overlays each factor's levels with each run's line and the check window, and shows G's outputs outside 0–1 beside the target", async () => {
  const { dir, cleanup } = await workspace();
  try {
    // A check window of a quarter of the run (the default is a tenth), to see it followed.
    const body = tinyExperiment("tiny").replace("seeds:", "checks: { window: 0.25 },\n    seeds:");
    const file = await writeExperiment(dir, "tiny", body);
    assertEquals((await runTask("sweep", [file, "--quiet"], { cwd: dir })).code, 0);
    const folder = `${dir}/results/tiny`;
    const summary = await runTask("summary", ["results/tiny"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    // A synthetic G that overshoots: the last recorded output of every run starts with 5.2.
    const patterns = await listFiles(`${folder}/patterns`);
    for (const name of patterns) {
      const lines = (await Deno.readTextFile(`${folder}/patterns/${name}`)).trimEnd().split("\n");
      lines[lines.length - 1] = lines.at(-1)!.replace(/^([^,]+),[^,]+/, "$1,5.2");
      await Deno.writeTextFile(`${folder}/patterns/${name}`, lines.join("\n") + "\n");
    }
    const result = await runTask("report", ["results/tiny"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    const report = await Deno.readTextFile(`${folder}/REPORT.md`);

    // What mattered: the rows the summary prints, ranked by the size of the difference, so the
    // first is comparisons.csv's largest; the note counts every comparison the CSV holds.
    const [header, ...rows] = tableAfter(report, "## What mattered");
    assertEquals(header.slice(1), [
      "factor",
      "levels",
      "measure",
      "values",
      "difference (95% CI)",
      "test",
      "p (Holm)",
    ]);
    const [, ...printed] = tableAfter(summary.stdout, "What mattered");
    assertEquals(rows[0], printed[0], "REPORT.md's first comparison is the summary's");
    const csv = parseCsv(await Deno.readTextFile(`${folder}/comparisons.csv`));
    const column = (name: string) => csv[0].indexOf(name);
    const rates = csv.slice(1).filter((row) => row[column("measure")] !== "verdict_distribution");
    const largest = Math.max(...rates.map((row) => Math.abs(Number(row[column("difference")]))));
    const first = rates.find((row) =>
      `${row[column("level_b")]} vs ${row[column("level_a")]}` === rows[0][2] &&
      row[column("factor")] === rows[0][1] && row[column("test")] === rows[0][6] &&
      Math.abs(Number(row[column("difference")])) === largest
    );
    assert(first, `REPORT.md's first comparison ${rows[0].join(" | ")} is not the CSV's largest`);
    assertEquals(rows.length, Math.min(10, rates.length));
    assertStringIncludes(report, `of the ${csv.length - 1} comparisons`);
    assertStringIncludes(report, "[`comparisons.csv`](comparisons.csv)");

    // One overlay per factor: a line per run and a median per level in each of the three loss
    // panels, and the check window shaded in each.
    const manifest = JSON.parse(await Deno.readTextFile(`${folder}/experiment.json`));
    const runs = parseCsv(await Deno.readTextFile(`${folder}/runs.csv`)).length - 1;
    for (
      const [factor, levels] of [["lr", ["d=0.01 g=0.01", "d=0.02 g=0.02"]], ["loss", [
        "mse",
        "bce",
      ]]] as const
    ) {
      const svg = await Deno.readTextFile(`${folder}/plots/levels-${factor}.svg`);
      assertStringIncludes(report, `(plots/levels-${factor}.svg)`);
      for (const level of levels) {
        assert(svg.includes(`>${level}<`), `${factor}: no level ${level}`);
      }
      assertEquals(lineMarks(svg, 1), 3 * runs, `${factor}: each run's own line in 3 panels`);
      assertEquals(lineMarks(svg, 2), 3 * levels.length, `${factor}: each level's median`);
      assertEquals(svg.split('class="mark-rect role-mark').length - 1, 3, "one window per panel");
      assert(svg.includes("the check window (the last 25%)"), `${factor}: not the window of 25%`);
    }
    // Each configuration's own plot: a thin line per seed under each loss's median.
    const seeds = manifest.experiment.seeds.length;
    for (const plot of (await listFiles(`${folder}/plots`)).filter((p) => p.startsWith("loss-"))) {
      const svg = await Deno.readTextFile(`${folder}/plots/${plot}`);
      assertEquals(lineMarks(svg, 1), 3 * seeds, `${plot}: each seed's line of each loss`);
      assertEquals(lineMarks(svg, 2), 3, `${plot}: each loss's median`);
    }
    const html = await Deno.readTextFile(`${folder}/report.html`);
    const data = JSON.parse(
      html.slice(
        html.indexOf('id="report-data">') + 17,
        html.indexOf("</script>", html.indexOf('id="report-data">')),
      ),
    ) as { views: { file: string; spec: Record<string, unknown> }[] };
    const spec = (file: string) => data.views.find((view) => view.file === file)!.spec;
    const windows = (spec("levels-lr.svg").data as { values: Record<string, unknown>[] }).values
      .filter((value) => value.window_from !== undefined);
    const iterations = manifest.experiment.iterations;
    assertEquals(
      new Set(windows.map((w) => `${w.window_from}–${w.window_to}`)),
      new Set([`${iterations * 0.75}–${iterations}`]),
    );

    // G's outputs: the colour scale reaches the synthetic 5.2, the legend names it, and the
    // target (each slot's centre of the recorded pattern) stands beside them.
    const { high, low, width } = manifest.preset.pattern;
    const centre = Array.from({ length: width }, (_, i) => (i % 2 === 0 ? high : low))
      .map(([a, b]: number[]) => (a + b) / 2);
    const heatmaps = (await listFiles(`${folder}/plots`)).filter((p) => p.startsWith("pattern-"));
    assert(heatmaps.length > 0);
    for (const plot of heatmaps) {
      const svg = await Deno.readTextFile(`${folder}/plots/${plot}`);
      assert(svg.includes(">5.2<"), `${plot}: the legend does not name 5.2`);
      assert(svg.includes(">target<"), `${plot}: no target column`);
      const [target, output] = (spec(plot) as { hconcat: HeatmapView[] }).hconcat;
      const domain = output.encoding.color.scale.domain;
      assert(domain[0] <= 0 && domain.at(-1)! >= 5.2, `${plot}: domain ${domain}`);
      assertEquals(output.encoding.color.scale.clamp, false);
      assertEquals(target.data.values.map((cell) => cell.value), centre);
    }
  } finally {
    await cleanup();
  }
});
