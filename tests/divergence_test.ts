/**
 * Divergence is data: a run that ends at NaN or ∞ goes through every step
 * after training (its problem's judgement, the convergence check from
 * theory, the summary and the report) in bounded time, with the diverged
 * verdict and the theory's columns left empty.
 */
import { assert, assertEquals } from "@std/assert";
import { Matrix } from "ml-matrix";
import { parseCsv, runTask, workspace, writeExperiment } from "./helpers.ts";
import { finiteEigenvalues, jacobianCheck } from "../src/engine/jacobian.ts";
import { resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { JACOBIAN_COLUMNS } from "../src/results/folder.ts";
import { createNetwork } from "../src/nn/network.ts";

const RATES = { discriminator: 0.2, generator: 0.2 };

Deno.test("the check from theory at a NaN or ∞ point is not computed, says why, and returns at once", () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const dirac = trainingSetup(resolveConfig("dirac", {}));
    const onD = jacobianCheck(dirac, {
      seed: 1,
      learningRates: RATES,
      discriminator: Float32Array.of(bad),
      generator: Float32Array.of(0),
    });
    assertEquals(onD, { notComputed: "the final parameters are not finite" });
    const onG = jacobianCheck(dirac, {
      seed: 1,
      learningRates: RATES,
      discriminator: Float32Array.of(0),
      generator: Float32Array.of(bad),
    });
    assertEquals(onG, { notComputed: "the final parameters are not finite" });
  }
});

Deno.test("the check from theory where the point is finite but the field overflows is not computed", () => {
  // The seed's model with every weight at ±3e38: its layers' sums overflow float32 to ∞.
  const setup = trainingSetup(resolveConfig("seed", { normalisation: "none" }));
  const check = jacobianCheck(setup, {
    seed: 1,
    learningRates: { discriminator: 1e-3, generator: 1e-2 },
    discriminator: new Float32Array(createNetwork(setup.discriminator).parameterCount).fill(3e38),
    generator: new Float32Array(createNetwork(setup.generator).parameterCount).fill(-3e38),
  });
  assert(check && "notComputed" in check, JSON.stringify(check));
});

Deno.test("eigenvalues of finite matrices at the edges of the double range come back (scaled, not overflowed)", () => {
  const huge = finiteEigenvalues(new Matrix([[1e307, 1e307], [-1e307, 1e307]]))!;
  assertEquals(huge.real.map((re) => re / 1e307), [1, 1]);
  assertEquals(huge.imaginary.map((im) => Math.abs(im / 1e307)), [1, 1]);
  const tiny = finiteEigenvalues(new Matrix([[3e-320, 0], [0, -5e-321]]))!;
  assertEquals(tiny.real.sort((a, b) => a - b), [-5e-321, 3e-320]);
  assertEquals(finiteEigenvalues(Matrix.zeros(3, 3))!.real, [0, 0, 0]);
  let refused = false;
  try {
    finiteEigenvalues(new Matrix([[NaN, 0], [0, 1]]));
  } catch (error) {
    refused = error instanceof RangeError;
  }
  assert(refused, "a NaN matrix must be refused, not decomposed (the routine would never return)");
});

Deno.test("a diverging run of every problem (the seed's and the Dirac-GAN's WGAN, the ring's GAN, at lr 1e30) is swept, judged, summarised and reported: verdict diverged, the theory's columns empty", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const experiments = [
      {
        name: "diverge_seed",
        body: `{ name: "diverge_seed", base: "seed",
                 sweep: { loss: ["wasserstein"], lr: [{ d: 1e30, g: 1e30 }] },
                 seeds: 2, iterations: 200 }`,
        verdictColumn: "verdict",
        diverged: "diverged",
      },
      {
        name: "diverge_dirac",
        body: `{ name: "diverge_dirac", base: "dirac",
                 sweep: { loss: ["wasserstein"], lr: [{ d: 1e30, g: 1e30 }] },
                 seeds: 2, iterations: 200 }`,
        verdictColumn: "dirac_verdict",
        diverged: "diverged",
      },
      {
        // Small networks, so that the check from theory applies (≤ 300 parameters).
        name: "diverge_ring",
        body: `{ name: "diverge_ring", base: "ring",
                 sweep: { lr: [{ d: 1e30, g: 1e30 }], batchSize: [8], hidden: [{ d: [4], g: [4] }] },
                 seeds: 2, iterations: 200, recordEvery: 10, patternEvery: 10 }`,
        verdictColumn: "mixture_verdict",
        diverged: "diverged",
      },
    ];
    for (const { name, body, verdictColumn, diverged } of experiments) {
      const file = await writeExperiment(dir, name, body);
      // Bounded time: a sweep that hangs on a diverged run is killed and fails here.
      const sweep = await runTask("sweep", [file, "--quiet"], { cwd: dir, timeoutSeconds: 120 });
      assertEquals(sweep.code, 0, sweep.stderr);
      const [header, ...rows] = parseCsv(
        await Deno.readTextFile(`${dir}/results/${name}/runs.csv`),
      );
      assertEquals(rows.length, 2, name);
      const at = (row: string[], column: string) => row[header.indexOf(column)];
      for (const row of rows) {
        assertEquals(at(row, verdictColumn), diverged, `${name}: ${verdictColumn}`);
        assertEquals(at(row, "verdict"), "diverged", `${name}: verdict`);
        assertEquals(at(row, "pattern_learned"), "false", name);
        for (const column of JACOBIAN_COLUMNS) {
          assertEquals(at(row, column), "", `${name}: ${column} must be empty`);
        }
      }
      const bounded = { cwd: dir, timeoutSeconds: 120 };
      const summary = await runTask("summary", [`results/${name}`], bounded);
      assertEquals(summary.code, 0, summary.stderr);
      const report = await runTask("report", [`results/${name}`], bounded);
      assertEquals(report.code, 0, report.stderr);
      const written = await Deno.readTextFile(`${dir}/results/${name}/REPORT.md`);
      assert(
        !written.includes("did not end where runs.csv says"),
        `${name}: NaN ≠ NaN in the report`,
      );
    }
  } finally {
    await cleanup();
  }
});
