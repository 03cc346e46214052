/**
 * `deno task docs`: rewrites the README's generated tables (losses,
 * optimisers, penalties, normalisations) from the registries; `--check`
 * only says whether they are up to date (exit 1 if not).
 *
 * @module
 */
import { parseStrict, runTask } from "./args.ts";
import { registryTablesUpToDate, withRegistryTables } from "../kinds/docs.ts";

const USAGE = `usage: deno task docs [--check]

Rewrites the tables between <!-- generated: NAME --> and <!-- end generated -->
in README.md from the registries; --check exits 1 if they differ instead.`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, { boolean: ["help", "check"] });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const path = new URL("../../README.md", import.meta.url).pathname;
  const text = await Deno.readTextFile(path);
  const updated = withRegistryTables(text);
  const upToDate = registryTablesUpToDate(text);
  if (args.check) {
    console.log(`docs: README is ${upToDate ? "up to date" : "out of date (deno task docs)"}`);
    return upToDate ? 0 : 1;
  }
  if (!upToDate) await Deno.writeTextFile(path, updated);
  console.log(
    `docs: README ${upToDate ? "was up to date" : "rewritten (then deno fmt README.md)"}`,
  );
  return 0;
}

if (import.meta.main) await runTask("docs", main);
