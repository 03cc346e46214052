/**
 * `deno task report` on a tiny sweep: well-formed SVGs with titles, axis
 * labels and legends, and a REPORT.md that shows them.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { XMLValidator } from "fast-xml-parser";
import { listFiles, runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

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
