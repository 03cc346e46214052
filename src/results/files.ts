/**
 * Writing a results folder's files so that nothing is half-written: whole
 * files by a rename, stale temporaries removed, folders moved aside rather
 * than deleted.
 *
 * @module
 */
import { asWriteFailure } from "./errors.ts";

/** Writes `text` to `path` via a temporary file and a rename. */
export async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${Deno.pid}`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(temporary, data);
    else await Deno.writeFile(temporary, data);
    await Deno.rename(temporary, path);
  } catch (error) {
    // Nothing half-written stays behind: the file is whole or untouched.
    await Deno.remove(temporary).catch(() => {});
    throw asWriteFailure(path, error);
  }
}

/**
 * Removes the temporary files (`*.tmp-PID`) that a write killed or failed
 * mid-way left in a results folder (and its curves/, patterns/,
 * checkpoints/); returns how many it removed. A write lives for
 * milliseconds (write, then rename), so a temporary file older than
 * `olderThanSeconds` is no live writer's, whichever process or shard.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { removeStaleTemporaries } from "./folder.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${folder}/runs.csv.tmp-12345`, "half");
 * assertEquals(await removeStaleTemporaries(folder, 60), 0);
 * assertEquals(await removeStaleTemporaries(folder, 0), 1);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function removeStaleTemporaries(
  directory: string,
  olderThanSeconds = 60,
): Promise<number> {
  let removed = 0;
  const before = Date.now() - 1000 * olderThanSeconds;
  for (const folder of ["", "/curves", "/patterns", "/checkpoints"]) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(`${directory}${folder}`));
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile || !/\.tmp-\d+$/.test(entry.name)) continue;
      const path = `${directory}${folder}/${entry.name}`;
      const modified = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      if (modified > before) continue;
      await Deno.remove(path);
      removed++;
    }
  }
  return removed;
}

/** Moves a results folder aside (never deletes it); returns where it went. */
export async function moveAside(directory: string): Promise<string | undefined> {
  try {
    await Deno.stat(directory);
  } catch {
    return undefined;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = `${directory}.old-${stamp}`;
  await Deno.rename(directory, target);
  return target;
}
