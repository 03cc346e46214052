/**
 * A full disk mid-sweep: the sweep stops with a clear message (the file,
 * what it holds, why, that finished runs are safe, what to do), exit code
 * 2, no stack trace and no temporary file left; a rerun with space removes
 * temporary files an interrupted write left and trains exactly the runs
 * that are missing. The full disk is a small tmpfs mounted as the results
 * folder (which needs root, as CI and this project's machines run).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { readRunRows } from "../src/results/folder.ts";
import { listFiles, runTask, tinyExperiment, workspace, writeExperiment } from "./helpers.ts";

function run(command: string, ...args: string[]): boolean {
  return new Deno.Command(command, { args, stdout: "null", stderr: "null" }).outputSync().success;
}

/** Whether this machine lets the test mount a tmpfs (root on Linux). */
const CAN_MOUNT = (() => {
  const probe = Deno.makeTempDirSync();
  try {
    return run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe) &&
      run("umount", probe);
  } catch {
    return false;
  } finally {
    Deno.removeSync(probe, { recursive: true });
  }
})();

Deno.test({
  name: "a full disk stops the sweep with a clear message; the rerun finishes every run once",
  ignore: !CAN_MOUNT,
  async fn() {
    const { dir, cleanup } = await workspace();
    const results = `${dir}/results`;
    let mounted = false;
    try {
      assert(run("mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", results), "mount");
      mounted = true;
      const file = await writeExperiment(
        dir,
        "full",
        tinyExperiment("full", { seeds: 2, iterations: 20_000 }),
      );
      const full = await runTask("sweep", [file, "--workers", "1"], { cwd: dir });
      assertEquals(full.code, 2, full.stderr);
      for (
        const words of [
          "sweep: cannot write results/full/",
          "No space left on device",
          "The runs finished before it are safe in results/full/runs.csv",
          "rerun the same command",
        ]
      ) assertStringIncludes(full.stderr, words);
      assert(!/^\s+at /m.test(full.stderr), `a stack trace: ${full.stderr}`);
      const left = (await listFiles(results)).filter((name) => name.includes(".tmp-"));
      assertEquals(left, [], "temporary files left on the full disk");
      const saved = await readRunRows(`${results}/full`);
      assert(saved.length < 8, `${saved.length} runs saved on a 300 KiB disk`);

      // Space again: the folder moves to the ordinary disk, with a temporary file a killed
      // write left behind, and the same command finishes what is missing.
      const copy = await Deno.makeTempDir();
      assert(run("cp", "-a", `${results}/.`, copy), "copy out");
      assert(run("umount", results), "umount");
      mounted = false;
      assert(run("cp", "-a", `${copy}/.`, results), "copy back");
      await Deno.remove(copy, { recursive: true });
      const stale = `${results}/full/curves/abc.csv.tmp-999999999`;
      await Deno.writeTextFile(stale, "half a file");
      const anHourAgo = new Date(Date.now() - 3600_000);
      await Deno.utime(stale, anHourAgo, anHourAgo);
      const rerun = await runTask("sweep", [file], { cwd: dir });
      assertEquals(rerun.code, 0, rerun.stderr);
      assertStringIncludes(rerun.stderr, "removed 1 temporary files");
      const rows = await readRunRows(`${results}/full`);
      assertEquals(rows.length, 8);
      assertEquals(new Set(rows.map((row) => row.run_id)).size, 8);
      for (const row of saved) assert(rows.some((other) => other.run_id === row.run_id));
      assertEquals((await listFiles(results)).filter((name) => name.includes(".tmp-")), []);
    } finally {
      if (mounted) run("umount", results);
      await cleanup();
    }
  },
});
