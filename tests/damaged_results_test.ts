/**
 * A damaged results file never crashes a reader: a malformed line in a runs
 * file or a curve file is named (file and line), skipped with a warning,
 * and the sweep trains that run again; recheck moves the line aside.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { readRunRows } from "../src/results/folder.ts";
import { runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

const noStack = (text: string) => assert(!text.includes("    at "), `a stack trace:\n${text}`);

Deno.test("a malformed runs.csv line: readers warn with file and line; the sweep retrains that run", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    const runsFile = `${dir}/results/tiny/runs.csv`;
    const lines = (await Deno.readTextFile(runsFile)).split("\n");
    // Line 3 (the second run) cut in half mid-file, and a stray line appended.
    const damagedId = lines[2].slice(0, 12);
    lines[2] = lines[2].slice(0, 40);
    await Deno.writeTextFile(runsFile, lines.join("\n") + "stray,write\n");

    const summary = await runTask("summary", ["results/tiny"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stderr, "results/tiny/runs.csv:3: not a well-formed row");
    assertStringIncludes(summary.stderr, "results/tiny/runs.csv:10: not a well-formed row");
    assertStringIncludes(summary.stdout, "(7 runs, results/tiny)");
    noStack(summary.stderr);

    const list = await runTask("sweep", [file, "--list"], { cwd: dir });
    assertEquals(list.code, 0, list.stderr);
    assertStringIncludes(list.stdout, "8 runs (7 finished)");
    noStack(list.stderr);

    const resumed = await runTask("sweep", [file], { cwd: dir });
    assertEquals(resumed.code, 0, resumed.stderr);
    assertStringIncludes(resumed.stderr, "7 already finished (skipped), 1 to train");
    const rows = await readRunRows(`${dir}/results/tiny`, () => {});
    assertEquals(rows.length, 8);
    assert(rows.some((row) => row.run_id === damagedId));

    // recheck rewrites the file without the damaged lines and keeps them aside.
    const recheck = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(recheck.code, 0, recheck.stderr);
    assertStringIncludes(recheck.stderr, "moved to results/tiny/runs.csv.rejected");
    const rejected = await Deno.readTextFile(`${runsFile}.rejected`);
    assertStringIncludes(rejected, "stray,write");
    assertStringIncludes(rejected, lines[2]);
    const clean = await runTask("summary", ["results/tiny"], { cwd: dir });
    assertEquals(clean.stderr.includes("warning"), false, clean.stderr);
  } finally {
    await cleanup();
  }
});

Deno.test("a malformed curve file line: report and recheck warn with file and line and carry on", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny", { configs: 1 }));
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    const [row] = await readRunRows(`${dir}/results/tiny`);
    const curve = `${dir}/results/tiny/curves/${row.run_id}.csv`;
    const lines = (await Deno.readTextFile(curve)).split("\n");
    lines[4] = "50,0.7,oops";
    await Deno.writeTextFile(curve, lines.join("\n"));
    const report = await runTask("report", ["results/tiny"], { cwd: dir });
    assertEquals(report.code, 0, report.stderr);
    assertStringIncludes(report.stderr, `curves/${row.run_id}.csv:5: not a row of 7 numbers`);
    noStack(report.stderr);
    const recheck = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(recheck.code, 0, recheck.stderr);
    assertStringIncludes(recheck.stderr, `curves/${row.run_id}.csv:5`);
    await Deno.remove(curve);
    const missing = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.stderr, `curves/${row.run_id}.csv: missing`);
    noStack(missing.stderr);
  } finally {
    await cleanup();
  }
});
