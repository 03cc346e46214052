/**
 * gansweep on a real (one-node) Slurm cluster: `deno task test:slurm`.
 * Installs Debian's slurm-wlm and munge when they are missing, starts the
 * cluster (deploy/slurm/one-node-cluster.sh), submits the array job in
 * deploy/slurm/sweep-array.sbatch as 4 tasks, and checks that the shards
 * add up to an unsharded sweep, that an unsharded rerun trains nothing and
 * that summary reads the shards; then stops the daemons it started. A
 * cluster that cannot be started fails the test with the reason.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { parse } from "@std/csv";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const CLUSTER = `${ROOT}/deploy/slurm/one-node-cluster.sh`;

async function run(command: string, args: string[], options: Deno.CommandOptions = {}) {
  const output = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
    ...options,
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

async function has(tool: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${tool}`])).code === 0;
}

/** Installs the cluster's packages from Debian's archive if any tool is missing. */
async function ensureSlurm(): Promise<void> {
  const tools = ["sbatch", "slurmctld", "slurmd", "munged", "mungekey"];
  if ((await Promise.all(tools.map(has))).every(Boolean)) return;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = await run("apt-get", ["update", "-qq"], { env });
  assertEquals(update.code, 0, `apt-get update failed:\n${update.stderr}`);
  const install = await run("apt-get", ["install", "-y", "-qq", "slurm-wlm", "munge"], { env });
  assertEquals(install.code, 0, `installing slurm-wlm and munge failed:\n${install.stderr}`);
}

/** A copy of the repository to submit from (its results/ is the test's own). */
async function checkout(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gansweep-slurm-" });
  for (const entry of ["deno.json", "deno.lock", "mod.ts", "src", "experiments"]) {
    const copied = await run("cp", ["-r", `${ROOT}/${entry}`, `${dir}/`]);
    assertEquals(copied.code, 0, copied.stderr);
  }
  await Deno.symlink(`${ROOT}/node_modules`, `${dir}/node_modules`);
  await Deno.writeTextFile(
    `${dir}/experiments/slurm.ts`,
    `import { defineExperiment } from "../mod.ts";
export default defineExperiment({
  name: "slurm",
  base: "book",
  sweep: { loss: ["mse", "bce"], lr: [{ d: 0.01, g: 0.01 }, { d: 0.05, g: 0.05 }] },
  seeds: 2,
  iterations: 300,
});
`,
  );
  return dir;
}

/** Every row of every runs file of a results folder, less the timing columns. */
async function rowsOf(folder: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (!/^runs.*\.csv$/.test(entry.name)) continue;
    const [header, ...body] = parse(
      await Deno.readTextFile(`${folder}/${entry.name}`),
    ) as string[][];
    const timing = ["batch_runs", "batch_wall_seconds", "finished_at"];
    const kept = header.flatMap((column, i) => timing.includes(column) ? [] : [i]);
    rows.push(...body.map((row) => kept.map((i) => row[i])));
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}

Deno.test("a 4-task Slurm array of shards equals one unsharded sweep", async () => {
  await ensureSlurm();
  const cluster = await Deno.makeTempDir({ prefix: "gansweep-cluster-" });
  const sharded = await checkout();
  const whole = await checkout();
  try {
    const started = await run("bash", [CLUSTER, "start", cluster]);
    assertEquals(started.code, 0, `the cluster did not start:\n${started.stdout}${started.stderr}`);
    const env = { SLURM_CONF: `${cluster}/slurm.conf` };
    const submitted = await run("sbatch", [
      "--wait",
      "--array=0-3",
      "--cpus-per-task=1",
      `--output=${cluster}/task-%a.out`,
      `${ROOT}/deploy/slurm/sweep-array.sbatch`,
      "experiments/slurm.ts",
    ], { cwd: sharded, env });
    const logs = await Promise.all(
      [0, 1, 2, 3].map((k) => Deno.readTextFile(`${cluster}/task-${k}.out`).catch(() => "")),
    );
    assertEquals(
      submitted.code,
      0,
      `the array job failed:\n${submitted.stderr}\n${logs.join("\n")}`,
    );
    for (const [k, log] of logs.entries()) assertStringIncludes(log, `(shard ${k} of 4)`);
    const files = [...Deno.readDirSync(`${sharded}/results/slurm`)].map((e) => e.name).sort();
    assertEquals(files.filter((name) => name.startsWith("runs")), [
      "runs-shard-0-of-4.csv",
      "runs-shard-1-of-4.csv",
      "runs-shard-2-of-4.csv",
      "runs-shard-3-of-4.csv",
    ]);

    const unsharded = await run("deno", ["task", "sweep", "experiments/slurm.ts"], { cwd: whole });
    assertEquals(unsharded.code, 0, unsharded.stderr);
    const expected = await rowsOf(`${whole}/results/slurm`);
    assertEquals(expected.length, 8);
    assertEquals(await rowsOf(`${sharded}/results/slurm`), expected);

    const rerun = await run("deno", ["task", "sweep", "experiments/slurm.ts"], { cwd: sharded });
    assertEquals(rerun.code, 0, rerun.stderr);
    assertStringIncludes(rerun.stderr, "nothing to train");
    const summary = await run("deno", ["task", "summary", "results/slurm"], { cwd: sharded });
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stdout, "## slurm (8 runs, results/slurm)");
  } finally {
    const stopped = await run("bash", [CLUSTER, "stop", cluster]);
    for (const dir of [cluster, sharded, whole]) await Deno.remove(dir, { recursive: true });
    assert(stopped.code === 0, stopped.stderr);
  }
});
