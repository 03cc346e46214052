/**
 * Finding the experiment folders under a results directory.
 *
 * @module
 */
import { runsFiles } from "./folder.ts";

/**
 * The experiment folders to read: those given, or every folder under
 * `root` that holds a `runs*.csv` (folders moved aside by `--fresh`, named
 * `*.old-*`, are left out).
 *
 * @throws {Error} naming a given folder that holds no results.
 */
export async function experimentFolders(
  given: readonly string[],
  root = "results",
): Promise<string[]> {
  if (given.length > 0) {
    for (const folder of given) {
      if ((await runsFiles(folder)).length === 0) {
        throw new Error(
          `${folder}: no runs.csv (or runs-shard-*.csv) here; is it an experiment's results folder?`,
        );
      }
    }
    return [...given];
  }
  const folders: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      const folder = `${root}/${entry.name}`;
      if (entry.isDirectory && !/\.old-/.test(entry.name) && (await runsFiles(folder)).length) {
        folders.push(folder);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (folders.length === 0) {
    throw new Error(`${root}: no experiment results yet (deno task sweep makes some)`);
  }
  return folders.sort();
}
