/**
 * Helpers for tests that run the command-line tasks as a user would.
 *
 * @module
 */
import { parse } from "@std/csv";

/** The repository's root folder. */
export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** `mod.ts` as a file URL, for experiment files written to temporary folders. */
export const MOD_URL = new URL("../mod.ts", import.meta.url).href;

const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));

/** The permission flags a deno.json task runs with (e.g. `--allow-write=results`). */
export function taskFlags(task: string): string[] {
  return (config.tasks[task] as string).split(" ").filter((word) => word.startsWith("--allow"));
}

/** What a finished command printed. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `src/cli/<task>.ts` with the permissions its deno.json task grants,
 * in `cwd` (so `results/` is `cwd/results`).
 */
export async function runTask(
  task: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutSeconds?: number },
): Promise<CommandResult> {
  const child = taskCommand(task, args, options).spawn();
  // A command that does not finish in time is killed and fails the test, rather than hang it.
  const timer = options.timeoutSeconds === undefined
    ? undefined
    : setTimeout(() => child.kill("SIGKILL"), 1000 * options.timeoutSeconds);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    const killed = output.signal === "SIGKILL"
      ? `\n(killed after ${options.timeoutSeconds} s: it did not finish)`
      : "";
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr) + killed,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The command for a task, to spawn and control (e.g. kill) yourself. */
export function taskCommand(
  task: string,
  args: string[],
  { cwd, env = {} }: { cwd: string; env?: Record<string, string> },
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${ROOT}/deno.json`,
      ...taskFlags(task),
      `${ROOT}/src/cli/${task}.ts`,
      ...args,
    ],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Writes an experiment file into `directory`; `body` is the object given to
 * defineExperiment, as source text.
 */
export async function writeExperiment(
  directory: string,
  name: string,
  body: string,
): Promise<string> {
  const path = `${directory}/${name}.ts`;
  await Deno.writeTextFile(
    path,
    `import { choice, defineExperiment, intRange, logUniform, uniform } from "${MOD_URL}";\n` +
      `void [choice, intRange, logUniform, uniform];\n` +
      `export default defineExperiment(${body});\n`,
  );
  return path;
}

/** Every file below `directory`, relative to it, sorted (empty if it does not exist). */
export async function listFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`, `${prefix}${entry.name}/`);
      else found.push(`${prefix}${entry.name}`);
    }
  };
  try {
    await walk(directory, "");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

/** A fresh temporary folder with an empty `results/`, removed by the returned function. */
export async function workspace(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "gansweep-test-" });
  await Deno.mkdir(`${dir}/results`);
  return { dir, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

/** A tiny, fast experiment on the book's model: `configs` learning rates × `seeds`. */
export function tinyExperiment(name: string, { seeds = 2, iterations = 200, configs = 2 } = {}) {
  const rates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3].slice(0, configs);
  return `{
    name: "${name}",
    base: "book",
    sweep: { lr: [${rates.map((r) => `{ d: ${r}, g: ${r} }`).join(", ")}], loss: ["mse", "bce"] },
    seeds: ${seeds},
    iterations: ${iterations},
    recordEvery: 10,
    patternEvery: 50,
  }`;
}

/** CSV text as rows of fields (header included), with @std/csv. */
export function parseCsv(text: string): string[][] {
  return parse(text) as string[][];
}
