/**
 * Without WebAssembly SIMD (or with `GANSWEEP_SIMD=0`) the fused engine
 * runs its plain loops: the sweep says so in one line, and trains the same
 * numbers bit for bit, on the seed's model (runs as lanes) and on the ring
 * (a batch per run, noise input, consensus).
 */
import { assert, assertEquals } from "@std/assert";
import { parseCsv, runTask, workspace, writeExperiment } from "./helpers.ts";

/** The columns of runs.csv that say when and how fast, not what was trained. */
const TIMING = ["batch_wall_seconds", "finished_at"];

const EXPERIMENTS = {
  seed:
    `{ name: "lanes", base: "seed", sweep: { lr: [{ d: 0.001, g: 0.01 }, { d: 0.002, g: 0.02 }] },
    seeds: 3, iterations: 300 }`,
  ring: `{ name: "ring", base: "ring",
    sweep: { consensus: [0, 1], batchSize: [16], generatorBatch: ["reuse"], dUpdate: ["joint"] },
    seeds: 2, iterations: 60 }`,
};

for (const [label, body] of Object.entries(EXPERIMENTS)) {
  Deno.test(`GANSWEEP_SIMD=0: one notice, and the same numbers as the SIMD kernels (${label})`, async () => {
    const { dir, cleanup } = await workspace();
    try {
      const file = await writeExperiment(dir, label, body);
      const rows: string[][][] = [];
      for (const [out, env] of [["simd", {}], ["plain", { GANSWEEP_SIMD: "0" }]] as const) {
        const result = await runTask("sweep", [file, "--out", `results/${out}`, "--workers", "2"], {
          cwd: dir,
          env,
          timeoutSeconds: 300,
        });
        assertEquals(result.code, 0, result.stderr);
        const notices = result.stderr.split("\n").filter((line) => line.includes("GANSWEEP_SIMD"));
        assertEquals(notices.length, out === "plain" ? 1 : 0, result.stderr);
        const folder = (await Array.fromAsync(Deno.readDir(`${dir}/results/${out}`)))[0].name;
        rows.push(parseCsv(await Deno.readTextFile(`${dir}/results/${out}/${folder}/runs.csv`)));
      }
      const [simd, plain] = rows;
      assert(simd.length > 1);
      assertEquals(plain.length, simd.length);
      // Every cell but the timings', row by row in run-id order.
      const cells = ([header, ...body]: string[][]) => {
        const kept = header.map((column, i) => TIMING.includes(column) ? -1 : i).filter((i) =>
          i >= 0
        );
        return body.map((row) => kept.map((i) => row[i])).sort((a, b) => a[0] < b[0] ? -1 : 1);
      };
      assertEquals(cells(plain), cells(simd));
    } finally {
      await cleanup();
    }
  });
}
