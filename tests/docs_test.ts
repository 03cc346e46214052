/**
 * The README and docs/ say what the code has: the factor table of
 * docs/experiments.md names every factor and its runs.csv columns, the column
 * table of docs/results.md every column of runs.csv (a problem's included),
 * the README's tasks table every deno.json task, docs/reading.md every
 * `--by` grouping; every relative link resolves; the README stays short.
 * Each check is tested on a copy with a row removed or added.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { FACTOR_NAMES, FACTOR_VOCABULARY } from "../src/design/levels.ts";
import { PROBLEM_KINDS } from "../src/design/problems/mod.ts";
import { runColumns } from "../src/results/folder.ts";
import { CURVE_COLUMNS } from "../src/engine/step.ts";
import { SUMMARY_FACTORS } from "../src/analysis/summary.ts";
import { validateExperiment } from "../src/design/experiment.ts";
import { expandGrid } from "../src/design/grid.ts";
import { MOD_URL, ROOT } from "./helpers.ts";

const read = (path: string) => Deno.readTextFileSync(`${ROOT}/${path}`);

/** Every markdown file the docs consist of, from the root: README.md and docs/**. */
function markdownFiles(): string[] {
  const files = ["README.md"];
  const walk = (folder: string) => {
    for (
      const entry of [...Deno.readDirSync(`${ROOT}/${folder}`)].sort((a, b) =>
        a.name < b.name ? -1 : 1
      )
    ) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".md")) files.push(path);
    }
  };
  walk("docs");
  return files;
}

/** A table row's cells (a `\|` inside a cell is text, not a divider). */
function cells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((cell) =>
    cell.trim()
  );
}

/** The body rows of the first table whose header's first cell is `header`. */
function tableRows(text: string, header: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith("|") && cells(line)[0] === header);
  if (start < 0) throw new Error(`no table headed "${header}"`);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith("|"); i++) {
    rows.push(cells(lines[i]));
  }
  return rows;
}

/** The `code` spans of a cell, in order. */
const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

/** The factor table of an experiments doc: each factor with the runs.csv columns it names. */
function documentedFactors(text: string): [string, string[]][] {
  return tableRows(text, "factor").map((row) => [spans(row[0])[0], spans(row[1])]);
}

/** The runs.csv columns a results doc's column table names, in order. */
function documentedColumns(text: string): string[] {
  return tableRows(text, "columns").flatMap((row) => spans(row[0]));
}

/** Every runs.csv column the code writes, in order: the shared ones, then each problem's own. */
function codeColumns(): string[] {
  // Width 2: the doc names g_out_0 and g_out_1, then "…" for the rest.
  const columns = runColumns(2);
  for (const kind of Object.values(PROBLEM_KINDS)) {
    for (const column of kind.columns) if (!columns.includes(column)) columns.push(column);
  }
  return columns;
}

/** The tasks a README's tasks table names (`deno task NAME …`). */
function documentedTasks(text: string): Set<string> {
  return new Set(
    tableRows(text, "task").map((row) => spans(row[0])[0].match(/^deno task ([\w:]+)/)?.[1] ?? ""),
  );
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/`/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").trim()
    .replace(/\s/g, "-");
}

/** The relative links of a markdown file that do not resolve, as `file: target`. */
function brokenLinks(path: string, text: string): string[] {
  const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  const broken: string[] = [];
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [file, anchor] = target.split("#");
    const resolved = file === "" ? path : `${folder}/${file}`;
    let ok = true;
    try {
      Deno.statSync(`${ROOT}/${resolved}`);
    } catch {
      ok = false;
    }
    if (ok && anchor !== undefined && resolved.endsWith(".md")) {
      const headings = read(resolved).split("\n").filter((line) => /^#{1,6} /.test(line))
        .map((line) => slug(line.replace(/^#+ /, "")));
      ok = headings.includes(anchor);
    }
    if (!ok) broken.push(`${path}: ${target}`);
  }
  return broken;
}

const EXPERIMENTS = read("docs/experiments.md");
const RESULTS = read("docs/results.md");
const README = read("README.md");

Deno.test("docs/experiments.md's factor table names every factor and its runs.csv columns, in order", () => {
  assertEquals(
    documentedFactors(EXPERIMENTS),
    FACTOR_NAMES.map((name) => [name, [...FACTOR_VOCABULARY[name].columns]]),
  );
});

Deno.test("the factor check fails on a table that misses a factor or names one the code lacks", () => {
  const lines = EXPERIMENTS.split("\n");
  const row = lines.findIndex((line) => line.startsWith("| `consensus`"));
  assert(row > 0);
  const without = [...lines.slice(0, row), ...lines.slice(row + 1)].join("\n");
  const extra = [
    ...lines.slice(0, row),
    "| `momentum` | `momentum` | a factor |",
    ...lines.slice(row),
  ]
    .join("\n");
  for (const text of [without, extra]) {
    assertThrows(() =>
      assertEquals(
        documentedFactors(text),
        FACTOR_NAMES.map((name) => [name, [...FACTOR_VOCABULARY[name].columns]]),
      )
    );
  }
});

Deno.test("docs/results.md's column table names every runs.csv column, a problem's included, in order", () => {
  assertEquals(documentedColumns(RESULTS), codeColumns());
  const curves = tableRows(RESULTS, "file").find((row) => row[0] === "`curves/<run_id>.csv`");
  assert(curves?.[1].includes(`\`iteration, ${CURVE_COLUMNS.join(", ")}\``), "the curve columns");
});

