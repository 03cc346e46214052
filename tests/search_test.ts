/**
 * Random search: deterministic draws that respect their distributions,
 * growing `samples` keeps the configurations already drawn, and a search
 * beside a grid multiplies it.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { parseCsv, runTask, workspace, writeExperiment } from "./helpers.ts";
import { validateExperiment } from "../src/design/experiment.ts";
import { expandGrid } from "../src/design/grid.ts";
import { choice, intRange, logUniform, uniform } from "../src/design/search.ts";

const SPACE = {
  "lr.d": logUniform(1e-5, 1e-1),
  "lr.g": logUniform(1e-5, 1e-1),
  "optimiser.beta1": uniform(0, 0.9),
  optimiser: choice(["adam", "sgd"]),
  loss: choice(["bce", "hinge", "wasserstein"]),
  dSteps: intRange(1, 5),
};

const runsOf = (samples: number, extra: Record<string, unknown> = {}) =>
  expandGrid(validateExperiment(
    { name: "s", base: "seed", search: { samples, seed: 11, space: SPACE }, seeds: 2, ...extra },
    "s.ts",
  ));

Deno.test("draws are deterministic, in range, and options land where they belong", async () => {
  const runs = await runsOf(40);
  assertEquals(runs.length, 80);
  assertEquals((await runsOf(40)).map((r) => r.id), runs.map((r) => r.id));
  for (const { config } of runs) {
    assert(
      config.lr.d >= 1e-5 && config.lr.d <= 1e-1 && config.lr.g >= 1e-5 && config.lr.g <= 1e-1,
    );
    assert((config.dSteps ?? 1) >= 1 && (config.dSteps ?? 1) <= 5);
    if (config.optimiser.name === "adam") {
      assert(config.optimiser.beta1 >= 0 && config.optimiser.beta1 <= 0.9);
    } else assertEquals(config.optimiser, { name: "sgd", momentum: 0 });
  }
  // Spread over the range: learning rates in both the lowest and the highest decade.
  assert(runs.some((r) => r.config.lr.d < 1e-4) && runs.some((r) => r.config.lr.d > 1e-2));
  assertEquals(new Set(runs.map((r) => r.config.loss)).size, 3);
});

Deno.test("a search draws the scheme factors and network widths like any factor", async () => {
  const runs = await expandGrid(validateExperiment({
    name: "s",
    base: "seed",
    seeds: 1,
    search: {
      samples: 24,
      seed: 3,
      space: {
        hidden: choice([{ d: [8, 8] }, { g: [16] }]),
        dUpdate: choice(["separate", "joint"]),
        updates: choice(["alternating", "simultaneous"]),
        instanceNoise: choice([0, 0.1]),
      },
    },
  }, "s.ts"));
  const seen = (column: string) => new Set(runs.map((run) => run.columns[column as "loss"]));
  assertEquals([...seen("hidden_d")].sort(), ["3-3", "8-8"]);
  assertEquals([...seen("hidden_g")].sort(), ["16", "3-3-3"]);
  assertEquals([...seen("d_update")].sort(), ["joint", "separate"]);
  assertEquals([...seen("updates")].sort(), ["alternating", "simultaneous"]);
  assertEquals([...seen("instance_noise")].sort(), ["0", "0.1"]);
});

Deno.test("growing samples keeps the runs already drawn; another seed draws others", async () => {
  const few = (await runsOf(5)).map((r) => r.id);
  const more = (await runsOf(8)).map((r) => r.id);
  assertEquals(more.slice(0, few.length), few);
  const other = await expandGrid(validateExperiment(
    { name: "s", base: "seed", search: { samples: 5, seed: 12, space: SPACE }, seeds: 2 },
    "s.ts",
  ));
  assertEquals(other.filter((r) => few.includes(r.id)).length, 0);
});

Deno.test("samples that draw the same configuration are one configuration: its runs are listed once", async () => {
  const categorical = { loss: choice(["bce", "mse"]), dSteps: intRange(1, 2) };
  const runs = await expandGrid(validateExperiment(
    { name: "s", base: "seed", search: { samples: 12, seed: 3, space: categorical }, seeds: 2 },
    "s.ts",
  ));
  const ids = runs.map((r) => r.id);
  assertEquals(new Set(ids).size, ids.length, "a run id listed twice");
  // At most 2 losses × 2 critic-step counts, × 2 seeds, however many samples.
  assert(ids.length <= 8 && ids.length >= 4, `${ids.length} runs`);
});

Deno.test("a search beside a grid trains every sample for every grid combination", async () => {
  const runs = await expandGrid(validateExperiment(
    {
      name: "s",
      base: "seed",
      sweep: { normalisation: ["layer_norm", "none"] },
      search: { samples: 3, space: { "lr.d": logUniform(1e-4, 1e-2) } },
      seeds: 2,
    },
    "s.ts",
  ));
  assertEquals(runs.length, 2 * 3 * 2);
});

Deno.test("a search trains, and summary and report read it: ranking, budget curve, map", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "probe",
      `{
        name: "probe",
        base: "book",
        search: {
          samples: 6,
          seed: 3,
          space: { "lr.d": logUniform(1e-3, 0.5), "lr.g": logUniform(1e-3, 0.5), loss: choice(["mse", "hinge"]) },
        },
        seeds: 2,
        iterations: 300,
        recordEvery: 10,
        patternEvery: 50,
      }`,
    );
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    const summary = await runTask("summary", ["results/probe"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stdout, "Best of 6 sampled configurations");
    assertStringIncludes(summary.stdout, "within a budget of k configurations: k=1:");
    const budget = parseCsv(await Deno.readTextFile(`${dir}/results/probe/budget.csv`));
    assertEquals(budget.length, 1 + 6);
    const best = budget.slice(1).map((row) => Number(row[1]));
    assert(
      best.every((value, i) => i === 0 || value >= best[i - 1] - 1e-12),
      "the curve never falls",
    );
    assertEquals(parseCsv(await Deno.readTextFile(`${dir}/results/probe/search.csv`)).length, 7);
    const report = await runTask("report", ["results/probe"], { cwd: dir });
    assertEquals(report.code, 0, report.stderr);
    const text = await Deno.readTextFile(`${dir}/results/probe/REPORT.md`);
    for (const plot of ["search-map.svg", "search-budget.svg"]) {
      assertStringIncludes(text, `(plots/${plot})`);
      const svg = await Deno.readTextFile(`${dir}/results/probe/plots/${plot}`);
      assertStringIncludes(svg, "role-axis-title");
    }
    assertStringIncludes(
      await Deno.readTextFile(`${dir}/results/probe/plots/search-map.svg`),
      ">D's learning rate<",
    );
  } finally {
    await cleanup();
  }
});
