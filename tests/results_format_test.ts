/**
 * The results format has a version, and every earlier version is read and
 * extended as it is. `tests/fixtures/format_1/` is a folder in the first
 * format: no `format` in its experiment.json, no declared run ids, and the
 * columns of the committed folders begun before the convergence check (the
 * header `results/book/runs.csv` had before the migration to format 2: no
 * consensus, generator_batch or convergence-check columns). Summary, report and diff read it without
 * rewriting it; a sweep appends to it in its own columns.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { prepareRunsFile, ResultsError, resultsFolder, runColumns } from "../src/results/folder.ts";
import { FORMAT_VERSION } from "../src/results/format.ts";
import { codeCommit, commitFromFiles } from "../src/results/commit.ts";
import { parseCsv, ROOT, runTask, workspace, writeExperiment } from "./helpers.ts";

const FIXTURE = `${ROOT}/tests/fixtures/format_1`;

/** The experiment that made the fixture, with `seeds`. */
function fixtureExperiment(seeds: readonly number[]): string {
  return `{
    name: "format_1",
    base: "book",
    sweep: { lr: [{ d: 0.05, g: 0.05 }], loss: ["mse", "bce"] },
    seeds: [${seeds.join(", ")}],
    iterations: 200,
    recordEvery: 10,
    patternEvery: 50,
  }`;
}

/** A copy of the fixture as `results/format_1` in a fresh workspace. */
async function fixtureWorkspace() {
  const space = await workspace();
  const copied = await new Deno.Command("cp", {
    args: ["-r", FIXTURE, `${space.dir}/results/format_1`],
  }).output();
  assert(copied.success);
  return space;
}

/**
 * The format 1 columns of the book's model: results/book/runs.csv's header as committed before
 * the folders were migrated to format 2 (commit 8c471dc), begun before the convergence check.
 */
const FORMAT_1_HEADER = (
  "run_id,experiment,base,loss,optimiser,lr_d,lr_g,normalisation,activation_d,activation_g,batch_size,generator_input,penalty,d_steps,hidden_d,hidden_g,d_update,updates,instance_noise,seed,iterations,status,verdict,pattern_learned,ending,d_loss_real_mean,d_loss_real_sd,d_loss_fake_mean,d_loss_fake_sd,g_loss_mean,g_loss_sd,d_real_mean,d_fake_mean,equilibrium_error,d_fake_error,pattern_error,pattern_ordered_fraction,pattern_ordered,loss_sd_max,g_output_max_abs,diverged_at,g_out_0,g_out_1,g_out_2,g_out_3,batch_runs,batch_wall_seconds,finished_at"
).split(",");
const committedHeader = () => Promise.resolve(FORMAT_1_HEADER);

Deno.test("the format 1 fixture has a committed folder's old header and no format", async () => {
  const runs = await Deno.readTextFile(`${FIXTURE}/runs.csv`);
  assertEquals(parseCsv(runs)[0], await committedHeader());
  const manifest = JSON.parse(await Deno.readTextFile(`${FIXTURE}/experiment.json`));
  assertEquals([manifest.format, manifest.declared_runs], [undefined, undefined]);
});

Deno.test("summary, report and diff read a format 1 folder without rewriting its runs.csv or experiment.json", async () => {
  const { dir, cleanup } = await fixtureWorkspace();
  try {
    const folder = "results/format_1";
    const runs = await Deno.readTextFile(`${dir}/${folder}/runs.csv`);
    const manifest = await Deno.readTextFile(`${dir}/${folder}/experiment.json`);
    const summary = await runTask("summary", [folder], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stdout, "(4 runs, results/format_1)");
    const report = await runTask("report", [folder], { cwd: dir });
    assertEquals(report.code, 0, report.stderr);
    assertStringIncludes(await Deno.readTextFile(`${dir}/${folder}/REPORT.md`), "4 runs.");
    const diff = await runTask("diff", [FIXTURE, folder], { cwd: dir });
    assertEquals(diff.code, 0, diff.stdout + diff.stderr);
    assertEquals(await Deno.readTextFile(`${dir}/${folder}/runs.csv`), runs);
    assertEquals(await Deno.readTextFile(`${dir}/${folder}/experiment.json`), manifest);
  } finally {
    await cleanup();
  }
});

