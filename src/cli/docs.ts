/**
 * `deno task docs`: rewrites the generated tables of `docs/experiments.md`
 * (losses, optimisers, penalties, normalisations) from the registries;
 * `--check` only says whether they are up to date (exit 1 if not).
 *
 * @module
 */
import { parseStrict, runTask } from "./args.ts";
import {
  missingRegistryTables,
  registryTablesUpToDate,
  withRegistryTables,
} from "../kinds/docs.ts";

/** The file that holds the generated tables, from the repository's root. */
const TABLES_FILE = "docs/experiments.md";

const USAGE = `usage: deno task docs [--check]

Rewrites the tables between <!-- generated: NAME --> and <!-- end generated -->
in ${TABLES_FILE} from the registries; --check exits 1 if they differ instead.`;

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, { boolean: ["help", "check"] });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const path = new URL(`../../${TABLES_FILE}`, import.meta.url).pathname;
  const text = await Deno.readTextFile(path);
  const missing = missingRegistryTables(text);
  if (missing.length) {
    console.error(
      `docs: ${TABLES_FILE} lacks the markers of ${missing.join(", ")}: add ` +
        `<!-- generated: NAME --> and <!-- end generated --> lines where each table belongs`,
    );
    return 1;
  }
  const updated = withRegistryTables(text);
  const upToDate = registryTablesUpToDate(text);
  if (args.check) {
    console.log(
      `docs: ${TABLES_FILE} is ${upToDate ? "up to date" : "out of date (deno task docs)"}`,
    );
    return upToDate ? 0 : 1;
  }
  if (!upToDate) await Deno.writeTextFile(path, updated);
  console.log(
    `docs: ${TABLES_FILE} ${
      upToDate ? "was up to date" : `rewritten (then deno fmt ${TABLES_FILE})`
    }`,
  );
  return 0;
}

if (import.meta.main) await runTask("docs", main);
