/**
 * A results folder holds runs of one definition. Whatever a sweep is asked
 * (an edited level, a removed seed, `--iterations`, `--only` with `--seeds`),
 * no finished run is lost, and no table pools runs of two definitions: the
 * summary reads only the runs the folder's definition declares and says how
 * many others the folder holds; overrides of the definition go to a folder
 * of their own, leaving the declared one untouched.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { readRunRows } from "../src/results/folder.ts";
import { listFiles, parseCsv, ROOT, runTask, workspace, writeExperiment } from "./helpers.ts";

/** The book's model, 200 iterations: the levels of `lr` (each d = g) × mse, bce × `seeds`. */
function experiment(rates: readonly number[], seeds: readonly number[]): string {
  return `{
    name: "mixing",
    base: "book",
    sweep: { lr: [${rates.map((r) => `{ d: ${r}, g: ${r} }`).join(", ")}], loss: ["mse", "bce"] },
    seeds: [${seeds.join(", ")}],
    iterations: 200,
    recordEvery: 10,
    patternEvery: 50,
  }`;
}

/** Every file of a folder and its bytes, to show that a command left it untouched. */
async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = await listFiles(folder);
  return new Map(
    await Promise.all(
      files.map(async (file) => [file, await Deno.readTextFile(`${folder}/${file}`)] as const),
    ),
  );
}

/** The summary's runs count (its heading) and the total of summary.csv's `n` column. */
async function summarised(dir: string, folder: string) {
  const result = await runTask("summary", [folder], { cwd: dir });
  assertEquals(result.code, 0, result.stderr);
  const heading = /\((\d+) runs, /.exec(result.stdout);
  if (!heading) throw new Error(`no runs count in the summary:\n${result.stdout}`);
  const [header, ...rows] = parseCsv(await Deno.readTextFile(`${dir}/${folder}/summary.csv`));
  const n = header.indexOf("n");
  return {
    stdout: result.stdout,
    runs: Number(heading[1]),
    summaryCsvRuns: rows.reduce((sum, row) => sum + Number(row[n]), 0),
  };
}

async function sweep(dir: string, args: string[]) {
  const result = await runTask("sweep", [...args, "--quiet"], { cwd: dir });
  assertEquals(result.code, 0, result.stderr);
  return result;
}

Deno.test("an edited level: the sweep trains the new level, keeps the old one's runs and every table leaves them out", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "mixing", experiment([0.01, 0.02], [1, 2]));
    await sweep(dir, [file]);
    // One of the two learning rates is edited: 4 runs are still declared, 4 are not.
    await writeExperiment(dir, "mixing", experiment([0.01, 0.05], [1, 2]));
    const edited = await sweep(dir, [file]);
    assertStringIncludes(edited.stderr, "mixing: 8 runs, 4 already finished (skipped), 4 to train");
    assertStringIncludes(
      edited.stderr,
      "results/mixing holds 4 runs its file no longer declares (an edited level, seed or " +
        "iteration count): kept in runs.csv, left out of every table",
    );
    // The folder holds all 12 (nothing is lost) …
    const rows = await readRunRows(`${dir}/results/mixing`);
    assertEquals(rows.length, 12);
    assertEquals(new Set(rows.map((row) => row.lr_d)), new Set(["0.01", "0.02", "0.05"]));
    // … and the summary counts the 8 declared ones, and says so.
    const summary = await summarised(dir, "results/mixing");
    assertEquals([summary.runs, summary.summaryCsvRuns], [8, 8]);
    assertStringIncludes(
      summary.stdout,
      "results/mixing also holds 4 runs of an earlier definition, left out: see runs.csv",
    );
    assert(!summary.stdout.includes("d=0.02"), "the dropped level is in no table");
  } finally {
    await cleanup();
  }
});

