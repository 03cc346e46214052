/**
 * The summaries' numbers on hand-made runs whose answers are known.
 */
import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { stringify } from "@std/csv";
import { medianAndIqr, quantile, wilson } from "../src/statistics.ts";
import { type RunRow, summariseFactors, summariseGroups, sweptFactors } from "../src/summary.ts";
import { runColumns } from "../src/results.ts";
import { parseCsv, runTask, workspace } from "./helpers.ts";

Deno.test("Wilson intervals match the textbook values", () => {
  const eight = wilson(8, 10);
  assertAlmostEquals(eight.rate, 0.8);
  assertAlmostEquals(eight.low, 0.4902, 1e-4);
  assertAlmostEquals(eight.high, 0.9433, 1e-4);
  const none = wilson(0, 10);
  assertEquals(none.low, 0);
  assertAlmostEquals(none.high, 0.2775, 1e-4);
  const all = wilson(16, 16);
  assertAlmostEquals(all.low, 0.8064, 1e-4);
  assertEquals(all.high, 1);
});

Deno.test("quantiles interpolate between order statistics", () => {
  assertEquals(quantile([4, 1, 3, 2], 0.5), 2.5);
  assertEquals(quantile([1, 2, 3, 4], 0.25), 1.75);
  assertEquals(medianAndIqr([1, 2, 3, 4]), { median: 2.5, iqr: 1.5 });
  assertEquals(medianAndIqr([7]), { median: 7, iqr: 0 });
});

/** A run row with the seed's factors, changed by `overrides`. */
function row(overrides: Record<string, string | number>): RunRow {
  const base: Record<string, string> = {
    run_id: crypto.randomUUID().slice(0, 12),
    experiment: "hand",
    base: "seed",
    loss: "bce",
    optimiser: "adam",
    lr_d: "0.001",
    lr_g: "0.01",
    normalisation: "layer_norm",
    activation_d: "sigmoid",
    activation_g: "leaky_relu",
    batch_size: "1",
    generator_input: "0.5",
    seed: "1",
    iterations: "100000",
    status: "finished",
    verdict: "converged",
    d_loss_real_mean: "0.69",
    d_loss_fake_mean: "0.69",
    g_loss_mean: "0.69",
    d_fake_error: "0.01",
    pattern_error: "0.05",
    d_real_mean: "0.5",
    g_out_0: "0.9",
    g_out_1: "0.1",
    g_out_2: "0.9",
    g_out_3: "0.1",
    g_out_4: "0.9",
    g_out_5: "0.1",
  };
  return Object.fromEntries(
    Object.entries({ ...base, ...overrides }).map(([k, v]) => [k, String(v)]),
  );
}

// BCE + Adam: 3 of 4 converged; BCE + SGD: 1 of 4; MSE + Adam: 0 of 4.
const ROWS: RunRow[] = [
  row({ seed: 1, d_loss_real_mean: 0.6, d_loss_fake_mean: 0.8, g_loss_mean: 0.7 }),
  row({ seed: 2, d_loss_real_mean: 0.7, d_loss_fake_mean: 0.7, g_loss_mean: 0.8 }),
  row({ seed: 3, d_loss_real_mean: 0.5, d_loss_fake_mean: 0.5, g_loss_mean: 0.9, g_out_1: 0.3 }),
  row({
    seed: 4,
    verdict: "discriminator_wins",
    d_loss_real_mean: 0.01,
    d_loss_fake_mean: 0.01,
    g_loss_mean: 27,
    d_real_mean: 1,
    g_out_0: 50,
    g_out_1: 3,
  }),
  row({ optimiser: "sgd", seed: 1 }),
  row({ optimiser: "sgd", seed: 2, verdict: "equilibrium_only", pattern_error: 3 }),
  row({ optimiser: "sgd", seed: 3, verdict: "equilibrium_only", pattern_error: 5 }),
  row({ optimiser: "sgd", seed: 4, verdict: "oscillating" }),
  ...[1, 2, 3, 4].map((seed) => row({ loss: "mse", seed, verdict: "no_equilibrium" })),
];

