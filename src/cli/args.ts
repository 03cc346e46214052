/**
 * What every command-line task shares: strict option parsing and one way of
 * reporting a usage error (exit code 2) or an expected failure.
 *
 * @module
 */
import { parseArgs, type ParseOptions } from "@std/cli/parse-args";

/** A usage error: printed as `task: message` with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A negative number, as a value: `-5`, `-0.5`, `-.5`, `-1e-3`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `parseArgs` that refuses an unknown option with a {@link UsageError}. A
 * negative number after an option that takes a value is that option's value
 * (`--iterations -5` is `--iterations=-5`, for the task's own check to
 * refuse with its range), not an option of its own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseStrict } from "./args.ts";
 * assertEquals(parseStrict(["--json"], { boolean: ["json"] }).json, true);
 * assertEquals(parseStrict(["--iterations", "-5"], { string: ["iterations"] }).iterations, "-5");
 * ```
 */
// deno-lint-ignore no-explicit-any
export function parseStrict(argv: string[], options: ParseOptions): Record<string, any> {
  return parseArgs(negativeValuesJoined(argv, options), {
    ...options,
    unknown: (flag: string) => {
      if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
      return true;
    },
  });
}

/**
 * `argv` with each `--option -5` of an option that takes a value (declared
 * in `string`, or an alias of one) written `--option=-5`, which is how
 * `parseArgs` reads a value that begins with a hyphen.
 */
function negativeValuesJoined(argv: readonly string[], options: ParseOptions): string[] {
  const takesValue = new Set<string>([options.string ?? []].flat().map(String));
  const aliases = Object.entries(options.alias ?? {}) as [string, string | string[]][];
  for (const [name, others] of aliases) {
    const names = [name, ...[others].flat()];
    if (names.some((n) => takesValue.has(n))) names.forEach((n) => takesValue.add(n));
  }
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const option = /^--?([^=]+)$/.exec(argv[i])?.[1];
    if (argv[i] === "--") {
      joined.push(...argv.slice(i));
      break;
    }
    if (option && takesValue.has(option) && NEGATIVE_NUMBER.test(argv[i + 1] ?? "")) {
      joined.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else joined.push(argv[i]);
  }
  return joined;
}

/** An error class whose message is for the user, printed without a stack. */
// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/**
 * Runs a task's `main` and exits with its code. A {@link UsageError} or an
 * error of one of the `expected` classes is printed as `task: message` and
 * exits 2; anything else is a bug and is thrown with its stack.
 */
export async function runTask(
  task: string,
  main: (argv: string[]) => Promise<number>,
  expected: readonly ErrorClass[] = [],
): Promise<never> {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${task}: ${error.message}\n(deno task ${task} --help lists the options)`);
      Deno.exit(2);
    }
    if (expected.some((kind) => error instanceof kind)) {
      console.error(`${task}: ${(error as Error).message}`);
      Deno.exit(2);
    }
    if (error instanceof Deno.errors.NotCapable) {
      // The tasks may write only under results/: say so instead of a stack trace.
      const path = /"([^"]+)"/.exec(error.message)?.[1] ?? "that path";
      console.error(
        `${task}: may not touch ${path} (${error.message.split(",")[0]}); the task writes ` +
          `only under results/: name a folder there, or run src/cli/${task}.ts with ` +
          `deno run --allow-read --allow-write=<folder>`,
      );
      Deno.exit(2);
    }
    throw error;
  }
}
