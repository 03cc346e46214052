/**
 * The runs a results folder's current definition declares: what summaries
 * and reports read. A folder may also hold runs of an earlier definition
 * (a level since edited, a seed since removed); they stay in `runs.csv`,
 * never deleted, and are left out of every table, with a line that says so.
 *
 * @module
 */
import { readManifest, readRunRows, ResultsError, type Warn } from "./folder.ts";
import { formatOf } from "./format.ts";

/** A folder's rows, split by whether its definition declares them. */
export interface DeclaredRows {
  /** The rows of runs the folder's `experiment.json` declares (every row before format 2). */
  readonly rows: Record<string, string>[];
  /** How many finished runs the folder holds that its definition no longer declares. */
  readonly undeclared: number;
}

/**
 * The ids of the runs a manifest declares (`declared_runs`, format 2 on);
 * undefined for a manifest that records none (format 1: every run counts).
 *
 * @throws {ResultsError} if `declared_runs` is there but not a list of run ids.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { declaredRunIds } from "./declared.ts";
 * assertEquals(declaredRunIds({ format: 2, declared_runs: ["0123456789ab"] }), new Set(["0123456789ab"]));
 * assertEquals(declaredRunIds({}), undefined);
 * ```
 */
export function declaredRunIds(
  manifest: Record<string, unknown>,
  file = "experiment.json",
): Set<string> | undefined {
  formatOf(manifest, file);
  const declared = manifest.declared_runs;
  if (declared === undefined) return undefined;
  if (
    !Array.isArray(declared) ||
    !declared.every((id) => typeof id === "string" && /^[0-9a-f]{12}$/.test(id))
  ) {
    throw new ResultsError(`${file}: declared_runs must be a list of 12-digit run ids`);
  }
  return new Set(declared);
}

/**
 * Every well-formed row of a folder's runs files that its definition
 * declares, and how many others it holds.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readDeclaredRows } from "./declared.ts";
 * const folder = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${folder}/runs.csv`, "run_id,seed\n000000000001,1\n000000000002,2\n");
 * await Deno.writeTextFile(`${folder}/experiment.json`, '{"format":2,"declared_runs":["000000000001"]}');
 * const { rows, undeclared } = await readDeclaredRows(folder);
 * assertEquals([rows.map((row) => row.seed), undeclared], [["1"], 1]);
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function readDeclaredRows(directory: string, warn?: Warn): Promise<DeclaredRows> {
  const all = await readRunRows(directory, warn);
  const declared = declaredRunIds(await readManifest(directory), `${directory}/experiment.json`);
  if (!declared) return { rows: all, undeclared: 0 };
  const rows = all.filter((row) => declared.has(row.run_id));
  return { rows, undeclared: all.length - rows.length };
}

/**
 * The line that says a folder holds runs its definition does not declare;
 * undefined if it holds none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { undeclaredNote } from "./declared.ts";
 * assertEquals(
 *   undeclaredNote("results/grid", 8),
 *   "results/grid also holds 8 runs of an earlier definition, left out: see runs.csv",
 * );
 * assertEquals(undeclaredNote("results/grid", 0), undefined);
 * ```
 */
export function undeclaredNote(directory: string, undeclared: number): string | undefined {
  if (undeclared === 0) return undefined;
  return `${directory} also holds ${undeclared} run${undeclared === 1 ? "" : "s"} of an ` +
    "earlier definition, left out: see runs.csv";
}