Deno.test("per configuration: counts, rate, interval, verdicts, medians and IQRs", () => {
  assertEquals(sweptFactors(ROWS), ["loss", "optimiser"]);
  const [bceAdam, bceSgd, mseAdam] = summariseGroups(ROWS, ["loss", "optimiser"]);
  assertEquals(bceAdam.levels, { loss: "bce", optimiser: "adam" });
  assertEquals([bceAdam.converged.successes, bceAdam.converged.trials], [3, 4]);
  assertEquals(bceAdam.verdicts.discriminator_wins, 1);
  // D loss per run (real + fake) / 2: 0.7, 0.7, 0.5, 0.01 → median 0.6, IQR 0.7 − 0.3775.
  assertAlmostEquals(bceAdam.dLoss.median, 0.6, 1e-12);
  assertAlmostEquals(bceAdam.dLoss.iqr, 0.7 - 0.3775, 1e-12);
  assertAlmostEquals(bceAdam.gLoss.median, 0.85, 1e-12);
  // D(real): 0.5, 0.5, 0.5, 1 → median 0.5, IQR 0.625 − 0.5.
  assertEquals(bceAdam.dReal, { median: 0.5, iqr: 0.125 });
  // Slot 0: 0.9, 0.9, 0.9, 50 → 0.9; slot 1: 0.1, 0.1, 0.3, 3 → 0.2.
  assertAlmostEquals(bceAdam.gOutput[0], 0.9, 1e-12);
  assertAlmostEquals(bceAdam.gOutput[1], 0.2, 1e-12);
  assertEquals(bceAdam.gOutput.length, 6);
  assertEquals(bceSgd.verdicts.equilibrium_only, 2);
  assertAlmostEquals(bceSgd.patternError.median, (0.05 + 3) / 2, 1e-12);
  assertEquals(mseAdam.converged.successes, 0);
  assertEquals(mseAdam.verdicts.no_equilibrium, 4);
  const byVerdict = summariseGroups(ROWS, ["verdict"]);
  assertEquals(byVerdict.map((g) => [g.levels.verdict, g.converged.trials]), [
    ["converged", 4],
    ["discriminator_wins", 1],
    ["equilibrium_only", 2],
    ["oscillating", 1],
    ["no_equilibrium", 4],
  ]);
});

Deno.test("per factor: each level's rate across everything else, and its change from the base", () => {
  const table = summariseFactors(ROWS);
  const find = (factor: string, level: string) =>
    table.find((l) => l.factor === factor && l.level === level)!;
  const bce = find("loss", "bce");
  assertEquals([bce.converged.successes, bce.converged.trials, bce.isBase], [4, 8, true]);
  const mse = find("loss", "mse");
  assertAlmostEquals(mse.changeFromBase, 0 - 0.5, 1e-12);
  const adam = find("optimiser", "adam");
  assertEquals([adam.converged.successes, adam.converged.trials, adam.isBase], [3, 8, true]);
  const sgd = find("optimiser", "sgd");
  assertAlmostEquals(sgd.changeFromBase, 1 / 4 - 3 / 8, 1e-12);
  assertEquals(table.length, 4);
});

Deno.test("deno task summary prints the tables and writes summary.csv and factors.csv", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const folder = `${dir}/results/hand`;
    await Deno.mkdir(folder);
    const columns = runColumns(6);
    await Deno.writeTextFile(
      `${folder}/runs.csv`,
      stringify([columns, ...ROWS.map((r) => columns.map((c) => r[c] ?? ""))]),
    );
    const result = await runTask("summary", [], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stdout, "## hand (12 runs, results/hand)");
    assertStringIncludes(result.stdout, "| bce  | adam      | 4 | 3 = 75% (30%–95%)");
    assertStringIncludes(
      result.stdout,
      "| optimiser | sgd         | 4 | 25% (5%–70%)       | -13 pts",
    );
    const [header, ...summary] = parseCsv(await Deno.readTextFile(`${folder}/summary.csv`));
    assertEquals(header.slice(0, 5), ["loss", "optimiser", "n", "converged", "rate"]);
    assertEquals(summary.map((r) => r.slice(0, 5)), [
      ["bce", "adam", "4", "3", "0.75"],
      ["bce", "sgd", "4", "1", "0.25"],
      ["mse", "adam", "4", "0", "0"],
    ]);
    const factors = parseCsv(await Deno.readTextFile(`${folder}/factors.csv`));
    assertEquals(factors[0], [
      "factor",
      "level",
      "is_base",
      "n",
      "converged",
      "rate",
      "ci_low",
      "ci_high",
      "change_from_base",
    ]);
    assertEquals(factors.find((r) => r[1] === "mse")?.slice(0, 6), [
      "loss",
      "mse",
      "false",
      "4",
      "0",
      "0",
    ]);

    const before = await Deno.readTextFile(`${folder}/summary.csv`);
    const byLoss = await runTask("summary", ["--by", "loss", "--format", "csv"], { cwd: dir });
    assertEquals(byLoss.code, 0, byLoss.stderr);
    assertStringIncludes(byLoss.stdout, "bce,8,4,0.5,");
    assertStringIncludes(await Deno.readTextFile(`${folder}/summary-by-loss.csv`), "bce,8,4,0.5,");
    assertEquals(await Deno.readTextFile(`${folder}/summary.csv`), before);
    const bad = await runTask("summary", ["--by", "losss"], { cwd: dir });
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, 'unknown factor "losss"; allowed: loss, optimiser');
    const nowhere = await runTask("summary", ["results/none"], { cwd: dir });
    assertEquals(nowhere.code, 2);
    assertStringIncludes(nowhere.stderr, "results/none: no runs.csv");
  } finally {
    await cleanup();
  }
});