Deno.test("a sweep appends to a format 1 folder in its own columns, never rewriting a row, and records the format and commit", async () => {
  const { dir, cleanup } = await fixtureWorkspace();
  try {
    const before = await Deno.readTextFile(`${dir}/results/format_1/runs.csv`);
    const file = await writeExperiment(dir, "format_1", fixtureExperiment([1, 2, 3]));
    const result = await runTask("sweep", [file, "--quiet"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(
      result.stderr,
      "format_1: 6 runs, 4 already finished (skipped), 2 to train",
    );
    assertStringIncludes(
      result.stderr,
      "results/format_1/runs.csv keeps the columns of the version that began it: the new rows " +
        "leave out consensus (0 in every run), generator_batch (new in every run), " +
        "init (default in every run), real_batch (independent in every run), gradient_field_norm, jacobian_max_real, update_spectral_radius, locally_stable " +
        "(not measured)",
    );
    const after = await Deno.readTextFile(`${dir}/results/format_1/runs.csv`);
    assert(after.startsWith(before), "the rows that were there are there byte for byte");
    const [header, ...rows] = parseCsv(after);
    assertEquals(header, await committedHeader());
    assertEquals(rows.length, 6);
    assert(rows.every((row) => row.length === header.length));
    assertEquals(rows.map((row) => row[header.indexOf("seed")]).sort(), [
      "1",
      "1",
      "2",
      "2",
      "3",
      "3",
    ]);

    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/results/format_1/experiment.json`));
    assertEquals(manifest.format, FORMAT_VERSION);
    assertEquals(manifest.declared_runs.length, 6);
    // The sweep task may not run programs: the commit comes from the checkout's .git files.
    assertEquals(manifest.code_commit, await gitHead());
    const summary = await runTask("summary", ["results/format_1"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stdout, "(6 runs, results/format_1)");
  } finally {
    await cleanup();
  }
});

Deno.test("a format 1 folder whose file drops a seed: its runs.csv is kept as it is, and the manifest now declares the file's runs", async () => {
  const { dir, cleanup } = await fixtureWorkspace();
  try {
    const runs = await Deno.readTextFile(`${dir}/results/format_1/runs.csv`);
    const file = await writeExperiment(dir, "format_1", fixtureExperiment([1]));
    const sweep = await runTask("sweep", [file, "--quiet"], { cwd: dir });
    assertEquals(sweep.code, 0, sweep.stderr);
    assertStringIncludes(
      sweep.stderr,
      "format_1: 2 runs, 2 already finished (skipped), 0 to train",
    );
    assertStringIncludes(sweep.stderr, "results/format_1 holds 2 runs its file no longer declares");
    assertEquals(await Deno.readTextFile(`${dir}/results/format_1/runs.csv`), runs);
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/results/format_1/experiment.json`));
    assertEquals([manifest.format, manifest.declared_runs.length], [FORMAT_VERSION, 2]);
    const summary = await runTask("summary", ["results/format_1"], { cwd: dir });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stdout, "(2 runs, results/format_1)");
    assertStringIncludes(
      summary.stdout,
      "results/format_1 also holds 2 runs of an earlier definition, left out: see runs.csv",
    );
  } finally {
    await cleanup();
  }
});

