/**
 * Honest progress: a sweep says before it trains how long it will take
 * (`--list` and its first line), reports each running batch's iterations
 * while a long batch trains, checkpoints by time whatever the chunk, and
 * on Ctrl-C says once what is saved.
 */
import { assert, assertAlmostEquals, assertEquals, assertMatch } from "@std/assert";
import { estimateSweep } from "../src/run/estimate.ts";
import { etaSeconds } from "../src/run/eta.ts";
import type { Batch } from "../src/run/batches.ts";
import { expandGrid } from "../src/design/grid.ts";
import { validateExperiment } from "../src/design/experiment.ts";
import { runTask, taskCommand, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";
import { readRunRows } from "../src/results/folder.ts";

/** Batches of one seed-model run each, whose predicted seconds are `seconds`. */
async function batches(...seconds: number[]): Promise<Batch[]> {
  const runs = await expandGrid(
    validateExperiment({ name: "x", base: "seed", seeds: seconds.length }, "x.ts"),
  );
  return runs.map((run, id) => ({ id, runs: [run] }));
}
const costs = (...seconds: number[]) => (batch: Batch) => seconds[batch.id];

Deno.test("the estimate hands batches out as the sweep does: two Workers are 1.7 times one, and the longest batch bounds the wall", async () => {
  const even = await batches(10, 10, 10, 10);
  const tens = costs(10, 10, 10, 10);
  const one = estimateSweep(even, 1, "fused", 2, tens).seconds;
  const two = estimateSweep(even, 2, "fused", 2, tens).seconds;
  assertAlmostEquals(one - two, 40 - 20 / 0.85, 1e-9);
  // Four Workers on two cores are no faster than two.
  assertAlmostEquals(estimateSweep(even, 4, "fused", 2, tens).seconds, two, 1e-9);
  const skewed = costs(30, 1, 1, 1);
  const [alone, shared] = [1, 2].map((w) => estimateSweep(even, w, "fused", 2, skewed).seconds);
  assertAlmostEquals(alone - shared, 33 - 30 / 0.85, 1e-9);
});

Deno.test("the ETA weighs each batch by its cost, not by its runs", () => {
  // 100 s in on two Workers: a 1,000 s batch half done, a 50 s one finished.
  const standing = [{ cost: 1000, done: 0.5, trained: 0.5 }, { cost: 50, done: 1, trained: 1 }];
  const eta = etaSeconds(standing, 100, 2, 1.7);
  // By runs (1 of 2 left) or run-iterations the sweep would be half done: 100 s more.
  // By cost, 500 of 1,050 s of work are left, and only one Worker can do them.
  assert(eta > 150, String(eta));
  // A batch brought back by a checkpoint does not count as speed.
  const resumed = [{ cost: 1000, done: 0.5, trained: 0.1 }, { cost: 50, done: 1, trained: 1 }];
  assert(etaSeconds(resumed, 100, 2, 1.7) > eta);
  // Nothing left, nothing to wait for.
  assertEquals(etaSeconds([{ cost: 10, done: 1, trained: 1 }], 5, 1, 1), 0);
});

Deno.test("--list and the sweep's first line say how long the runs left will take, and how rough that is", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
    const estimate = /about (\d+m)?\d+s \(rough: ±50%; every structure timed here\)/;
    const list = await runTask("sweep", [file, "--list", "--workers", "2"], { cwd: dir });
    assertEquals(list.code, 0, list.stderr);
    const [head] = list.stdout.split("\n");
    assertMatch(head, /^# tiny: 8 runs \(0 finished\) → results\/tiny; the 8 to train: /);
    assertMatch(head, new RegExp(`${estimate.source} on 2 workers$`));
    const sweep = await runTask("sweep", [file, "--quiet", "--workers", "2"], { cwd: dir });
    assertEquals(sweep.code, 0, sweep.stderr);
    assertMatch(
      sweep.stderr.split("\n")[0],
      new RegExp(`8 to train → results/tiny; ${estimate.source}$`),
    );
    // A quick sweep stays short: no progress line but the last.
    assertEquals(sweep.stderr.split("\n").filter((line) => line.includes("runs done")), [
      sweep.stderr.split("\n").find((line) => line.startsWith("sweep: 8/8 runs done"))!,
    ]);
    const after = await runTask("sweep", [file, "--list"], { cwd: dir });
    assertEquals(after.stdout.split("\n")[0], "# tiny: 8 runs (8 finished) → results/tiny");
  } finally {
    await cleanup();
  }
});

