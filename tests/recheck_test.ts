/**
 * Re-measuring finished runs from their curves reproduces the sweep's own
 * checks, and follows changed thresholds.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { readRunRows } from "../src/results/folder.ts";
import { stringify } from "@std/csv";
import { parseCsv, runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

Deno.test("recheck reproduces the checks, follows new thresholds, and re-labels thinned folders", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    const folder = `${dir}/results/tiny`;
    const original = await readRunRows(folder);
    const same = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(same.code, 0, same.stderr);
    assertStringIncludes(same.stdout, "8 runs re-measured, 0 verdicts changed");
    // The curve files hold 7 significant digits, so the measured values agree to about that.
    const again = await readRunRows(folder);
    for (const [i, row] of again.entries()) {
      assertEquals(row.verdict, original[i].verdict);
      for (const column of ["d_loss_real_mean", "g_loss_sd", "pattern_error", "d_fake_error"]) {
        const [a, b] = [Number(row[column]), Number(original[i][column])];
        assert(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${column}: ${a} vs ${b}`);
      }
    }

    // Thresholds so loose that every finite run counts as converged.
    const manifest = JSON.parse(await Deno.readTextFile(`${folder}/experiment.json`));
    manifest.experiment.checks = {
      lossTolerance: 1e9,
      dFakeTolerance: 1e9,
      patternTolerance: 1e9,
      stabilityLimit: 1e9,
      discriminatorWinsRatio: 1e-9,
    };
    await Deno.writeTextFile(`${folder}/experiment.json`, JSON.stringify(manifest));
    const loose = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(loose.code, 0, loose.stderr);
    const rows = await readRunRows(folder);
    assertEquals(rows.length, 8);
    // Nothing is off target, unstable or won by D any more: the pattern alone decides.
    for (const row of rows) {
      assertEquals(row.verdict, row.pattern_ordered === "true" ? "converged" : "equilibrium_only");
    }
    const changed = rows.filter((row, i) => row.verdict !== original[i].verdict).length;
    assert(changed > 0, "the new thresholds changed no verdict");
    assertStringIncludes(loose.stdout, `${changed} verdicts changed`);

    assertEquals(
      (await runTask("thin", ["results/tiny", "--curves-every", "20", "--patterns-every", "100"], {
        cwd: dir,
      })).code,
      0,
    );
    // Thinned curves cannot be measured again; the rows are re-labelled from their values.
    const thinnedManifest = JSON.parse(await Deno.readTextFile(`${folder}/experiment.json`));
    thinnedManifest.experiment.checks = { ...manifest.experiment.checks, patternTolerance: 1e-9 };
    await Deno.writeTextFile(`${folder}/experiment.json`, JSON.stringify(thinnedManifest));
    const before = await readRunRows(folder);
    const thinned = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(thinned.code, 0, thinned.stderr);
    assertStringIncludes(thinned.stdout, "8 runs re-labelled from runs.csv's measured values");
    const relabelled = await readRunRows(folder);
    for (const [i, row] of relabelled.entries()) {
      // No output is within 1e-9 of the pattern: nothing learned it; the ending is unchanged.
      assertEquals([row.pattern_learned, row.ending], ["false", "equilibrium"]);
      assertEquals(row.verdict, "equilibrium_only");
      for (const column of ["d_loss_real_mean", "pattern_error", "g_out_0"]) {
        assertEquals(row[column], before[i][column]);
      }
    }
  } finally {
    await cleanup();
  }
});

Deno.test("a runs.csv from before pattern_learned and ending: recheck adds them, the sweep resumes", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny"));
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    const folder = `${dir}/results/tiny`;
    const original = await readRunRows(folder);
    // Write the runs file as the earlier version did: without the two answers' columns, and
    // with its last run not finished yet.
    const [header, ...rows] = parseCsv(await Deno.readTextFile(`${folder}/runs.csv`));
    const keep = header.map((
      column,
      i,
    ) => (["pattern_learned", "ending"].includes(column) ? -1 : i))
      .filter((i) => i >= 0);
    await Deno.writeTextFile(
      `${folder}/runs.csv`,
      stringify([header, ...rows.slice(0, -1)].map((row) => keep.map((i) => row[i]))),
    );
    const refused = await runTask("sweep", [file], { cwd: dir });
    assertEquals(refused.code, 2);
    assertStringIncludes(refused.stderr, "deno task recheck results/tiny");
    const updated = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(updated.code, 0, updated.stderr);
    const again = await readRunRows(folder);
    assertEquals(again.length, 7);
    for (const [i, row] of again.entries()) {
      assertEquals(
        [row.verdict, row.pattern_learned, row.ending],
        [original[i].verdict, original[i].pattern_learned, original[i].ending],
      );
    }
    const resumed = await runTask("sweep", [file], { cwd: dir });
    assertEquals(resumed.code, 0, resumed.stderr);
    assertStringIncludes(resumed.stderr, "7 already finished (skipped)");
    const all = await readRunRows(folder);
    assertEquals(all.length, 8);
    assertEquals(all[7].verdict, original[7].verdict);
    assertEquals(all[7].pattern_learned, original[7].pattern_learned);
  } finally {
    await cleanup();
  }
});