Deno.test("the column check fails on a table that misses a column or names one the code lacks", () => {
  const without = RESULTS.replace("`pattern_ordered_fraction`, ", "");
  const extra = RESULTS.replace("`theta`, ", "`theta`, `phi`, ");
  assert(without !== RESULTS && extra !== RESULTS);
  for (const text of [without, extra]) {
    assertThrows(() => assertEquals(documentedColumns(text), codeColumns()));
  }
});

Deno.test("the README's tasks table lists every deno.json task, and no other", () => {
  const tasks = Object.keys(JSON.parse(read("deno.json")).tasks);
  assertEquals([...documentedTasks(README)].sort(), [...tasks].sort());
  const lines = README.split("\n").filter((line) => !line.startsWith("| `deno task thin"));
  assert([...documentedTasks(lines.join("\n"))].sort().join() !== [...tasks].sort().join());
});

Deno.test("docs/reading.md names every grouping summary --by accepts", () => {
  const reading = read("docs/reading.md");
  const missing = Object.keys(SUMMARY_FACTORS).filter((key) => !reading.includes(`\`${key}\``));
  assertEquals(missing, []);
});

Deno.test("every relative link in README.md and docs/ points at a file (and heading) that exists", () => {
  const files = markdownFiles();
  assert(files.length > 10, `only ${files.length} markdown files found`);
  assertEquals(files.flatMap((path) => brokenLinks(path, read(path))), []);
  assertEquals(brokenLinks("README.md", "[x](docs/nowhere.md) [y](docs/results.md#nowhere)"), [
    "README.md: docs/nowhere.md",
    "README.md: docs/results.md#nowhere",
  ]);
});

Deno.test("the README is at most 200 lines, none longer than 200 characters", () => {
  const lines = README.trimEnd().split("\n");
  assert(lines.length <= 200, `README.md has ${lines.length} lines`);
  const long = lines.filter((line) => [...line].length > 200);
  assertEquals(long, []);
});

Deno.test("every experiment file shown in README.md and docs/ is valid and expands to runs", async () => {
  const folder = await Deno.makeTempDir();
  let shown = 0;
  try {
    for (const path of markdownFiles()) {
      const blocks = [...read(path).matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1])
        .filter((code) => code.includes("defineExperiment("));
      for (const [i, code] of blocks.entries()) {
        const file = `${folder}/${path.replaceAll("/", "_")}-${i}.ts`;
        await Deno.writeTextFile(file, code.replace('"../mod.ts"', JSON.stringify(MOD_URL)));
        const { default: spec } = await import(new URL(`file://${file}`).href);
        const runs = await expandGrid(validateExperiment(spec, `${path} (example ${i + 1})`));
        assert(runs.length > 0, `${path}'s example ${i + 1} has no runs`);
        shown++;
      }
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
  assert(shown >= 2, `only ${shown} experiment examples found`);
});

/** The repository paths a markdown text names in code spans that do not exist (placeholders such as NAME and globs aside). */
function missingPaths(text: string): string[] {
  const missing: string[] = [];
  for (const [, span] of text.matchAll(/`([^`\n]+)`/g)) {
    for (
      const [, path] of ` ${span}`.matchAll(
        /[\s(]((?:src|tests|experiments|deploy)\/[\w./*-]*[\w*])/g,
      )
    ) {
      if (/[A-Z]{3,}|\*/.test(path)) continue;
      try {
        Deno.statSync(`${ROOT}/${path}`);
      } catch {
        missing.push(path);
      }
    }
  }
  return missing;
}

Deno.test("every repository path README.md and docs/ name exists", () => {
  assertEquals(markdownFiles().flatMap((path) => missingPaths(read(path))), []);
  assertEquals(missingPaths("`src/engine/contract.ts` and `src/kinds/losses/NAME.ts`"), [
    "src/engine/contract.ts",
  ]);
});
