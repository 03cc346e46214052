/**
 * The summaries' numbers on hand-made runs whose answers are known.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { stringify } from "@std/csv";
import { medianAndIqr, quantile, wilson } from "../src/analysis/statistics.ts";
import {
  type RunRow,
  summariseFactors,
  summariseGroups,
  sweptFactors,
} from "../src/analysis/summary.ts";
import { runColumns } from "../src/results/folder.ts";
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
    run_id: crypto.randomUUID().replaceAll("-", "").slice(0, 12),
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
    pattern_learned: "true",
    ending: "equilibrium",
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

/** The two answers behind each combined verdict used below. */
const OUTCOME: Record<string, { pattern_learned: string; ending: string }> = {
  converged: { pattern_learned: "true", ending: "equilibrium" },
  pattern_only: { pattern_learned: "true", ending: "no_equilibrium" },
  equilibrium_only: { pattern_learned: "false", ending: "equilibrium" },
  discriminator_wins: { pattern_learned: "false", ending: "discriminator_wins" },
  oscillating: { pattern_learned: "false", ending: "oscillating" },
  no_equilibrium: { pattern_learned: "false", ending: "no_equilibrium" },
};
const as = (verdict: string) => ({ verdict, ...OUTCOME[verdict] });

// Pattern learned: BCE + Adam 3 of 4; BCE + SGD 1 of 4; MSE + Adam 1 of 4 (off equilibrium).
// At equilibrium: BCE + Adam 3 of 4; BCE + SGD 3 of 4; MSE + Adam 0 of 4.
const ROWS: RunRow[] = [
  row({ seed: 1, d_loss_real_mean: 0.6, d_loss_fake_mean: 0.8, g_loss_mean: 0.7 }),
  row({ seed: 2, d_loss_real_mean: 0.7, d_loss_fake_mean: 0.7, g_loss_mean: 0.8 }),
  row({ seed: 3, d_loss_real_mean: 0.5, d_loss_fake_mean: 0.5, g_loss_mean: 0.9, g_out_1: 0.3 }),
  row({
    seed: 4,
    ...as("discriminator_wins"),
    d_loss_real_mean: 0.01,
    d_loss_fake_mean: 0.01,
    g_loss_mean: 27,
    d_real_mean: 1,
    g_out_0: 50,
    g_out_1: 3,
  }),
  row({ optimiser: "sgd", seed: 1 }),
  row({ optimiser: "sgd", seed: 2, ...as("equilibrium_only"), pattern_error: 3 }),
  row({ optimiser: "sgd", seed: 3, ...as("equilibrium_only"), pattern_error: 5 }),
  row({ optimiser: "sgd", seed: 4, ...as("oscillating") }),
  row({ loss: "mse", seed: 1, ...as("pattern_only") }),
  ...[2, 3, 4].map((seed) => row({ loss: "mse", seed, ...as("no_equilibrium") })),
];

Deno.test("per configuration: both answers' rates and intervals, verdicts, medians and IQRs", () => {
  assertEquals(sweptFactors(ROWS), ["loss", "optimiser"]);
  const [bceAdam, bceSgd, mseAdam] = summariseGroups(ROWS, ["loss", "optimiser"]);
  assertEquals(bceAdam.levels, { loss: "bce", optimiser: "adam" });
  assertEquals([bceAdam.patternLearned.successes, bceAdam.patternLearned.trials], [3, 4]);
  assertAlmostEquals(bceAdam.patternLearned.low, 0.3006, 1e-4);
  assertEquals([bceAdam.equilibrium.successes, bceAdam.equilibrium.trials], [3, 4]);
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
  assertEquals([bceSgd.patternLearned.successes, bceSgd.equilibrium.successes], [1, 3]);
  assertAlmostEquals(bceSgd.patternError.median, (0.05 + 3) / 2, 1e-12);
  // A pattern learned off equilibrium counts as learned, never as "converged".
  assertEquals([mseAdam.patternLearned.successes, mseAdam.equilibrium.successes], [1, 0]);
  assertEquals([mseAdam.verdicts.pattern_only, mseAdam.verdicts.converged], [1, 0]);
  assertEquals(mseAdam.verdicts.no_equilibrium, 3);
  const byVerdict = summariseGroups(ROWS, ["verdict"]);
  assertEquals(byVerdict.map((g) => [g.levels.verdict, g.patternLearned.trials]), [
    ["converged", 4],
    ["discriminator_wins", 1],
    ["equilibrium_only", 2],
    ["oscillating", 1],
    ["pattern_only", 1],
    ["no_equilibrium", 3],
  ]);
  const byAnswer = summariseGroups(ROWS, ["pattern_learned"]);
  assertEquals(byAnswer.map((g) => [g.levels.pattern_learned, g.patternLearned.trials]), [
    ["true", 5],
    ["false", 7],
  ]);
});

