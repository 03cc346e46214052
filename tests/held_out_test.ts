/**
 * The acceptance check of ranges and random search, end to end through the
 * sweep task: an experiment file that uses lists for D's and G's learning
 * rates, a list of an optimiser option and a search block lists the same run
 * ids from two fresh workspaces (as on two machines), splits into disjoint
 * shards that cover it, and after `kill -9` mid-sweep finishes with exactly
 * one row per run.
 */
import { assert, assertEquals } from "@std/assert";
import { parseCsv, runTask, taskCommand, workspace, writeExperiment } from "./helpers.ts";

const HELD_OUT = `{
  name: "held_out",
  base: "seed",
  sweep: {
    lr: [{ d: [1e-4, 1e-3], g: [1e-3, 1e-2] }],
    optimiser: [{ name: "adam", beta1: [0, 0.5] }],
  },
  search: {
    samples: 3,
    seed: 11,
    space: {
      loss: choice(["bce", "hinge", "wasserstein"]),
      penalty: choice([{ weightClip: 0.01 }]),
      "penalty.weightClip": logUniform(1e-3, 1e-1),
      dSteps: intRange(1, 3),
    },
  },
  seeds: 2,
  iterations: 40000,
}`;

/** 4 learning-rate pairs × 2 betas × 3 samples × 2 seeds. */
const RUNS = 48;

/** The run ids `deno task sweep FILE --list [extra]` prints. */
async function listedIds(dir: string, file: string, extra: string[] = []): Promise<string[]> {
  const listed = await runTask("sweep", [file, "--list", ...extra], { cwd: dir });
  assertEquals(listed.code, 0, listed.stderr);
  return listed.stdout.split("\n").filter((line) => /^[0-9a-f]{12}\t/.test(line))
    .map((line) => line.slice(0, 12));
}

Deno.test("a held-out file with ranges and a search: the same ids on a second machine", async () => {
  const [one, two] = [await workspace(), await workspace()];
  try {
    const ids = await listedIds(one.dir, await writeExperiment(one.dir, "held_out", HELD_OUT));
    assertEquals(ids.length, RUNS);
    assertEquals(new Set(ids).size, RUNS);
    const again = await listedIds(two.dir, await writeExperiment(two.dir, "held_out", HELD_OUT));
    assertEquals(again, ids);
  } finally {
    await one.cleanup();
    await two.cleanup();
  }
});

Deno.test("a held-out file with ranges and a search: shards are disjoint and cover it", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "held_out", HELD_OUT);
    const all = await listedIds(dir, file);
    const shards = await Promise.all(
      [0, 1, 2].map((k) => listedIds(dir, file, ["--shard", `${k}/3`])),
    );
    assert(shards.every((ids) => ids.length > 0), "an empty shard");
    assertEquals(shards.flat().sort(), [...all].sort());
  } finally {
    await cleanup();
  }
});

Deno.test("a held-out file with ranges and a search: kill -9 mid-sweep, rerun, one row per run", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "held_out", HELD_OUT);
    const runsFile = `${dir}/results/held_out/runs.csv`;
    const rows = async () => {
      try {
        return parseCsv(await Deno.readTextFile(runsFile)).length - 1;
      } catch {
        return 0;
      }
    };
    const child = taskCommand("sweep", [file, "--workers", "1"], { cwd: dir }).spawn();
    let exited = false;
    child.status.then(() => (exited = true));
    const deadline = Date.now() + 120_000;
    while ((await rows()) < 1) {
      assert(!exited, "the sweep ended before it could be killed");
      assert(Date.now() < deadline, "no rows after two minutes");
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    assertEquals((await child.status).signal, "SIGKILL");
    const killedAt = await rows();
    assert(killedAt < RUNS, `all ${RUNS} runs finished before the kill`);
    const rerun = await runTask("sweep", [file, "--workers", "1"], { cwd: dir });
    assertEquals(rerun.code, 0, rerun.stderr);
    const ids = parseCsv(await Deno.readTextFile(runsFile)).slice(1).map((row) => row[0]);
    assertEquals(ids.length, RUNS);
    assertEquals(new Set(ids).size, RUNS, "a run has two rows");
    assertEquals([...ids].sort(), (await listedIds(dir, file)).sort());
  } finally {
    await cleanup();
  }
});
