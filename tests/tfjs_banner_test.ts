/**
 * tfjs's "install our node backend" banner (its cpu backend's advice for
 * Node.js, which Deno is taken for) is printed by no task: not by a report,
 * which trains its Dirac trajectories again, nor by a sweep on the cpu backend.
 */
import { assert, assertEquals } from "@std/assert";
import { ROOT, runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

const assertNoBanner = (output: string) => {
  assert(!output.includes("node backend"), `the tfjs banner:\n${output}`);
  assert(!output.includes("============================"), `the tfjs banner:\n${output}`);
};

Deno.test("report prints no tfjs banner (its Dirac trajectories are trained with tfjs)", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const folder = `${dir}/results/dirac_clip`;
    await Deno.mkdir(`${folder}/curves`, { recursive: true });
    await Deno.mkdir(`${folder}/patterns`);
    for (const file of ["experiment.json", "runs.csv"]) {
      await Deno.copyFile(`${ROOT}/results/dirac_clip/${file}`, `${folder}/${file}`);
    }
    for (const sub of ["curves", "patterns"]) {
      for await (const entry of Deno.readDir(`${ROOT}/results/dirac_clip/${sub}`)) {
        await Deno.copyFile(
          `${ROOT}/results/dirac_clip/${sub}/${entry.name}`,
          `${folder}/${sub}/${entry.name}`,
        );
      }
    }
    const result = await runTask("report", ["results/dirac_clip"], {
      cwd: dir,
      timeoutSeconds: 120,
    });
    assertEquals(result.code, 0, result.stderr);
    assertNoBanner(result.stdout + result.stderr);
  } finally {
    await cleanup();
  }
});

for (const engine of ["fused", "reference"]) {
  Deno.test(`a sweep on the cpu backend (${engine} engine) prints no tfjs banner`, async () => {
    const { dir, cleanup } = await workspace();
    try {
      const file = await writeExperiment(
        dir,
        "tiny",
        tinyExperiment("tiny", { seeds: 1, iterations: 20, configs: 1 }),
      );
      const result = await runTask("sweep", [file, "--backend", "cpu", "--engine", engine], {
        cwd: dir,
        timeoutSeconds: 120,
      });
      assertEquals(result.code, 0, result.stderr);
      assertNoBanner(result.stdout + result.stderr);
    } finally {
      await cleanup();
    }
  });
}
