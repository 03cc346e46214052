/**
 * Run ids never move: every shipped experiment file expands to exactly the
 * run ids its committed results hold, so committed results and resumes keep
 * matching whatever the factors and registries grow into.
 */
import { assertEquals } from "@std/assert";
import { loadExperiment } from "../src/design/experiment.ts";
import { expandGrid } from "../src/design/grid.ts";
import { readRunRows } from "../src/results/folder.ts";
import { ROOT } from "./helpers.ts";

const COMMITTED = [
  "rescue",
  "rescue_confirm_mse_gp",
  "rescue_confirm_minimax_clip",
  "rescue_confirm_wasserstein_clip",
  "seed",
  "book",
  "grid",
  "loss",
  "optimiser",
  "learning_rate",
  "normalisation",
  "zoo",
  "wgan",
  "wgan_gp",
  "sngan",
  "dcgan",
  "width",
  "schemes",
  "ring_generator_batch",
  "gdpp_grid",
  "five_gaussians",
  "gdpp_ring8",
  "numerics_notebook",
  "gdpp_ring",
];

for (const name of COMMITTED) {
  Deno.test(`experiments/${name}.ts expands to the run ids in results/${name}`, async () => {
    const experiment = await loadExperiment(`${ROOT}/experiments/${name}.ts`);
    const ids = (await expandGrid(experiment)).map((run) => run.id).sort();
    const committed = (await readRunRows(`${ROOT}/results/${name}`)).map((row) => row.run_id);
    assertEquals(ids, committed.sort());
  });
}

Deno.test("a few ids pinned by value", async () => {
  const book = await expandGrid(await loadExperiment(`${ROOT}/experiments/book.ts`));
  assertEquals(book.slice(0, 3).map((run) => [run.seed, run.id]), [
    [1, "5312275cbb85"],
    [2, "5b6ee7a84cb7"],
    [3, "ab1b4d443136"],
  ]);
  const seed = await expandGrid(await loadExperiment(`${ROOT}/experiments/seed.ts`));
  assertEquals([seed[0].seed, seed[0].id], [1, "94bd375c7db5"]);
});
