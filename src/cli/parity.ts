/**
 * `deno task parity [DIR]`: replays every PyTorch reference run in DIR
 * (default `tests/parity`) and prints one row per case; exits 1 if any fails.
 *
 * @module
 */
import { parseStrict, runTask, UsageError } from "./args.ts";
import { useBackend } from "../engine/backend.ts";
import { PARITY_TOLERANCE, readCases, replayCase } from "../engine/parity.ts";
import { ENGINES } from "../engine/train.ts";
import { markdownTable } from "../core/table.ts";

const DEFAULT_DIRECTORY = new URL("../../tests/parity", import.meta.url).pathname;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    boolean: ["help"],
    string: ["engine"],
    alias: { h: "help" },
    default: { engine: "both" },
  });
  if (args.help) {
    console.log(
      "usage: deno task parity [DIR] [--engine fused|reference|both]\n\nReplays every *.json " +
        "PyTorch reference run in DIR (default tests/parity; formats 1 to 7) on each\nengine " +
        "(default both). A case passes when every loss is within " +
        `${PARITY_TOLERANCE} relative error.`,
    );
    return 0;
  }
  const engines = args.engine === "both"
    ? [...ENGINES]
    : ENGINES.filter((name) => name === args.engine);
  if (engines.length === 0) {
    throw new UsageError(
      `--engine must be ${ENGINES.join(", ")} or both (got "${args.engine}")`,
    );
  }
  if (args._.length > 1) throw new UsageError("give at most one folder");
  const directory = String(args._[0] ?? DEFAULT_DIRECTORY);
  const cases = await readCases(directory).catch((error) => {
    throw new UsageError(`cannot read ${directory}: ${error.message}`);
  });
  if (cases.length === 0) throw new UsageError(`no *.json reference runs in ${directory}`);
  const backend = await useBackend();
  console.log(`backend: ${backend}; pass = every loss within ${PARITY_TOLERANCE} relative error`);
  const header = [
    "case",
    "engine",
    "iterations",
    "worst loss error",
    "worst output error",
    "final weight error",
    "result",
  ];
  const rows: string[][] = [];
  let failed = 0;
  for (const engine of engines) {
    for (const reference of cases) {
      const result = await replayCase(reference, engine).catch((error) => {
        console.error(`parity: ${reference.case ?? "a case"}: ${error.message}`);
        return undefined;
      });
      if (!result?.pass) failed++;
      rows.push(
        result
          ? [
            result.name,
            result.engine,
            String(result.iterations),
            result.lossError.toExponential(2),
            result.outputError.toExponential(2),
            result.weightError.toExponential(2),
            result.pass ? "pass" : "FAIL",
          ]
          : [String(reference.case), engine, "-", "-", "-", "-", "FAIL"],
      );
    }
  }
  console.log(markdownTable(header, rows));
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) await runTask("parity", main);
