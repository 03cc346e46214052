/**
 * `deno task report` over many folders never stops at a bad one: a folder
 * with nothing to report (what an interrupted sweep leaves, a damaged runs
 * file or manifest) gets one line naming it, what is wrong and what to do;
 * every good folder's report is still written; the exit code says that some
 * folder failed.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { listFiles, ROOT, runTask, workspace } from "./helpers.ts";

/** A small committed Dirac folder: its report trains its trajectories again with tfjs. */
const GOOD = "dirac_clip";

/** Copies a folder and everything below it. */
async function copy(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copy(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

const noStack = (text: string) => assert(!text.includes("    at "), `a stack trace:\n${text}`);

/** The lines of `stderr` that speak of `folder`. */
const linesAbout = (stderr: string, folder: string) =>
  stderr.split("\n").filter((line) => line.includes(`results/${folder}`));

/**
 * A results folder as a user finds it after a good sweep, an interrupted one
 * and damage: named so that every bad folder but one sorts before the good one.
 */
async function resultsWithBadFolders(dir: string): Promise<string> {
  const good = `${dir}/results/${GOOD}`;
  await copy(`${ROOT}/results/${GOOD}`, good);
  for (const written of ["REPORT.md", "report.html", "plots"]) {
    await Deno.remove(`${good}/${written}`, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  const manifest = await Deno.readTextFile(`${good}/experiment.json`);
  const header = (await Deno.readTextFile(`${good}/runs.csv`)).split("\n")[0];
  const folder = async (name: string, files: Record<string, string>) => {
    await Deno.mkdir(`${dir}/results/${name}/checkpoints`, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/results/${name}/${file}`, text);
    }
  };
  await folder("a_interrupted", { "experiment.json": manifest });
  await folder("b_header_only", { "experiment.json": manifest, "runs.csv": `${header}\n` });
  await folder("c_damaged_rows", {
    "experiment.json": manifest,
    "runs.csv": `${header}\nstray,write\n0123,half a row\n`,
  });
  await folder("d_damaged_header", { "experiment.json": manifest, "runs.csv": `"run_id,seed\n` });
  await folder("e_damaged_manifest", {
    "experiment.json": manifest.slice(0, 40),
    "runs.csv": await Deno.readTextFile(`${good}/runs.csv`),
  });
  const missing = `${dir}/results/f_missing_curve`;
  await copy(`${ROOT}/results/${GOOD}`, missing);
  const [lost] = [...Deno.readDirSync(`${missing}/curves`)].map((entry) => entry.name).sort();
  await Deno.remove(`${missing}/curves/${lost}`);
  for (const written of ["REPORT.md", "plots"]) {
    await Deno.remove(`${missing}/${written}`, { recursive: true });
  }
  return good;
}

Deno.test("report over every folder: one line per bad folder, the good one written, exit 1", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const good = await resultsWithBadFolders(dir);
    const result = await runTask("report", [], { cwd: dir, timeoutSeconds: 120 });
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stdout, `report: results/${GOOD}/REPORT.md and `);
    assertStringIncludes(await Deno.readTextFile(`${good}/REPORT.md`), "# dirac_clip");
    assertStringIncludes(await Deno.readTextFile(`${good}/report.html`), "<html");
    const says: Record<string, string[]> = {
      a_interrupted: [
        "no finished run to report (no runs.csv yet",
        "finish it with `deno task sweep experiments/dirac_clip.ts` (it resumes from the " +
        "checkpoints/ there), then report",
      ],
      b_header_only: ["no finished run to report (runs.csv holds only its header"],
      c_damaged_rows: [
        "no line of its runs file is a well-formed row (2 damaged, the first " +
        "results/c_damaged_rows/runs.csv:2:",
        "`deno task recheck results/c_damaged_rows` moves them aside",
      ],
      d_damaged_header: [
        "report: results/d_damaged_header/runs.csv: its header is not CSV",
        "move the file aside and rerun the sweep",
      ],
      e_damaged_manifest: ["experiment.json is not JSON", "restore it from git"],
      f_missing_curve: [
        "1 of its runs' record files are missing (the first: curves/",
        "restore them (e.g. `git checkout results/f_missing_curve`)",
      ],
    };
    for (const [folder, pieces] of Object.entries(says)) {
      const lines = linesAbout(result.stderr, folder);
      assertEquals(lines.length, 1, `not one line about ${folder}:\n${result.stderr}`);
      // The line begins with the folder, or with the file in it that is damaged.
      assert(new RegExp(`^report: results/${folder}(/[a-z.]+)?: `).test(lines[0]), lines[0]);
      for (const piece of pieces) assertStringIncludes(lines[0], piece);
    }
    assertStringIncludes(result.stderr, "report: 6 of 7 folders not reported (above)");
    // Refused before anything is written: no plot, no REPORT.md half made.
    assertEquals(await listFiles(`${dir}/results/f_missing_curve/plots`), []);
    assertEquals(
      (await listFiles(`${dir}/results/f_missing_curve`)).filter((f) => f.startsWith("REPORT")),
      [],
    );
    assertEquals(linesAbout(result.stderr, GOOD), [], result.stderr);
    noStack(result.stderr);
  } finally {
    await cleanup();
  }
});

Deno.test("report of named folders: a bad one first does not stop the next", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const good = await resultsWithBadFolders(dir);
    const result = await runTask("report", ["results/b_header_only", `results/${GOOD}`], {
      cwd: dir,
      timeoutSeconds: 120,
    });
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, "report: results/b_header_only: no finished run");
    assertStringIncludes(result.stdout, `report: results/${GOOD}/REPORT.md`);
    assert((await Deno.stat(`${good}/REPORT.md`)).isFile);
    noStack(result.stderr);
  } finally {
    await cleanup();
  }
});
