/**
 * The bench's timings in processes of their own: an engine from another
 * checkout of this repository (`--baseline REV`, the engine before a
 * change, unpacked by `git archive`), and plain PyTorch where `python3`
 * has `torch`.
 *
 * @module
 */
import type { TimingRequest } from "./time_batch.ts";

/** This checkout's root. */
export const REPO_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Runs a command; its stdout, or an Error with its stderr's last line. */
async function run(command: string, args: string[], env?: Record<string, string>) {
  try {
    const output = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
      .output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
    if (!output.success) {
      const why = decode(output.stderr).split("\n").at(-1) || `exit ${output.code}`;
      return new Error(`${command} ${args[0] ?? ""}: ${why}`);
    }
    return decode(output.stdout);
  } catch (error) {
    return new Error(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Unpacks commit `revision` of this repository into `into` (made), for
 * timing its engine.
 *
 * @throws {Error} where git or tar fail (an unknown revision, no git).
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { unpackRevision } from "./children.ts";
 * const into = await Deno.makeTempDir();
 * await unpackRevision("HEAD", `${into}/head`);
 * assert((await Deno.stat(`${into}/head/deno.json`)).isFile);
 * await Deno.remove(into, { recursive: true });
 * ```
 */
export async function unpackRevision(revision: string, into: string): Promise<string> {
  await Deno.mkdir(into, { recursive: true });
  const archive = `${into}.tar`;
  const made = await run("git", ["-C", REPO_ROOT, "archive", "-o", archive, revision]);
  if (made instanceof Error) throw new Error(`--baseline ${revision}: ${made.message}`);
  const unpacked = await run("tar", ["-xf", archive, "-C", into]);
  await Deno.remove(archive).catch(() => {});
  if (unpacked instanceof Error) throw new Error(`--baseline ${revision}: ${unpacked.message}`);
  return into;
}

/**
 * Times one batch on the engine of the checkout at `request.root` in a
 * child Deno (`time_batch.ts`); ms per iteration, or an Error (a factor
 * that checkout does not know, say).
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { REPO_ROOT, timeChild } from "./children.ts";
 * const request = { preset: "seed", levels: {}, runs: 4, iterations: 20, engine: "fused" } as const;
 * const ms = await timeChild({ root: REPO_ROOT, ...request });
 * assert(typeof ms === "number" && ms > 0);
 * ```
 */
export async function timeChild(request: TimingRequest): Promise<number | Error> {
  const script = new URL("./time_batch.ts", import.meta.url).pathname;
  const output = await run(Deno.execPath(), [
    "run",
    "--allow-read",
    "--allow-env",
    "--config",
    `${request.root}/deno.json`,
    script,
    "--root",
    request.root,
    "--preset",
    request.preset,
    "--levels",
    JSON.stringify(request.levels),
    "--runs",
    String(request.runs),
    "--iterations",
    String(request.iterations),
    "--engine",
    request.engine,
  ]);
  if (output instanceof Error) return output;
  return JSON.parse(output.split("\n").at(-1)!).ms_per_iteration;
}

/** A PyTorch timing's settings (`torch_ring.py`'s arguments). */
export interface TorchRequest {
  readonly iterations: number;
  readonly batch: "new" | "reuse";
  readonly consensus: number;
}

/**
 * Whether `python3` imports `torch`: the reason it does not, or undefined.
 *
 * @example
 * ```ts
 * import { torchMissing } from "./children.ts";
 * const missing = await torchMissing(); // undefined where python3 has torch, else why not
 * ```
 */
export async function torchMissing(): Promise<string | undefined> {
  const output = await run("python3", ["-c", "import torch; print(torch.__version__)"]);
  return output instanceof Error ? `python3 with torch not found (${output.message})` : undefined;
}

/**
 * The ring's step in plain PyTorch, one run on one thread (`torch_ring.py`,
 * with this process's environment: put an optimised BLAS first on
 * `LD_LIBRARY_PATH` to time it fairly); ms per iteration, or an Error.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { timeTorch, torchMissing } from "./children.ts";
 * if (!(await torchMissing())) {
 *   const ms = await timeTorch({ iterations: 5, batch: "new", consensus: 0 });
 *   assert(typeof ms === "number" && ms > 0);
 * }
 * ```
 */
export async function timeTorch(request: TorchRequest): Promise<number | Error> {
  const script = new URL("./torch_ring.py", import.meta.url).pathname;
  const output = await run("python3", [
    script,
    "--iterations",
    String(request.iterations),
    "--batch",
    request.batch,
    "--consensus",
    String(request.consensus),
  ]);
  if (output instanceof Error) return output;
  return JSON.parse(output.split("\n").at(-1)!).ms_per_iteration;
}