Deno.test("per factor: each level's rate across everything else, and its change from the base", () => {
  const table = summariseFactors(ROWS);
  const find = (factor: string, level: string) =>
    table.find((l) => l.factor === factor && l.level === level)!;
  const bce = find("loss", "bce");
  assertEquals([bce.patternLearned.successes, bce.patternLearned.trials, bce.isBase], [4, 8, true]);
  assertEquals(bce.equilibrium.successes, 6);
  const mse = find("loss", "mse");
  assertAlmostEquals(mse.patternChangeFromBase, 1 / 4 - 4 / 8, 1e-12);
  assertAlmostEquals(mse.equilibriumChangeFromBase, 0 - 6 / 8, 1e-12);
  const adam = find("optimiser", "adam");
  assertEquals([adam.patternLearned.successes, adam.patternLearned.trials, adam.isBase], [
    4,
    8,
    true,
  ]);
  const sgd = find("optimiser", "sgd");
  assertAlmostEquals(sgd.patternChangeFromBase, 1 / 4 - 4 / 8, 1e-12);
  assertAlmostEquals(sgd.equilibriumChangeFromBase, 3 / 4 - 3 / 8, 1e-12);
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
    // Every row of each printed table has as many cells as its header (a | in a cell is escaped).
    const cellsPerLine = (line: string) => line.split(/(?<!\\)\|/).length;
    const tables = result.stdout.split(/\n(?!\|)/).map((block) =>
      block.split("\n").filter((line) => line.startsWith("|"))
    ).filter((lines) => lines.length > 0);
    assert(tables.length >= 2, `${tables.length} tables printed`);
    for (const lines of tables) {
      assertEquals(lines.map(cellsPerLine), lines.map(() => cellsPerLine(lines[0])), lines[0]);
    }
    const printed = result.stdout.replace(/ +/g, " ");
    assertStringIncludes(printed, "| bce | adam | 4 | 3 = 75% (30%–95%) | 3 = 75% (30%–95%) |");
    assertStringIncludes(printed, "| mse | adam | 4 | 1 = 25% (5%–70%) | 0 = 0% (0%–49%) |");
    assertStringIncludes(
      printed,
      "| optimiser | sgd | 4 | 1 = 25% (5%–70%) | -25 pts | 3 = 75% (30%–95%) | +38 pts |",
    );
    const [header, ...summary] = parseCsv(await Deno.readTextFile(`${folder}/summary.csv`));
    assertEquals(header.slice(0, 8), [
      "loss",
      "optimiser",
      "n",
      "pattern_learned",
      "pattern_learned_rate",
      "pattern_learned_ci_low",
      "pattern_learned_ci_high",
      "equilibrium",
    ]);
    assertEquals(summary.map((r) => [...r.slice(0, 5), r[7]]), [
      ["bce", "adam", "4", "3", "0.75", "3"],
      ["bce", "sgd", "4", "1", "0.25", "3"],
      ["mse", "adam", "4", "1", "0.25", "0"],
    ]);
    assertEquals(summary[2][header.indexOf("pattern_only")], "1");
    const factors = parseCsv(await Deno.readTextFile(`${folder}/factors.csv`));
    assertEquals(factors[0].slice(0, 14), [
      "factor",
      "level",
      "is_base",
      "n",
      "pattern_learned",
      "pattern_learned_rate",
      "pattern_learned_ci_low",
      "pattern_learned_ci_high",
      "pattern_learned_change_from_base",
      "equilibrium",
      "equilibrium_rate",
      "equilibrium_ci_low",
      "equilibrium_ci_high",
      "equilibrium_change_from_base",
    ]);
    const mse = factors.find((r) => r[1] === "mse")!;
    // Each verdict's share with its Wilson interval: MSE has 1 pattern_only run in 4 (0.0456–0.6994).
    const share = factors[0].indexOf("pattern_only_rate");
    assertEquals(mse.slice(share - 1, share + 3), ["1", "0.25", "0.0455873", "0.699358"]);
    assertEquals([...mse.slice(0, 6), mse[8], mse[9], mse[13]], [
      "loss",
      "mse",
      "false",
      "4",
      "1",
      "0.25",
      "-0.25",
      "0",
      "-0.75",
    ]);

    const before = await Deno.readTextFile(`${folder}/summary.csv`);
    const byLoss = await runTask("summary", ["--by", "loss", "--format", "csv"], { cwd: dir });
    assertEquals(byLoss.code, 0, byLoss.stderr);
    assertStringIncludes(byLoss.stdout, "bce,8,4,0.5,");
    // stdout is the CSV alone: a header naming the factor, then rows of its width.
    const [csvHeader, ...csvRows] = parseCsv(byLoss.stdout);
    assertEquals(csvHeader[0], "loss");
    assertEquals(csvRows.map((row) => row.length), csvRows.map(() => csvHeader.length));
    assertStringIncludes(await Deno.readTextFile(`${folder}/summary-by-loss.csv`), "bce,8,4,0.5,");
    assertEquals(await Deno.readTextFile(`${folder}/summary.csv`), before);
    const bad = await runTask("summary", ["--by", "losss"], { cwd: dir });
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, 'unknown factor "losss"; allowed: loss, optimiser');
    // Two folders that share runs, pooled: a run counts once.
    await Deno.mkdir(`${dir}/results/twin`);
    const shared = ROWS.slice(0, 6);
    await Deno.writeTextFile(
      `${dir}/results/twin/runs.csv`,
      stringify([columns, ...shared.map((r) => columns.map((c) => r[c] ?? ""))]),
    );
    const pooled = await runTask("summary", ["results/hand", "results/twin", "--across"], {
      cwd: dir,
    });
    assertEquals(pooled.code, 0, pooled.stderr);
    assertStringIncludes(pooled.stdout, "## pooled (12 runs, across results/hand, results/twin)");
    // A runs.csv from before the two answers existed: named, with the command that updates it.
    const old = `${dir}/results/old`;
    await Deno.mkdir(old);
    const oldColumns = columns.filter((c) => c !== "pattern_learned" && c !== "ending");
    await Deno.writeTextFile(
      `${old}/runs.csv`,
      stringify([oldColumns, ...ROWS.map((r) => oldColumns.map((c) => r[c] ?? ""))]),
    );
    const outdated = await runTask("summary", ["results/old"], { cwd: dir });
    assertEquals(outdated.code, 2);
    assertStringIncludes(outdated.stderr, "results/old: runs.csv has no pattern_learned");
    assertStringIncludes(outdated.stderr, "deno task recheck results/old");
    assert(!outdated.stderr.includes("    at "), outdated.stderr);
    const nowhere = await runTask("summary", ["results/none"], { cwd: dir });
    assertEquals(nowhere.code, 2);
    assertStringIncludes(nowhere.stderr, "results/none: no runs.csv");
  } finally {
    await cleanup();
  }
});
