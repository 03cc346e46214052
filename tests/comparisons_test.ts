/**
 * Comparisons of factor levels: pairing by seed, paired and unpaired
 * statistics, Holm's correction over the table, and the summary's report of
 * them on the committed grid.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { parse } from "@std/csv";
import { compareLevels, DISTRIBUTION, pairRuns } from "../src/analysis/comparisons.ts";
import { holm, mcnemarExact, newcombe, newcombePaired } from "../src/analysis/contingency.ts";
import type { RunRow } from "../src/analysis/summary.ts";
import { ROOT, runTask } from "./helpers.ts";

const row = (loss: string, optimiser: string, seed: number, ending: string): RunRow => ({
  base: "seed",
  loss,
  optimiser,
  seed: String(seed),
  ending,
  pattern_learned: "false",
  verdict: ending === "equilibrium" ? "equilibrium_only" : ending,
});

Deno.test("runs pair up by seed and every other factor, or not at all", () => {
  const a = [1, 2].map((seed) => row("bce", "adam", seed, "equilibrium"));
  const b = [2, 1].map((seed) => row("mse", "adam", seed, "equilibrium"));
  const pairs = pairRuns(a, b, "loss")!;
  assertEquals(pairs.map(([x, y]) => [x.seed, y.seed]), [["1", "1"], ["2", "2"]]);
  // Another optimiser breaks the pairing, as does a missing seed.
  assertEquals(
    pairRuns(a, [row("mse", "sgd", 1, "x"), row("mse", "adam", 2, "x")], "loss"),
    undefined,
  );
  assertEquals(pairRuns(a, b.slice(0, 1), "loss"), undefined);
});

Deno.test("paired comparisons use McNemar and Newcombe's paired interval; unpaired Fisher and Newcombe", () => {
  // 10 seeds: with MSE, D wins in seeds 1–6 (in 1 and 2 also with BCE).
  const endingOf = (loss: string, seed: number) =>
    (loss === "mse" ? seed <= 6 : seed <= 2) ? "discriminator_wins" : "equilibrium";
  const rows = ["bce", "mse"].flatMap((loss) =>
    Array.from({ length: 10 }, (_, i) => row(loss, "adam", i + 1, endingOf(loss, i + 1)))
  );
  const comparisons = compareLevels(rows, [{ factor: "loss", a: "bce", b: "mse" }]);
  const wins = comparisons.find((c) => c.measure === "d_wins_or_explodes")!;
  assertEquals([wins.paired, wins.test, wins.countA, wins.countB], [true, "McNemar exact", 2, 6]);
  // Pairs: 2 with D winning under both, 4 only under MSE, 0 only under BCE, 4 under neither.
  assertAlmostEquals(wins.p, mcnemarExact(4, 0), 1e-12);
  assertEquals(wins.difference, newcombePaired(2, 4, 0, 4));
  assertAlmostEquals(wins.difference.difference, 0.4, 1e-12);
  // Unpaired when seeds differ between the levels.
  const unpaired = compareLevels(
    rows.map((r) => (r.loss === "mse" ? { ...r, seed: String(Number(r.seed) + 100) } : r)),
    [{ factor: "loss", a: "bce", b: "mse" }],
  ).find((c) => c.measure === "d_wins_or_explodes")!;
  assertEquals([unpaired.paired, unpaired.test], [false, "Fisher exact"]);
  assertEquals(unpaired.difference, newcombe(6, 10, 2, 10));
  // Holm over every comparison of the table, the distribution test included.
  assertEquals(comparisons.length, 6);
  assert(comparisons.some((c) => c.measure === DISTRIBUTION));
  assertEquals(comparisons.map((c) => c.pAdjusted), holm(comparisons.map((c) => c.p)));
});

Deno.test("summary on the committed grid: LayerNorm matters most for D winning; the loss (MSE against BCE) only just passes Holm's 5%", async () => {
  const result = await runTask("summary", ["results/grid"], { cwd: ROOT });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "What mattered");
  const text = await Deno.readTextFile(`${ROOT}/results/grid/comparisons.csv`);
  const [header, ...rows] = parse(text) as string[][];
  const find = (factor: string, measure: string) => {
    const found = rows.find((r) => r[0] === factor && r[3] === measure)!;
    return Object.fromEntries(header.map((h, i) => [h, found[i]]));
  };
  const norm = find("normalisation", "d_wins_or_explodes");
  assertEquals([norm.level_a, norm.level_b, norm.paired], ["layer_norm", "none", "true"]);
  assertEquals([norm.count_a, norm.count_b], ["27", "2"]);
  assert(Number(norm.p_holm) < 0.05 && norm.significant === "true");
  assert(Number(norm.ci_high) < 0, "the interval excludes 0");
  const loss = find("loss", "d_wins_or_explodes");
  assertEquals([loss.count_a, loss.count_b], ["8", "21"]);
  assert(Number(loss.p_holm) > 0.04 && Number(loss.p_holm) < 0.05 && loss.significant === "true");
  assert(Number(loss.ci_low) > 0, "the interval excludes 0, barely");
  assert(Number(norm.p_holm) < Number(loss.p_holm) / 1000, "LayerNorm's effect is far clearer");
});
