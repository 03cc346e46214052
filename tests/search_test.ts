/**
 * Random search: deterministic draws that respect their distributions,
 * growing `samples` keeps the configurations already drawn, and a search
 * beside a grid multiplies it.
 */
import { assert, assertEquals } from "@std/assert";
import { validateExperiment } from "../src/experiment.ts";
import { expandGrid } from "../src/grid.ts";
import { choice, intRange, logUniform, uniform } from "../src/search.ts";

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
