/**
 * Re-measuring finished runs from their curves reproduces the sweep's own
 * checks, and follows changed thresholds.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { readRunRows } from "../src/results.ts";
import { runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

Deno.test("recheck reproduces the checks, follows new thresholds, and refuses thinned curves", async () => {
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
    const thinned = await runTask("recheck", ["results/tiny"], { cwd: dir });
    assertEquals(thinned.code, 2);
    assertStringIncludes(thinned.stderr, "thinned");
  } finally {
    await cleanup();
  }
});
