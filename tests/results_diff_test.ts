/**
 * `diffRuns` says which runs two results folders share, whose outcome
 * changed and whose numbers moved; `nextFloat32` is one ulp.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { diffRuns } from "../src/results/diff.ts";
import { nextFloat32 } from "../src/bench/sensitivity.ts";
import { runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

const row = (id: string, verdict: string, gOut: string) => ({
  run_id: id,
  verdict,
  pattern_learned: "false",
  ending: verdict,
  d_loss_real_mean: "0.6931",
  g_out_0: gOut,
});

Deno.test("diffRuns counts identical, moved and changed runs, and runs only one side holds", () => {
  const before = [
    row("a", "equilibrium", "0.5"),
    row("b", "equilibrium", "0.5"),
    row("c", "diverged", ""),
  ];
  const after = [
    row("a", "equilibrium", "0.5"),
    row("b", "discriminator_wins", "0.7"),
    row("d", "equilibrium", "0.5"),
  ];
  const diff = diffRuns(before, after);
  assertEquals(diff.both, 2);
  assertEquals(diff.identical, 1);
  assertEquals(diff.moved, [{ runId: "b", column: "g_out_0", change: 0.19999999999999996 }]);
  assertEquals(diff.changed.map((c) => [c.runId, c.column, c.before, c.after]), [
    ["b", "verdict", "equilibrium", "discriminator_wins"],
    ["b", "ending", "equilibrium", "discriminator_wins"],
  ]);
  assertEquals(diff.onlyBefore, ["c"]);
  assertEquals(diff.onlyAfter, ["d"]);
});

Deno.test("diffRuns: a change within the tolerance is not a move; an empty field against a number is", () => {
  const diff = diffRuns([row("a", "x", "0.5")], [row("a", "x", "0.5004")]);
  assertEquals([diff.identical, diff.moved.length], [0, 0]);
  assertEquals(diffRuns([row("a", "x", "")], [row("a", "x", "1")]).moved.length, 1);
});

Deno.test("nextFloat32 moves a value by exactly one float32 step, away from zero", () => {
  assertEquals(nextFloat32(1), 1 + 2 ** -23);
  assertEquals(nextFloat32(-1), -(1 + 2 ** -23));
  assertEquals(Math.fround(nextFloat32(0.3)) > Math.fround(0.3), true);
});

Deno.test("deno task bench --sensitivity FILE runs without --only", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny", { iterations: 50 }));
    const result = await runTask("bench", ["--sensitivity", file], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stdout, "moving one G weight by one float32 ulp changes");
  } finally {
    await cleanup();
  }
});
