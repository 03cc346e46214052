/**
 * The results folders a task is given on its command line, checked before
 * it reads them: an experiment file or a directory of them where a results
 * folder is expected gets a message naming the folder to give instead.
 *
 * @module
 */
import { basename } from "@std/path";

/** A path given where a results folder is expected that is not one: printed as `task: message`. */
export class FolderArgumentError extends Error {
  override readonly name = "FolderArgumentError";
}

/**
 * Why `path` cannot be the results folder `task` reads, in one line naming
 * the fix; undefined when it is a directory (or missing: the task's own
 * reader says what it lacks).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { notAResultsFolder } from "./folder_arguments.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/grid.ts`, "");
 * assertEquals(
 *   await notAResultsFolder("summary", `${dir}/grid.ts`),
 *   `${dir}/grid.ts is an experiment file; summary reads a results folder such as results/grid`,
 * );
 * assertEquals(await notAResultsFolder("summary", dir), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function notAResultsFolder(task: string, path: string): Promise<string | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (info.isDirectory) return undefined;
  const name = basename(path);
  if (/\.[cm]?[jt]s$/.test(name)) {
    const folder = `results/${name.replace(/\.[cm]?[jt]s$/, "")}`;
    return `${path} is an experiment file; ${task} reads a results folder such as ${folder}`;
  }
  return `${path} is a file, not a results folder; ${task} reads a folder such as results/grid`;
}

/**
 * Throws a {@link FolderArgumentError} for the first of `paths` that cannot
 * be a results folder (see {@link notAResultsFolder}).
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { assertResultsFolders, FolderArgumentError } from "./folder_arguments.ts";
 * const file = await Deno.makeTempFile({ suffix: ".ts" });
 * await assertRejects(
 *   () => assertResultsFolders("thin", [file]),
 *   FolderArgumentError,
 *   "is an experiment file; thin reads a results folder",
 * );
 * await Deno.remove(file);
 * ```
 */
export async function assertResultsFolders(task: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const problem = await notAResultsFolder(task, path);
    if (problem) throw new FolderArgumentError(problem);
  }
}
