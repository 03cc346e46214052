/**
 * `deno task thin RESULTS_DIR... --curves-every N --patterns-every M [--samples-keep K]`:
 * keeps every N-th iteration of each run's curve file and every M-th of its
 * pattern file, and with `--samples-keep` the first K of a mixture run's
 * kept samples (to keep a committed results folder small), and records the
 * thinning in the folder's experiment.json. `runs.csv` is untouched: its
 * checks were measured at full resolution.
 *
 * @module
 */
import { assertResultsFolders, FolderArgumentError } from "./folder_arguments.ts";
import { parseStrict, runTask, UsageError } from "./args.ts";
import { writeAtomically } from "../results/folder.ts";
import { experimentFolders } from "../results/folders.ts";

const USAGE =
  `usage: deno task thin RESULTS_DIR... --curves-every N --patterns-every M [--samples-keep K]

Keeps the rows of curves/*.csv whose iteration is a multiple of N, and of
patterns/*.csv a multiple of M; with --samples-keep, the first K samples of
each samples/*.csv (a mixture run's final G; they are i.i.d. draws, so the
first K are a fair subsample); records this in experiment.json.`;

/**
 * Keeps the header and the first `keep` rows of a samples file.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { keepFirstRows } from "./thin.ts";
 * assertEquals(keepFirstRows("g_out_0,g_out_1\r\n1,2\r\n3,4\r\n5,6\r\n", 2), "g_out_0,g_out_1\n1,2\n3,4\n");
 * ```
 */
export function keepFirstRows(text: string, keep: number): string {
  const [header, ...rows] = text.split(/\r?\n/).filter(Boolean);
  return [header, ...rows.slice(0, keep)].join("\n") + "\n";
}

async function keepSamples(folder: string, keep: number): Promise<number> {
  let count = 0;
  try {
    for await (const entry of Deno.readDir(`${folder}/samples`)) {
      if (!entry.isFile || !entry.name.endsWith(".csv")) continue;
      const path = `${folder}/samples/${entry.name}`;
      await writeAtomically(path, keepFirstRows(await Deno.readTextFile(path), keep));
      count++;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return count;
}

/** Keeps the header and the rows whose first field is a multiple of `every`. */
export function thinCsv(text: string, every: number): string {
  const [header, ...rows] = text.split("\n").filter(Boolean);
  const kept = rows.filter((row) => Number(row.slice(0, row.indexOf(","))) % every === 0);
  return [header, ...kept].join("\n") + "\n";
}

async function thinFolder(folder: string, sub: string, every: number): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(`${folder}/${sub}`)) {
    if (!entry.isFile || !entry.name.endsWith(".csv")) continue;
    const path = `${folder}/${sub}/${entry.name}`;
    await writeAtomically(path, thinCsv(await Deno.readTextFile(path), every));
    count++;
  }
  return count;
}

async function main(argv: string[]): Promise<number> {
  const args = parseStrict(argv, {
    string: ["curves-every", "patterns-every", "samples-keep"],
    boolean: ["help"],
  });
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const curvesEvery = Number(args["curves-every"]);
  const patternsEvery = Number(args["patterns-every"]);
  const samplesKeep = args["samples-keep"] === undefined ? undefined : Number(args["samples-keep"]);
  if (samplesKeep !== undefined && !(Number.isInteger(samplesKeep) && samplesKeep >= 1)) {
    throw new UsageError(`--samples-keep must be an integer ≥ 1 (got ${args["samples-keep"]})`);
  }
  if (args._.length === 0) throw new UsageError("name at least one results folder");
  for (
    const [option, value] of [["curves-every", curvesEvery], ["patterns-every", patternsEvery]]
  ) {
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new UsageError(`--${option} must be an integer ≥ 1 (got ${args[option as string]})`);
    }
  }
  await assertResultsFolders("thin", args._.map(String));
  const folders = await experimentFolders(args._.map(String)).catch((error) => {
    throw new UsageError(error.message);
  });
  for (const folder of folders) {
    const runs = await thinFolder(folder, "curves", curvesEvery);
    await thinFolder(folder, "patterns", patternsEvery);
    const sampled = samplesKeep === undefined ? 0 : await keepSamples(folder, samplesKeep);
    for await (const entry of Deno.readDir(folder)) {
      if (!/^experiment(-shard-\d+-of-\d+)?\.json$/.test(entry.name)) continue;
      const path = `${folder}/${entry.name}`;
      const manifest = JSON.parse(await Deno.readTextFile(path));
      manifest.thinned = {
        curves_every: curvesEvery,
        patterns_every: patternsEvery,
        ...(sampled ? { samples_kept: samplesKeep } : {}),
        at: new Date().toISOString(),
        note: "runs.csv was measured on the full curves before thinning",
      };
      await writeAtomically(path, JSON.stringify(manifest, null, 2) + "\n");
    }
    console.log(
      `thin: ${folder}: ${runs} runs' curves every ${curvesEvery}, patterns every ${patternsEvery}` +
        (sampled ? `, the first ${samplesKeep} samples of ${sampled} runs` : ""),
    );
  }
  return 0;
}

if (import.meta.main) await runTask("thin", main, [FolderArgumentError]);
