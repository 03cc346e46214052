/**
 * The git commit of the code that is running, for `experiment.json`: by
 * `git rev-parse HEAD` where running programs is permitted, otherwise read
 * from the checkout's `.git` files (`HEAD`, the ref it names, or
 * `packed-refs`), which needs only read permission. Undefined outside a git
 * checkout, or where neither is permitted: a commit is never a reason to
 * fail.
 *
 * @module
 */

/** This module's folder: the code whose commit is wanted lives here. */
const HERE = new URL(".", import.meta.url);

/**
 * The commit of the git checkout that holds `directory` (default: this
 * code's own folder), as 40 hex digits; undefined outside a checkout.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { codeCommit } from "./commit.ts";
 * const outside = await Deno.makeTempDir();
 * assertEquals(await codeCommit(outside), undefined);
 * await Deno.remove(outside);
 * ```
 */
export async function codeCommit(
  directory: string = HERE.protocol === "file:" ? decodeURIComponent(HERE.pathname) : "",
): Promise<string | undefined> {
  if (directory === "") return undefined;
  try {
    const run = Deno.permissions.querySync({ name: "run", command: "git" }).state === "granted";
    return (run ? await commitByGit(directory) : undefined) ?? await commitFromFiles(directory);
  } catch {
    return undefined;
  }
}

/** `git rev-parse HEAD` in `directory`; undefined if git is missing or it is no checkout. */
async function commitByGit(directory: string): Promise<string | undefined> {
  try {
    const output = await new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: directory,
      stdout: "piped",
      stderr: "null",
    }).output();
    const text = new TextDecoder().decode(output.stdout).trim();
    return output.success && /^[0-9a-f]{40}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The commit that `HEAD` names, read from the git files of the checkout
 * that holds `directory` (a worktree's `.git` file and its `commondir`
 * followed); undefined if there is none or it cannot be read.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { commitFromFiles } from "./commit.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/.git/refs/heads`, { recursive: true });
 * await Deno.writeTextFile(`${dir}/.git/HEAD`, "ref: refs/heads/main\n");
 * await Deno.writeTextFile(`${dir}/.git/refs/heads/main`, "ab".repeat(20) + "\n");
 * assertEquals(await commitFromFiles(dir), "ab".repeat(20));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function commitFromFiles(directory: string): Promise<string | undefined> {
  const gitDirectory = await findGitDirectory(directory);
  if (!gitDirectory) return undefined;
  const head = (await readText(`${gitDirectory}/HEAD`))?.trim();
  if (!head) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head; // a detached HEAD
  const ref = /^ref: (\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  // A worktree keeps its HEAD apart; the refs live in the common directory.
  const common = (await readText(`${gitDirectory}/commondir`))?.trim();
  const refsDirectory = common ? resolve(gitDirectory, common) : gitDirectory;
  for (const base of [gitDirectory, refsDirectory]) {
    const loose = (await readText(`${base}/${ref}`))?.trim();
    if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  }
  const packed = await readText(`${refsDirectory}/packed-refs`) ?? "";
  for (const line of packed.split("\n")) {
    const [hash, name] = line.trim().split(" ");
    if (name === ref && /^[0-9a-f]{40}$/.test(hash)) return hash;
  }
  return undefined;
}

/** The git directory of the checkout holding `directory`: `.git`, or where a `.git` file points. */
async function findGitDirectory(directory: string): Promise<string | undefined> {
  let at = directory.replace(/\/+$/, "") || "/";
  while (true) {
    const candidate = `${at === "/" ? "" : at}/.git`;
    const stat = await Deno.stat(candidate).catch(() => undefined);
    if (stat?.isDirectory) return candidate;
    if (stat?.isFile) {
      const pointer = /^gitdir: (.+)$/m.exec(await readText(candidate) ?? "")?.[1]?.trim();
      return pointer ? resolve(at, pointer) : undefined;
    }
    if (at === "/") return undefined;
    at = at.slice(0, at.lastIndexOf("/")) || "/";
  }
}

/** `path` resolved against `base` unless it is absolute. */
function resolve(base: string, path: string): string {
  return path.startsWith("/") ? path : `${base}/${path}`;
}

/** A file's text, or undefined if it cannot be read. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}
