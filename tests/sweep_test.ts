/**
 * `deno task sweep` end to end: results that parse back, resume without
 * loss or duplicates after `kill -9`, shards that add up to the whole.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

import { CURVE_COLUMNS } from "../src/engine/step.ts";
import { readRunRows, runColumns } from "../src/results/folder.ts";
import {
  listFiles,
  parseCsv,
  runTask,
  taskCommand,
  tinyExperiment,
  workspace,
  writeExperiment,
} from "./helpers.ts";

const TIMING_COLUMNS = ["batch_runs", "batch_wall_seconds", "finished_at"];

function withoutTiming(row: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !TIMING_COLUMNS.includes(key)));
}

function byId(rows: Record<string, string>[]): Map<string, Record<string, string>> {
  return new Map(rows.map((row) => [row.run_id, withoutTiming(row)]));
}

Deno.test("a tiny sweep writes runs.csv, curves, patterns and experiment.json that parse back", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
    const result = await runTask("sweep", [file], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stderr, "tiny: 8 runs, 8 to train → results/tiny");
    assertStringIncludes(result.stderr, "8/8 runs done");
    assertStringIncludes(result.stderr, "results in results/tiny/");
    // The last word: the experiment's short summary and where to read on, on stdout.
    assertStringIncludes(result.stdout, "## tiny: 8 runs");
    assertStringIncludes(result.stdout, "learned the pattern");
    assertStringIncludes(result.stdout, "deno task summary results/tiny");
    const quiet = await writeExperiment(dir, "hush", tinyExperiment("hush"));
    const hushed = await runTask("sweep", [quiet, "--quiet"], { cwd: dir });
    assertEquals(hushed.code, 0, hushed.stderr);
    assertEquals(hushed.stdout.trim(), "");

    const text = await Deno.readTextFile(`${dir}/results/tiny/runs.csv`);
    const [header, ...rows] = parseCsv(text);
    assertEquals(header, runColumns(4));
    assertEquals(rows.length, 8);
    assert(rows.every((row) => row.length === header.length));
    const records = await readRunRows(`${dir}/results/tiny`);
    assertEquals(new Set(records.map((r) => r.run_id)).size, 8);
    assertEquals(new Set(records.map((r) => r.loss)), new Set(["mse", "bce"]));
    for (const row of records) {
      assert(["finished", "diverged"].includes(row.status));
      assert(Number.isFinite(Number(row.d_loss_real_mean)));
      const [curveHeader, ...curve] = parseCsv(
        await Deno.readTextFile(`${dir}/results/tiny/curves/${row.run_id}.csv`),
      );
      assertEquals(curveHeader, ["iteration", ...CURVE_COLUMNS]);
      assertEquals(
        curve.map((r) => Number(r[0])),
        Array.from({ length: 20 }, (_, k) => 10 * (k + 1)),
      );
      const [patternHeader, ...patterns] = parseCsv(
        await Deno.readTextFile(`${dir}/results/tiny/patterns/${row.run_id}.csv`),
      );
      assertEquals(patternHeader, ["iteration", "g_out_0", "g_out_1", "g_out_2", "g_out_3"]);
      assertEquals(patterns.map((r) => Number(r[0])), [50, 100, 150, 200]);
      assertEquals(patterns.at(-1)!.slice(1), [row.g_out_0, row.g_out_1, row.g_out_2, row.g_out_3]);
    }
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/results/tiny/experiment.json`));
    assertEquals(manifest.experiment.name, "tiny");
    assertEquals(manifest.versions.backend, "wasm");
    assertEquals(manifest.versions.tfjs, "4.22.0");
    assert(manifest.finished_at && manifest.experiment_hash);
    assertEquals((await listFiles(dir)).filter((f) => f.includes(".tmp-")), []);

    const again = await runTask("sweep", [file], { cwd: dir });
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stderr, "8 already finished (skipped), 0 to train");
    assertEquals(await Deno.readTextFile(`${dir}/results/tiny/runs.csv`), text);

    const fresh = await runTask("sweep", [file, "--fresh"], { cwd: dir });
    assertEquals(fresh.code, 0, fresh.stderr);
    assertStringIncludes(fresh.stderr, "moved the old results/tiny aside");
    const kept = (await listFiles(`${dir}/results`)).filter((f) =>
      /^tiny\.old-.*\/runs\.csv$/.test(f)
    );
    assertEquals(kept.length, 1, "the old folder is kept");
    const retrained = await readRunRows(`${dir}/results/tiny`);
    assertEquals(
      byId(retrained),
      byId(records),
      "the same experiment and seeds give the same numbers",
    );
  } finally {
    await cleanup();
  }
});

Deno.test("after kill -9 at any moment, rerunning completes with exactly one row per run", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "killed",
      tinyExperiment("killed", { configs: 6, seeds: 2, iterations: 1500 }),
    );
    // The reference engine: its batches take long enough to be killed in (the fused engine's
    // kill -9 is tested mid-batch below).
    const args = [file, "--workers", "1", "--max-batch", "2", "--engine", "reference"];
    const runsFile = `${dir}/results/killed/runs.csv`;
    const rowsNow = async () => {
      try {
        return (await Deno.readTextFile(runsFile)).split("\n").length - 2;
      } catch {
        return 0;
      }
    };
    for (const [delay, atLeast] of [[0, 1], [37, 3], [151, 5]]) {
      const child = taskCommand("sweep", args, { cwd: dir }).spawn();
      let exited = false;
      child.status.then(() => (exited = true));
      const deadline = Date.now() + 120_000;
      while ((await rowsNow()) < atLeast) {
        assert(!exited, "the sweep ended before it could be killed");
        assert(Date.now() < deadline, "no rows after two minutes");
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      const status = await child.status;
      assertEquals(status.signal, "SIGKILL");
    }
    const finish = await runTask("sweep", args, { cwd: dir });
    assertEquals(finish.code, 0, finish.stderr);
    assertStringIncludes(finish.stderr, "already finished (skipped)");
    const text = await Deno.readTextFile(runsFile);
    assert(text.endsWith("\n"));
    const [header, ...rows] = parseCsv(text);
    assert(rows.every((row) => row.length === header.length), "a torn line");
    const ids = rows.map((row) => row[0]);
    assertEquals(ids.length, 24);
    assertEquals(new Set(ids).size, 24, "a run has two rows");
    for (const id of ids) {
      const curve = await Deno.readTextFile(`${dir}/results/killed/curves/${id}.csv`);
      assertEquals(parseCsv(curve).length, 1 + 150);
    }
  } finally {
    await cleanup();
  }
});

Deno.test("two shards together equal one unsharded sweep", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "sharded", tinyExperiment("sharded", { configs: 3 }));
    for (const shard of ["0/2", "1/2"]) {
      const result = await runTask("sweep", [file, "--shard", shard], { cwd: dir });
      assertEquals(result.code, 0, result.stderr);
      assertStringIncludes(result.stderr, `(shard ${shard.replace("/", " of ")})`);
    }
    const files = (await listFiles(`${dir}/results/sharded`)).filter((f) => !f.includes("/"));
    assertEquals(files, [
      "experiment-shard-0-of-2.json",
      "experiment-shard-1-of-2.json",
      "runs-shard-0-of-2.csv",
      "runs-shard-1-of-2.csv",
    ]);
    const sharded = await readRunRows(`${dir}/results/sharded`);
    const whole = await runTask("sweep", [file, "--out", "results/whole"], { cwd: dir });
    assertEquals(whole.code, 0, whole.stderr);
    const unsharded = await readRunRows(`${dir}/results/whole/sharded`);
    assertEquals(sharded.length, 12);
    assertEquals(byId(sharded), byId(unsharded));
    const resumed = await runTask("sweep", [file], { cwd: dir });
    assertStringIncludes(resumed.stderr, "12 already finished (skipped), 0 to train");
  } finally {
    await cleanup();
  }
});

Deno.test("a run two experiments share is saved in both folders with the same numbers", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const first = await writeExperiment(dir, "first", tinyExperiment("first", { configs: 2 }));
    const second = await writeExperiment(dir, "second", tinyExperiment("second", { configs: 3 }));
    const result = await runTask("sweep", [first, second, "--workers", "1"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stderr, "20/20 runs done");
    const a = await readRunRows(`${dir}/results/first`);
    const b = await readRunRows(`${dir}/results/second`);
    assertEquals([a.length, b.length], [8, 12]);
    const shared = b.filter((row) => a.some((other) => other.run_id === row.run_id));
    assertEquals(shared.length, 8);
    const strip = (row: Record<string, string>) => ({ ...withoutTiming(row), experiment: "" });
    for (const row of shared) {
      assertEquals(strip(row), strip(a.find((other) => other.run_id === row.run_id)!));
    }
  } finally {
    await cleanup();
  }
});

Deno.test("a second sweep on the same runs file is refused while the first runs; a dead one's lock is taken over", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "locked", tinyExperiment("locked", { configs: 1 }));
    await Deno.mkdir(`${dir}/results/locked`, { recursive: true });
    const lock = `${dir}/results/locked/runs.csv.lock`;
    // This test process holds the lock, as a running sweep would.
    const held = await Deno.open(lock, { read: true, write: true, create: true });
    assert(await held.tryLock(true));
    await held.write(
      new TextEncoder().encode(JSON.stringify({ pid: 4242, started_at: "earlier" })),
    );
    const refused = await runTask("sweep", [file], { cwd: dir });
    assertEquals(refused.code, 2, refused.stderr);
    assertStringIncludes(refused.stderr, "is being written by another sweep (process 4242");
    assertEquals(await listFiles(`${dir}/results/locked`), ["runs.csv.lock"]);
    // A sweep that died (kill -9) leaves the file, but its lock died with it.
    await held.unlock();
    held.close();
    const taken = await runTask("sweep", [file], { cwd: dir });
    assertEquals(taken.code, 0, taken.stderr);
    assertStringIncludes(taken.stderr, "taking over a lock left by process 4242");
    assertEquals((await readRunRows(`${dir}/results/locked`)).length, 4);
    assert(!(await listFiles(`${dir}/results/locked`)).includes("runs.csv.lock"), "lock released");
  } finally {
    await cleanup();
  }
});

// The fused engine is ~50× faster: its batch is longer, so that the kill lands mid-batch.
for (
  const { engine, iterations, every } of [
    { engine: "reference", iterations: 6_000, every: 1_000 },
    { engine: "fused", iterations: 300_000, every: 20_000 },
  ]
) {
  Deno.test(`kill -9 mid-batch on the ${engine} engine: the rerun continues from the checkpoint and ends bit for bit as an uninterrupted sweep`, async () => {
    const { dir, cleanup } = await workspace();
    try {
      const body = tinyExperiment("long", { configs: 1, seeds: 2, iterations });
      const file = await writeExperiment(dir, "long", body);
      const args = [
        file,
        "--workers",
        "1",
        "--engine",
        engine,
        "--checkpoint-every",
        String(every),
      ];
      const checkpoints = `${dir}/results/long/checkpoints`;
      const written = async () => {
        try {
          return (await Array.fromAsync(Deno.readDir(checkpoints))).some((e) =>
            e.name.endsWith(".ckpt")
          );
        } catch {
          return false;
        }
      };
      const child = taskCommand("sweep", args, { cwd: dir }).spawn();
      let exited = false;
      child.status.then(() => (exited = true));
      const deadline = Date.now() + 120_000;
      while (!(await written())) {
        assert(!exited, "the sweep ended before a checkpoint was written");
        assert(Date.now() < deadline, "no checkpoint after two minutes");
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 300));
      child.kill("SIGKILL");
      assertEquals((await child.status).signal, "SIGKILL");
      const resumed = await runTask("sweep", args, { cwd: dir });
      assertEquals(resumed.code, 0, resumed.stderr);
      assertStringIncludes(resumed.stderr, "resumes from its checkpoint at iteration");
      assertEquals(await written(), false, "the checkpoint outlived its saved batch");

      // The same experiment, never interrupted, elsewhere.
      const other = await workspace();
      try {
        const again = await writeExperiment(other.dir, "long", body);
        const uninterrupted = [again, "--workers", "1", "--engine", engine];
        assertEquals((await runTask("sweep", uninterrupted, { cwd: other.dir })).code, 0);
        const rows = async (root: string) => {
          const [header, ...body] = parseCsv(
            await Deno.readTextFile(`${root}/results/long/runs.csv`),
          );
          // Every column but the batch's timing.
          const kept = header.flatMap((column, i) => TIMING_COLUMNS.includes(column) ? [] : [i]);
          return [header, ...body].map((row) => kept.map((i) => row[i]));
        };
        assertEquals(await rows(dir), await rows(other.dir));
        for (const row of (await rows(dir)).slice(1)) {
          for (const kind of ["curves", "patterns"]) {
            assertEquals(
              await Deno.readTextFile(`${dir}/results/long/${kind}/${row[0]}.csv`),
              await Deno.readTextFile(`${other.dir}/results/long/${kind}/${row[0]}.csv`),
            );
          }
        }
      } finally {
        await other.cleanup();
      }
    } finally {
      await cleanup();
    }
  });
}