Deno.test("a removed seed: nothing is trained, its runs stay in runs.csv and leave the tables; put back, they count again", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "mixing", experiment([0.01], [1, 2]));
    await sweep(dir, [file]);
    await writeExperiment(dir, "mixing", experiment([0.01], [1]));
    const removed = await sweep(dir, [file]);
    assertStringIncludes(
      removed.stderr,
      "mixing: 2 runs, 2 already finished (skipped), 0 to train",
    );
    assertStringIncludes(removed.stderr, "results/mixing holds 2 runs its file no longer declares");
    assertEquals((await readRunRows(`${dir}/results/mixing`)).length, 4);
    const without = await summarised(dir, "results/mixing");
    assertEquals([without.runs, without.summaryCsvRuns], [2, 2]);
    assertStringIncludes(without.stdout, "also holds 2 runs of an earlier definition, left out");
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/results/mixing/experiment.json`));
    assertEquals(manifest.experiment.seeds, [1]);
    assertEquals(manifest.declared_runs.length, 2);

    await writeExperiment(dir, "mixing", experiment([0.01], [1, 2]));
    const restored = await sweep(dir, [file]);
    assertStringIncludes(restored.stderr, "nothing to train");
    const again = await summarised(dir, "results/mixing");
    assertEquals([again.runs, again.summaryCsvRuns], [4, 4]);
    assert(!again.stdout.includes("earlier definition"), again.stdout);
  } finally {
    await cleanup();
  }
});

Deno.test("--iterations writes to a folder named for it and leaves the declared folder and its summary as they were", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "mixing", experiment([0.01], [1, 2]));
    await sweep(dir, [file]);
    const before = await snapshot(`${dir}/results/mixing`);
    const listed = await runTask("sweep", [file, "--iterations", "100", "--list"], { cwd: dir });
    assertStringIncludes(
      listed.stdout,
      "# mixing: 4 runs (0 finished) → results/mixing@iterations=100",
    );
    const smoke = await sweep(dir, [file, "--iterations", "100"]);
    assertStringIncludes(smoke.stderr, "4 to train → results/mixing@iterations=100");
    assertStringIncludes(
      smoke.stderr,
      "--iterations/--seeds change what a run is, so these runs go to " +
        "results/mixing@iterations=100, apart from results/mixing",
    );
    assertEquals(await snapshot(`${dir}/results/mixing`), before);
    const derived = await readRunRows(`${dir}/results/mixing@iterations=100`);
    assertEquals(derived.map((row) => row.iterations), ["100", "100", "100", "100"]);
    const manifest = JSON.parse(
      await Deno.readTextFile(`${dir}/results/mixing@iterations=100/experiment.json`),
    );
    assertEquals([manifest.overrides, manifest.experiment.iterations], ["iterations=100", 100]);
    const declared = await summarised(dir, "results/mixing");
    assertEquals([declared.runs, declared.summaryCsvRuns], [4, 4]);
    // An override equal to the file's own value changes nothing: the declared folder, all finished.
    const same = await sweep(dir, [file, "--iterations", "200"]);
    assertStringIncludes(same.stderr, "0 to train → results/mixing\n");
  } finally {
    await cleanup();
  }
});

Deno.test("the README's --only with --iterations and --seeds on the committed grid leaves results/grid untouched", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const copied = await new Deno.Command("cp", {
      args: ["-r", `${ROOT}/results/grid`, `${dir}/results/grid`],
    }).output();
    assert(copied.success);
    const before = await snapshot(`${dir}/results/grid`);
    const derived = "results/grid@iterations=2000,seeds=2";
    const result = await sweep(dir, [
      `${ROOT}/experiments/grid.ts`,
      "--only",
      "loss=mse,optimiser=adam",
      "--iterations",
      "2000",
      "--seeds",
      "2",
    ]);
    assertStringIncludes(result.stderr, `8 to train → ${derived}`);
    assertEquals(await snapshot(`${dir}/results/grid`), before);
    assertEquals((await readRunRows(`${dir}/${derived}`)).length, 8);
    const grid = await summarised(dir, "results/grid");
    assertEquals([grid.runs, grid.summaryCsvRuns], [128, 128]);
    // --only alone selects declared runs: the declared folder, where they are all finished.
    const only = await sweep(dir, [`${ROOT}/experiments/grid.ts`, "--only", "loss=mse"]);
    assertStringIncludes(only.stderr, "0 to train → results/grid\n");
    assertStringIncludes(only.stderr, "nothing to train");
  } finally {
    await cleanup();
  }
});