Deno.test("recheck, when asked, brings a format 1 folder to this format: today's columns, and a manifest that declares the runs it holds", async () => {
  const { dir, cleanup } = await fixtureWorkspace();
  try {
    const recheck = await runTask("recheck", ["results/format_1"], { cwd: dir });
    assertEquals(recheck.code, 0, recheck.stderr);
    const [header, ...rows] = parseCsv(
      await Deno.readTextFile(`${dir}/results/format_1/runs.csv`),
    );
    assertEquals(header, runColumns(4));
    assertEquals(rows.map((row) => row[header.indexOf("consensus")]), ["0", "0", "0", "0"]);
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/results/format_1/experiment.json`));
    const ids = rows.map((row) => row[0]).sort();
    assertEquals([manifest.format, manifest.declared_runs], [FORMAT_VERSION, ids]);
    // The upgraded folder is its file's definition: a sweep finds nothing to do and writes nothing.
    const upgraded = await Deno.readTextFile(`${dir}/results/format_1/experiment.json`);
    const file = await writeExperiment(dir, "format_1", fixtureExperiment([1, 2]));
    const sweep = await runTask("sweep", [file, "--quiet"], { cwd: dir });
    assertEquals(sweep.code, 0, sweep.stderr);
    assertStringIncludes(sweep.stderr, "nothing to train");
    assert(!sweep.stderr.includes("no longer declares"), sweep.stderr);
    assertEquals(await Deno.readTextFile(`${dir}/results/format_1/experiment.json`), upgraded);
  } finally {
    await cleanup();
  }
});

Deno.test("a run an old runs file has no column for (consensus 10) is refused, naming the column, and the file is left as it was", async () => {
  const { dir, cleanup } = await fixtureWorkspace();
  try {
    const folder = resultsFolder(`${dir}/results/format_1`);
    const before = await Deno.readTextFile(folder.runsFile);
    const columns = [...parseCsv(before)[0]];
    columns.splice(columns.indexOf("instance_noise") + 1, 0, "consensus");
    await assertRejects(
      () => prepareRunsFile(folder, columns, [{ consensus: "10" }]),
      ResultsError,
      'it lacks the column "consensus" and a run to add has consensus=10 (a row without the ' +
        "column means 0)",
    );
    // At the old default, the same run appends in the file's own columns.
    assertEquals(await prepareRunsFile(folder, columns, [{ consensus: "0" }]), parseCsv(before)[0]);
    assertEquals(await Deno.readTextFile(folder.runsFile), before);
  } finally {
    await cleanup();
  }
});

Deno.test("a folder in a newer format than the code reads gets one clear line, not a stack trace", async () => {
  const { dir, cleanup } = await fixtureWorkspace();
  try {
    const path = `${dir}/results/format_1/experiment.json`;
    const manifest = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, JSON.stringify({ ...manifest, format: FORMAT_VERSION + 1 }));
    const summary = await runTask("summary", ["results/format_1"], { cwd: dir });
    assertEquals(summary.code, 2);
    assertStringIncludes(
      summary.stderr,
      `results/format_1/experiment.json: format ${FORMAT_VERSION + 1} is newer than this code ` +
        `reads (formats 1 to ${FORMAT_VERSION}); update gansweep to read it`,
    );
    assert(!summary.stderr.includes("    at "), summary.stderr);
  } finally {
    await cleanup();
  }
});

Deno.test("the code's commit is git's HEAD, by git or from the .git files alone; none outside a checkout", async () => {
  const head = await gitHead();
  assertEquals((await codeCommit(ROOT)) ?? null, head);
  assertEquals((await commitFromFiles(`${ROOT}/src/results`)) ?? null, head);
  const outside = await Deno.makeTempDir();
  try {
    assertEquals(await codeCommit(outside), undefined);
    assertEquals(await commitFromFiles(outside), undefined);
  } finally {
    await Deno.remove(outside);
  }
});

/** `git rev-parse HEAD` in the repository; null where it is no git checkout (e.g. a tarball). */
async function gitHead(): Promise<string | null> {
  const output = await new Deno.Command("git", {
    args: ["rev-parse", "HEAD"],
    cwd: ROOT,
    stderr: "null",
  }).output().catch(() => undefined);
  return output?.success ? new TextDecoder().decode(output.stdout).trim() : null;
}
