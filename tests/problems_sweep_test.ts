/**
 * A toy problem end to end: the sweep writes its judgement (the problem's
 * columns and the convergence check) into runs.csv and keeps a mixture's
 * samples; the report draws them.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { parseCsv, runTask, workspace, writeExperiment } from "./helpers.ts";

Deno.test("a ring sweep writes modes captured, sample quality and the Jacobian columns, keeps 500 samples, and the report plots them", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "tiny_ring",
      `{ name: "tiny_ring", base: "ring", sweep: { batchSize: [8], hidden: [{ d: [4], g: [4] }] },
         variants: [{ penalty: "none" }, { consensus: 0.5 }], seeds: 2, iterations: 60,
         recordEvery: 10, patternEvery: 10 }`,
    );
    const result = await runTask("sweep", [file, "--quiet"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    const [header, ...rows] = parseCsv(
      await Deno.readTextFile(`${dir}/results/tiny_ring/runs.csv`),
    );
    for (
      const column of [
        "consensus",
        "modes_captured",
        "high_quality_share",
        "js_to_uniform",
        "kl_to_uniform",
        "window_modes_visited",
        "mixture_verdict",
        "jacobian_max_real",
        "update_spectral_radius",
        "locally_stable",
      ]
    ) assert(header.includes(column), `runs.csv lacks ${column}`);
    assertEquals(rows.length, 4);
    const at = (row: string[], column: string) => row[header.indexOf(column)];
    for (const row of rows) {
      const captured = Number(at(row, "modes_captured"));
      assert(Number.isInteger(captured) && captured >= 0 && captured <= 8);
      assert(
        ["converged", "low_quality", "mode_collapsed", "diverged"].includes(
          at(row, "mixture_verdict"),
        ),
      );
      // 4-wide nets: 2·4+4 + 4+1 (D) + 16·4+4 + 4·2+2 (G) = 95 parameters: checked.
      assert(
        Number.isFinite(Number(at(row, "update_spectral_radius"))),
        at(row, "update_spectral_radius"),
      );
      assertEquals(at(row, "pattern_learned"), String(at(row, "mixture_verdict") === "converged"));
      const samples = parseCsv(
        await Deno.readTextFile(`${dir}/results/tiny_ring/samples/${at(row, "run_id")}.csv`),
      );
      assertEquals(samples.length, 501);
    }
    // The summaries answer in the ring's terms: modes captured and sample quality, with intervals.
    const summary = await runTask("summary", ["results/tiny_ring"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stdout, "modes captured, mean (95% CI)");
    const [summaryHeader, ...configurations] = parseCsv(
      await Deno.readTextFile(`${dir}/results/tiny_ring/summary.csv`),
    );
    for (
      const column of ["modes_captured_mean", "high_quality_share_ci_low", "problem_mode_collapsed"]
    ) {
      assert(summaryHeader.includes(column), `summary.csv lacks ${column}`);
    }
    for (const configuration of configurations) {
      const own = rows.filter((row) =>
        at(row, "consensus") === configuration[summaryHeader.indexOf("consensus")]
      );
      const mean = own.reduce((sum, row) => sum + Number(at(row, "modes_captured")), 0) /
        own.length;
      assertEquals(
        Number(configuration[summaryHeader.indexOf("modes_captured_mean")]),
        +mean.toPrecision(6),
      );
    }
    const [comparisonHeader, ...comparisons] = parseCsv(
      await Deno.readTextFile(`${dir}/results/tiny_ring/comparisons.csv`),
    );
    const modes = comparisons.find((c) =>
      c[comparisonHeader.indexOf("measure")] === "modes_captured"
    )!;
    assertEquals(
      ["factor", "level_a", "level_b", "test"].map((column) =>
        modes[comparisonHeader.indexOf(column)]
      ),
      ["variant", "penalty=none", "consensus=0.5", "paired t"],
    );
    const report = await runTask("report", ["results/tiny_ring"], { cwd: dir });
    assertEquals(report.code, 0, report.stderr);
    const text = await Deno.readTextFile(`${dir}/results/tiny_ring/REPORT.md`);
    assertStringIncludes(text, "modes captured");
    assertStringIncludes(text, "plots/ring-samples.svg");
    // Thinning for a commit keeps the first 100 samples of each run, and says so in the manifest.
    const thin = await runTask(
      "thin",
      [
        "results/tiny_ring",
        "--curves-every",
        "20",
        "--patterns-every",
        "20",
        "--samples-keep",
        "100",
      ],
      { cwd: dir },
    );
    assertEquals(thin.code, 0, thin.stderr);
    for (const row of rows) {
      const kept = parseCsv(
        await Deno.readTextFile(`${dir}/results/tiny_ring/samples/${at(row, "run_id")}.csv`),
      );
      assertEquals(kept.length, 101);
    }
    const manifest = JSON.parse(
      await Deno.readTextFile(`${dir}/results/tiny_ring/experiment.json`),
    );
    assertEquals(manifest.thinned.samples_kept, 100);
    const bad = await runTask(
      "thin",
      [
        "results/tiny_ring",
        "--curves-every",
        "20",
        "--patterns-every",
        "20",
        "--samples-keep",
        "0",
      ],
      { cwd: dir },
    );
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "--samples-keep must be an integer ≥ 1 (got 0)");
  } finally {
    await cleanup();
  }
});

Deno.test("a Dirac sweep writes θ, ψ, the distance and the verdict, and the report's trajectories match runs.csv", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "tiny_dirac",
      `{ name: "tiny_dirac", base: "dirac", variants: [{ loss: "bce_minimax" }, { penalty: { r1: 1 } }],
         sweep: { updates: ["simultaneous", "alternating"] }, seeds: 1, patternEvery: 1 }`,
    );
    const result = await runTask("sweep", [file, "--quiet"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    const [header, ...rows] = parseCsv(
      await Deno.readTextFile(`${dir}/results/tiny_dirac/runs.csv`),
    );
    const at = (row: string[], column: string) => row[header.indexOf(column)];
    const verdicts = rows.map((row) =>
      `${at(row, "penalty")} ${at(row, "updates")}: ${at(row, "dirac_verdict")}`
    ).sort();
    assertEquals(verdicts, [
      "none alternating: cycling",
      "none simultaneous: diverged",
      "r1(1) alternating: converged",
      "r1(1) simultaneous: converged",
    ]);
    const report = await runTask("report", ["results/tiny_dirac"], { cwd: dir });
    assertEquals(report.code, 0, report.stderr);
    const text = await Deno.readTextFile(`${dir}/results/tiny_dirac/REPORT.md`);
    assertStringIncludes(
      text,
      "Every retrained run ended where runs.csv says its run ended (4 checked)",
    );
    assertStringIncludes(text, "plots/dirac-trajectories.svg");
  } finally {
    await cleanup();
  }
});