/** A child's stderr, read as it comes. */
function collect(stream: ReadableStream<Uint8Array>): { text: () => string; done: Promise<void> } {
  let text = "";
  const done = stream.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (text += chunk) }),
  );
  return { text: () => text, done };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await condition())) {
    assert(Date.now() < deadline, `${what}: not after two minutes`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** The ring at batch 512: ~2–8 ms an iteration here, so 1,000 iterations take seconds. */
const RING_BIG = `{ name: "ringbig", base: "ring", sweep: { batchSize: [512] }, seeds: 2,
  iterations: 3000, recordEvery: 50, patternEvery: 100 }`;

/** A folder's rows and curves, less the batch's timing. */
async function trained(root: string) {
  const rows = (await readRunRows(`${root}/results/ringbig`)).map((row) =>
    Object.fromEntries(
      Object.entries(row).filter(([column]) =>
        !["batch_wall_seconds", "finished_at"].includes(column)
      ),
    )
  ).sort((a, b) => a.run_id.localeCompare(b.run_id));
  const curves = await Promise.all(
    rows.map((row) => Deno.readTextFile(`${root}/results/ringbig/curves/${row.run_id}.csv`)),
  );
  return { rows, curves };
}

Deno.test("a long batch reports its iterations and checkpoints by time within its first chunks; Ctrl-C (twice, as a terminal and deno task send it) checkpoints it, says once what it left, and the rerun ends bit for bit as if never stopped", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "ringbig", RING_BIG);
    const args = [
      file,
      "--workers",
      "1",
      "--progress-seconds",
      "0.5",
      "--checkpoint-seconds",
      "1",
      "--checkpoint-every",
      "1000000",
    ];
    const child = taskCommand("sweep", args, { cwd: dir }).spawn();
    const stderr = collect(child.stderr);
    const stdout = collect(child.stdout);
    let exited = false;
    child.status.then(() => (exited = true));
    const checkpoints = `${dir}/results/ringbig/checkpoints`;
    const written = async () =>
      (await Array.fromAsync(Deno.readDir(checkpoints)).catch(() => [])).some((entry) =>
        entry.name.endsWith(".ckpt")
      );
    const progress = () => [...stderr.text().matchAll(/batch of 2: ([\d,]+)\/3,000 it/g)];
    await until(async () => {
      assert(!exited, `the sweep ended before it could be interrupted:\n${stderr.text()}`);
      return progress().length >= 2 && await written();
    }, "two progress lines and a checkpoint");
    const reported = Math.max(...progress().map((match) => Number(match[1].replaceAll(",", ""))));
    child.kill("SIGINT");
    child.kill("SIGINT");
    const status = await child.status;
    await Promise.all([stderr.done, stdout.done]);
    assertEquals(status.code, 130, stderr.text());
    const text = stderr.text();
    const done = progress().map((match) => Number(match[1].replaceAll(",", "")));
    assert(done.every((n, i) => n < 3000 && (i === 0 || n >= done[i - 1])), String(done));
    assertEquals(count(text, "interrupted"), 1, text);
    const [, iteration] = text.match(
      /\nsweep: interrupted: nothing finished yet; 1 running batch \(2 runs\) checkpointed at iteration ([\d,]+) in results\/ringbig\/checkpoints; rerun the same command to resume\n/,
    ) ?? assert(false, text) as never;
    // Stopping took a checkpoint at the end of the chunk in training: nothing reported is lost.
    assert(Number(iteration.replaceAll(",", "")) >= reported, `${iteration} < ${reported}`);
    // The rerun takes up the very checkpoint the message named, and ends as a sweep never stopped.
    const resumed = await runTask("sweep", [...args, "--quiet"], { cwd: dir });
    assertEquals(resumed.code, 0, resumed.stderr);
    assertEquals(
      count(resumed.stderr, `resumes from its checkpoint at iteration ${iteration}\n`),
      1,
    );
    const other = await workspace();
    try {
      const again = await writeExperiment(other.dir, "ringbig", RING_BIG);
      const whole = await runTask("sweep", [again, "--workers", "1", "--quiet"], {
        cwd: other.dir,
      });
      assertEquals(whole.code, 0, whole.stderr);
      assertEquals(await trained(dir), await trained(other.dir));
    } finally {
      await other.cleanup();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("Ctrl-C after some batches are saved names how many runs are finished and where, once, and the batch in training checkpoints as it stops", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "halfway",
      tinyExperiment("halfway", { configs: 6, seeds: 2, iterations: 1500 }),
    );
    // No checkpoint by iterations or time: a batch in training has one only if stopping takes it.
    const args = [
      file,
      ...["--workers", "1", "--max-batch", "2", "--engine", "reference"],
      ...["--checkpoint-every", "1000000", "--checkpoint-seconds", "1000000"],
    ];
    const child = taskCommand("sweep", args, { cwd: dir }).spawn();
    const stderr = collect(child.stderr);
    const stdout = collect(child.stdout);
    const runsFile = `${dir}/results/halfway/runs.csv`;
    const rows = async () =>
      (await Deno.readTextFile(runsFile).catch(() => "")).split("\n").length - 2;
    await until(async () => (await rows()) >= 2, "two saved runs");
    child.kill("SIGINT");
    assertEquals((await child.status).code, 130);
    await Promise.all([stderr.done, stdout.done]);
    const text = stderr.text();
    assertEquals(count(text, "interrupted"), 1, text);
    const saved = await rows();
    assertMatch(
      text,
      new RegExp(
        `\\nsweep: interrupted: ${saved} of 24 runs finished and saved in results/halfway/runs\\.csv; ` +
          "(1 running batch \\(2 runs\\) checkpointed at iteration [\\d,]+ in results/halfway/" +
          "checkpoints; )?rerun the same command to resume\\n",
      ),
    );
  } finally {
    await cleanup();
  }
});
