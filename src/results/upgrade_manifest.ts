/**
 * Brings a folder's manifests to this version's results format, as `deno
 * task recheck` does when asked to bring a folder up to date: `format` is
 * set, and a manifest from before declared runs (format 1, in which every
 * row belongs to the folder) declares exactly the runs the folder holds, so
 * that every reader counts the same runs as before. Nothing else in it
 * changes; the code's commit stays unrecorded (the code that trained the
 * runs is not the code that upgrades the file).
 *
 * @module
 */
import { readRunRows, writeAtomically } from "./folder.ts";
import { FORMAT_VERSION, formatOf } from "./format.ts";

/**
 * Upgrades every `experiment*.json` in `directory` that is in an earlier
 * format; returns how many it rewrote.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { upgradeManifests } from "./upgrade_manifest.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${folder}/runs.csv`, "run_id,seed\n000000000001,1\n");
 * await Deno.writeTextFile(`${folder}/experiment.json`, '{"experiment":{"name":"x"}}');
 * assertEquals(await upgradeManifests(folder), 1);
 * const manifest = JSON.parse(await Deno.readTextFile(`${folder}/experiment.json`));
 * assertEquals([manifest.format, manifest.declared_runs], [2, ["000000000001"]]);
 * assertEquals(await upgradeManifests(folder), 0);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function upgradeManifests(directory: string): Promise<number> {
  let upgraded = 0;
  const names = (await Array.fromAsync(Deno.readDir(directory)))
    .filter((entry) => entry.isFile && /^experiment(-shard-\d+-of-\d+)?\.json$/.test(entry.name))
    .map((entry) => entry.name).sort();
  for (const name of names) {
    const path = `${directory}/${name}`;
    const manifest = JSON.parse(await Deno.readTextFile(path)) as Record<string, unknown>;
    if (formatOf(manifest, path) === FORMAT_VERSION) continue;
    const declared = manifest.declared_runs ??
      (await readRunRows(directory)).map((row) => row.run_id).sort();
    // `format` first, as the sweep writes it; the rest as it was.
    const next = { format: FORMAT_VERSION, ...manifest, declared_runs: declared };
    next.format = FORMAT_VERSION;
    await writeAtomically(path, JSON.stringify(next, null, 2) + "\n");
    upgraded++;
  }
  return upgraded;
}
