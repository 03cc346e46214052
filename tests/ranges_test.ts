/**
 * Ranges in experiment files: list-valued fields of a level stand for every
 * combination, with the same run ids as the levels written out by hand.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { ExperimentError, validateExperiment } from "../src/design/experiment.ts";
import { expandGrid } from "../src/design/grid.ts";
import { logspace } from "../src/design/ranges.ts";

const ids = async (sweep: Record<string, unknown>) =>
  (await expandGrid(validateExperiment({ name: "r", base: "seed", sweep, seeds: 2 }, "r.ts")))
    .map((run) => run.id).sort();

Deno.test("lists in lr, optimiser options and penalty weights expand to their combinations", async () => {
  const ranged = await ids({
    lr: [{ d: logspace(1e-4, 1e-3, 2), g: [1e-3, 1e-2] }],
    optimiser: [{ name: "adam", beta1: [0, 0.5] }],
    penalty: ["none", { gradientPenalty: [1, 10] }],
    dSteps: [1, 5],
  });
  const written = await ids({
    lr: [
      { d: 1e-4, g: 1e-3 },
      { d: 1e-4, g: 1e-2 },
      { d: 1e-3, g: 1e-3 },
      { d: 1e-3, g: 1e-2 },
    ],
    optimiser: [{ name: "adam", beta1: 0 }, { name: "adam", beta1: 0.5 }],
    penalty: ["none", { gradientPenalty: 1 }, { gradientPenalty: 10 }],
    dSteps: [1, 5],
  });
  assertEquals(ranged.length, 4 * 2 * 3 * 2 * 2);
  assertEquals(ranged, written);
});

Deno.test("an empty list or a combination listed twice is refused, naming the field", () => {
  assertThrows(
    () =>
      validateExperiment({ name: "r", base: "seed", sweep: { lr: [{ d: [], g: 0.1 }] } }, "r.ts"),
    ExperimentError,
    "r.ts: sweep.lr[0].d: an empty list",
  );
  assertThrows(
    () =>
      validateExperiment(
        { name: "r", base: "seed", sweep: { lr: [{ d: [0.1, 0.1], g: 0.1 }] } },
        "r.ts",
      ),
    ExperimentError,
    'r.ts: sweep.lr[0]: {"d":0.1,"g":0.1} is listed twice',
  );
  assertThrows(
    () =>
      validateExperiment(
        { name: "r", base: "seed", sweep: { optimiser: [{ name: "adam", beta1: [0.5, 1] }] } },
        "r.ts",
      ),
    ExperimentError,
    "adam's beta1 must be 0 ≤ beta1 < 1, got 1",
  );
});
