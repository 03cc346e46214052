/**
 * The results folder never holds a torn or foreign row.
 */
import { assertEquals, assertRejects } from "@std/assert";
import {
  finishedRunIds,
  prepareRunsFile,
  ResultsError,
  resultsFolder,
} from "../src/results/folder.ts";
import { stringify } from "@std/csv";

const COLUMNS = ["run_id", "value"];

Deno.test("a torn last row (a crash mid-append) is ignored when read and cut before appending", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const folder = resultsFolder(dir);
    await Deno.writeTextFile(
      folder.runsFile,
      stringify([COLUMNS, ["0000000000aa", "1"]]) + "0000000000bb,2",
    );
    assertEquals(await finishedRunIds(dir), new Set(["0000000000aa"]));
    await prepareRunsFile(folder, COLUMNS, []);
    assertEquals(
      await Deno.readTextFile(folder.runsFile),
      stringify([COLUMNS, ["0000000000aa", "1"]]),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a runs file with other columns is refused, pointing to recheck and --fresh", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const folder = resultsFolder(dir);
    await Deno.writeTextFile(folder.runsFile, stringify([["run_id", "old"]]));
    await assertRejects(() => prepareRunsFile(folder, COLUMNS, []), ResultsError, "--fresh");
    await assertRejects(
      () => prepareRunsFile(folder, COLUMNS, []),
      ResultsError,
      `deno task recheck ${dir}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("finished runs are read from every shard's file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/runs-shard-0-of-2.csv`,
      stringify([COLUMNS, ["00000000000a", "1"]]),
    );
    await Deno.writeTextFile(
      `${dir}/runs-shard-1-of-2.csv`,
      stringify([COLUMNS, ["00000000000b", "1"]]),
    );
    await Deno.writeTextFile(`${dir}/runs.csv`, stringify([COLUMNS, ["00000000000c", "1"]]));
    await Deno.writeTextFile(`${dir}/unrelated.csv`, stringify([COLUMNS, ["00000000000d", "1"]]));
    assertEquals(
      await finishedRunIds(dir),
      new Set(["00000000000a", "00000000000b", "00000000000c"]),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
