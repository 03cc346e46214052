/**
 * The committed results say what their numbers say: in every results folder
 * in the repository, each row's two answers and combined verdict are what
 * the row's measured values give with the folder's thresholds, and no row
 * whose G learned the pattern carries a label that says otherwise. In a toy
 * problem's folder the shared "learned" answer is the problem's own verdict
 * (`converged`), which itself follows from the row's values.
 */
import { assert, assertEquals } from "@std/assert";
import { combinedVerdict, DEFAULT_THRESHOLDS, judge } from "../src/results/checks.ts";
import type { LossName } from "../src/kinds/losses/mod.ts";
import {
  checkValuesOfRow,
  readManifest,
  readRunRows,
  recordedPreset,
} from "../src/results/folder.ts";
import { problemOf, problemOutcome } from "../src/results/judgement.ts";
import { DIRAC_CONVERGED } from "../src/design/problems/dirac.ts";
import { HIGH_QUALITY_TARGET } from "../src/design/problems/mixture.ts";
import { PROBLEM_KINDS } from "../src/design/problems/mod.ts";
import { ROOT } from "./helpers.ts";

/** The results folders git tracks (a local, uncommitted folder is not the repository's). */
async function committedFolders(): Promise<string[]> {
  const output = await new Deno.Command("git", {
    args: ["ls-files", "results/*/runs*.csv"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  assert(output.success, "git ls-files failed");
  const files = new TextDecoder().decode(output.stdout).split("\n").filter(Boolean);
  return [...new Set(files.map((file) => `${ROOT}/${file.slice(0, file.lastIndexOf("/"))}`))];
}

const folders = await committedFolders();

Deno.test("the repository commits results to check", () => {
  assert(folders.length >= 7, `only ${folders.length} committed results folders`);
});

for (const folder of folders) {
  const name = folder.slice(ROOT.length + 1);
  Deno.test(`${name}: every row's answers and verdict follow from its values`, async () => {
    const manifest = await readManifest(folder);
    const custom = (manifest.experiment as { checks?: object } | undefined)?.checks ?? {};
    const rows = await readRunRows(folder);
    assert(rows.length > 0);
    const preset = recordedPreset(manifest);
    const problem = preset && problemOf(preset);
    for (const row of rows) {
      const loss = row.loss as LossName;
      const thresholds = { ...DEFAULT_THRESHOLDS[loss], ...custom };
      const values = checkValuesOfRow(row);
      const outcome = judge(values, loss, thresholds);
      const where = `${name}, run ${row.run_id}`;
      if (problem?.verdictColumn) {
        // The problem's verdict, from the row's own values, decides the shared answer.
        const verdict = row[problem.verdictColumn];
        const converged = preset!.problem === "dirac"
          ? Number(row.distance_to_equilibrium) < DIRAC_CONVERGED
          : verdict !== "diverged" &&
            Number(row.modes_captured) ===
              PROBLEM_KINDS[preset!.problem as "ring"].data.means.length &&
            Number(row.high_quality_share) >= HIGH_QUALITY_TARGET;
        assertEquals(verdict === "converged", converged, `${where}: ${verdict}`);
        assertEquals(row.pattern_learned, String(converged), where);
        // A run the problem judges diverged ended diverged, whatever its losses say.
        const shared = problemOutcome(outcome.ending, { learned: converged, verdict });
        assertEquals(row.ending, shared.ending, where);
        assertEquals(row.verdict, combinedVerdict(converged, shared.ending), where);
        continue;
      }
      assertEquals(
        [row.pattern_learned, row.ending, row.verdict],
        [String(outcome.patternLearned), outcome.ending, outcome.verdict],
        where,
      );
      // The pattern answer, stated from first principles: each recorded output ordered, the
      // mean error within tolerance.
      const learned = row.pattern_ordered === "true" &&
        Number(row.pattern_error) <= thresholds.patternTolerance;
      assertEquals(row.pattern_learned, String(learned), where);
      assertEquals(
        ["converged", "pattern_only"].includes(row.verdict),
        learned,
        `${where}: verdict ${row.verdict}`,
      );
      assertEquals(row.verdict, combinedVerdict(learned, outcome.ending), where);
    }
  });
}
