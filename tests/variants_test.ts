/**
 * An experiment's variants are compared as variants: each against the first
 * declared, paired by seed and every swept factor, never a factor a variant
 * sets level against level (which would pool the other variants into its
 * base level).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { compareLevels, defaultRequests } from "../src/analysis/comparisons.ts";
import { summariseFactors, sweptFactors } from "../src/analysis/summary.ts";
import { comparedFactors, labelVariants } from "../src/analysis/variants.ts";
import { parseCsv, runTask, workspace, writeExperiment } from "./helpers.ts";

const VARIANTS = [{ consensus: 0 }, { consensus: 1 }, { penalty: { r1: 1 } }];

const row = (consensus: string, penalty: string, seed: number, ending: string) => ({
  base: "dirac",
  loss: "bce_minimax",
  consensus,
  penalty,
  seed: String(seed),
  ending,
  pattern_learned: String(ending === "equilibrium"),
  verdict: ending === "equilibrium" ? "converged" : ending,
});

Deno.test("runs are labelled by the variant whose levels they have, the others at the preset's", () => {
  const rows = labelVariants(
    [
      row("1", "none", 1, "equilibrium"),
      row("0", "r1(1)", 1, "equilibrium"),
      row("0", "none", 1, "oscillating"),
    ],
    VARIANTS,
  );
  assertEquals(rows.map((r) => r.variant), ["consensus=1", "penalty=r1(1)", "consensus=0"]);
  assertEquals(rows.map((r) => r.variant_order), ["1", "2", "0"]);
});

Deno.test("variants are compared with the first declared, paired by seed, and the factors they set are not compared level against level", () => {
  const rows = labelVariants(
    [1, 2, 3, 4].flatMap((seed) => [
      row("0", "none", seed, "oscillating"),
      row("1", "none", seed, "equilibrium"),
      row("0", "r1(1)", seed, seed <= 2 ? "equilibrium" : "oscillating"),
    ]),
    VARIANTS,
  );
  assertEquals(sweptFactors(rows), ["penalty", "consensus"]);
  assertEquals(comparedFactors(rows, sweptFactors(rows)), ["variant"]);
  const requests = defaultRequests(rows, () => undefined);
  assertEquals(requests, [
    { factor: "variant", a: "consensus=0", b: "consensus=1" },
    { factor: "variant", a: "consensus=0", b: "penalty=r1(1)" },
  ]);
  const equilibrium = compareLevels(rows, requests).filter((c) => c.measure === "equilibrium");
  // Each variant's own 4 runs, not "consensus 0" pooling the R1 runs (8 runs).
  assertEquals(
    equilibrium.map((c) => [c.b, c.countA, c.nA, c.countB, c.nB, c.paired]),
    [["consensus=1", 0, 4, 4, 4, true], ["penalty=r1(1)", 0, 4, 2, 4, true]],
  );
  const levels = summariseFactors(rows, comparedFactors(rows, sweptFactors(rows)));
  assertEquals(levels.map((l) => [l.factor, l.level, l.equilibrium.successes]), [
    ["variant", "consensus=0", 0],
    ["variant", "consensus=1", 4],
    ["variant", "penalty=r1(1)", 2],
  ]);
});

Deno.test("a Dirac-GAN experiment with variants, swept and summarised: comparisons.csv compares variant against variant, and a swept factor paired across them", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "dirac_variants",
      `{ name: "dirac_variants", base: "dirac",
         variants: [{ consensus: 0 }, { consensus: 1 }, { penalty: { r1: 1 } }],
         sweep: { updates: ["simultaneous", "alternating"] },
         seeds: 2, iterations: 300, recordEvery: 10, patternEvery: 10 }`,
    );
    const swept = await runTask("sweep", [file], { cwd: dir, timeoutSeconds: 120 });
    assertEquals(swept.code, 0, swept.stderr);
    assert(swept.stdout.includes("variant"), swept.stdout);
    const summary = await runTask("summary", ["results/dirac_variants"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    const [header, ...lines] = parseCsv(
      await Deno.readTextFile(`${dir}/results/dirac_variants/comparisons.csv`),
    );
    const at = (line: string[], column: string) => line[header.indexOf(column)];
    assertEquals([...new Set(lines.map((line) => at(line, "factor")))].sort(), [
      "updates",
      "variant",
    ]);
    const measured = lines.filter((l) => at(l, "measure") !== "verdict_distribution");
    for (const line of measured.filter((l) => at(l, "factor") === "variant")) {
      assertEquals(at(line, "level_a"), "consensus=0");
      // 2 seeds × 2 update schemes per variant, paired.
      assertEquals([at(line, "n_a"), at(line, "n_b"), at(line, "paired")], ["4", "4", "true"]);
    }
    // The Dirac-GAN's own measure is compared too: the distance to (0, 0), paired by seed.
    const distance = measured.find((l) =>
      at(l, "factor") === "variant" && at(l, "measure") === "distance_to_equilibrium"
    )!;
    assertEquals([at(distance, "test"), at(distance, "paired")], ["paired t", "true"]);
    assert(
      Number(at(distance, "mean_b")) < Number(at(distance, "mean_a")),
      "consensus ends nearer",
    );
    assertStringIncludes(swept.stdout, "distance to (0, 0), mean");
    for (const line of measured.filter((l) => at(l, "factor") === "updates")) {
      assertEquals([at(line, "n_a"), at(line, "n_b"), at(line, "paired")], ["6", "6", "true"]);
    }
  } finally {
    await cleanup();
  }
});
