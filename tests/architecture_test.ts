/**
 * The folder tree is the architecture: `src/` is a line of stages, each
 * importing only from itself and the stages before it, with no import
 * cycle anywhere, and the two engines never import from each other. The
 * graph is the one Deno resolves (`deno info --json`), type-only imports
 * included; doc examples are not imports.
 */
import { assert, assertEquals } from "@std/assert";
import { fromFileUrl, join, relative } from "@std/path";

/** The stages of `src/`, in the order they may import each other. */
const STAGES = [
  "core",
  "nn",
  "kinds",
  "engine",
  "design",
  "results",
  "run",
  "analysis",
  "bench",
  "cli",
] as const;

/** Folders inside a stage that may not import from each other. */
const APART: readonly [string, string][] = [["engine/reference/", "engine/fused/"]];

const ROOT = fromFileUrl(new URL("../", import.meta.url));
const SRC = join(ROOT, "src");

/** Every import between `src/` modules, as paths relative to `src/`. */
async function importGraph(): Promise<Map<string, string[]>> {
  const modules: string[] = [];
  const walk = async (directory: string) => {
    for await (const entry of Deno.readDir(directory)) {
      const path = join(directory, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) modules.push(path);
    }
  };
  await walk(SRC);
  const entry = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      entry,
      modules.map((path) => `import ${JSON.stringify(`file://${path}`)};`).join("\n"),
    );
    const { stdout, success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: ROOT,
    }).output();
    assert(success, new TextDecoder().decode(stderr));
    const info = JSON.parse(new TextDecoder().decode(stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
      }[];
    };
    const inSrc = (specifier: string) =>
      specifier.startsWith("file://") && fromFileUrl(specifier).startsWith(SRC + "/")
        ? relative(SRC, fromFileUrl(specifier))
        : undefined;
    const graph = new Map<string, string[]>();
    for (const module of info.modules) {
      const from = inSrc(module.specifier);
      if (!from) continue;
      const to = (module.dependencies ?? []).flatMap((dependency) =>
        [dependency.code?.specifier, dependency.type?.specifier]
          .map((specifier) => specifier && inSrc(specifier))
          .filter((path): path is string => path !== undefined)
      );
      graph.set(from, [...new Set(to)].sort());
    }
    return graph;
  } finally {
    await Deno.remove(entry);
  }
}

/**
 * What breaks the rule in a graph of paths relative to `src/`: modules
 * outside every stage, imports from a later stage, imports between folders
 * kept apart, and cycles (each once, as the path around it).
 */
export function importViolations(
  graph: ReadonlyMap<string, readonly string[]>,
  stages: readonly string[] = STAGES,
  apart: readonly (readonly [string, string])[] = APART,
): string[] {
  const stageOf = (path: string) => stages.indexOf(path.split("/")[0]);
  const problems: string[] = [];
  for (const [from, imports] of graph) {
    if (stageOf(from) < 0) problems.push(`${from} is in no stage (${stages.join(" → ")})`);
    for (const to of imports) {
      if (stageOf(to) > stageOf(from)) {
        problems.push(`${from} imports ${to}, from a later stage`);
      }
      for (const [a, b] of apart) {
        if (
          (from.startsWith(a) && to.startsWith(b)) || (from.startsWith(b) && to.startsWith(a))
        ) problems.push(`${from} imports ${to}: ${a} and ${b} stay apart`);
      }
    }
  }
  // Cycles: a depth-first walk that meets a module still on its path.
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (module: string) => {
    state.set(module, "open");
    path.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === "open") {
        problems.push(`import cycle: ${[...path.slice(path.indexOf(next)), next].join(" → ")}`);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(module, "done");
  };
  for (const module of [...graph.keys()].sort()) if (!state.has(module)) visit(module);
  return problems;
}

Deno.test("every src module imports only from its own stage or earlier ones, with no cycle", async () => {
  const graph = await importGraph();
  assert(graph.size > 50, `the graph holds ${graph.size} modules`);
  assertEquals(importViolations(graph), []);
});

Deno.test("the import rule catches a later stage, a module outside the stages, a cycle and the engines meeting", () => {
  const graph = new Map([
    ["core/a.ts", ["nn/b.ts"]],
    ["nn/b.ts", ["core/c.ts"]],
    ["core/c.ts", ["core/a.ts"]],
    ["top.ts", []],
    ["engine/fused/x.ts", ["engine/reference/y.ts"]],
    ["engine/reference/y.ts", ["engine/contract.ts"]],
    ["engine/contract.ts", ["kinds/k.ts"]],
    ["kinds/k.ts", []],
  ]);
  assertEquals(importViolations(graph), [
    "core/a.ts imports nn/b.ts, from a later stage",
    "top.ts is in no stage (core → nn → kinds → engine → design → results → run → analysis → bench → cli)",
    "engine/fused/x.ts imports engine/reference/y.ts: engine/reference/ and engine/fused/ stay apart",
    "import cycle: core/a.ts → nn/b.ts → core/c.ts → core/a.ts",
  ]);
});

/** The engines' own folders: they execute the schedule and decide nothing of the iteration's order. */
const EXECUTORS = ["engine/reference/", "engine/fused/"];

/**
 * What an engine file may not write: a read of the declared step's fields
 * (the schedule reads them), an update order, or a curve column by name.
 */
const SCHEDULE_ONLY: readonly { pattern: RegExp; what: string }[] = [
  {
    pattern: /\bstep\s*\.\s*(updates|criticSteps|criticStep|penalties|paired|consensus|records)\b/,
    what: "reads the declared step's",
  },
  { pattern: /["'](simultaneous|alternating)["']/, what: "names the update order" },
  {
    pattern: /["'](d_loss_real|d_loss_fake|g_loss|d_real|d_fake)["']/,
    what: "names the curve column",
  },
];

/** The lines of engine files that decide what only the schedule may (doc comments aside). */
function scheduleViolations(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    if (!EXECUTORS.some((folder) => file.startsWith(folder))) continue;
    text.split("\n").forEach((line, k) => {
      if (/^\s*(\*|\/\*\*|\/\/)/.test(line)) return;
      for (const { pattern, what } of SCHEDULE_ONLY) {
        const found = line.match(pattern);
        if (found) problems.push(`${file}:${k + 1} ${what} ${found[1]}`);
      }
    });
  }
  return problems;
}

Deno.test("no engine file decides the iteration: each reads the declared step only through the schedule", async () => {
  const files = new Map<string, string>();
  for (const folder of EXECUTORS) {
    for await (const entry of Deno.readDir(join(SRC, folder))) {
      if (entry.name.endsWith(".ts")) {
        files.set(folder + entry.name, await Deno.readTextFile(join(SRC, folder, entry.name)));
      }
    }
  }
  assert(files.size >= 10, `${files.size} engine files`);
  assertEquals(scheduleViolations(files), []);
});

Deno.test("the schedule rule catches a step field read, an update order and a curve column in an engine file", () => {
  const files = new Map([
    ["engine/fused/x.ts", 'if (plan.step.updates === "simultaneous") keep("g_loss");'],
    [
      "engine/reference/y.ts",
      "for (let k = 0; k < step.criticSteps; k++) {}\n * step.paired in a doc",
    ],
    ["engine/plan.ts", "step.consensus"],
  ]);
  assertEquals(scheduleViolations(files), [
    "engine/fused/x.ts:1 reads the declared step's updates",
    "engine/fused/x.ts:1 names the update order simultaneous",
    "engine/fused/x.ts:1 names the curve column g_loss",
    "engine/reference/y.ts:1 reads the declared step's criticSteps",
  ]);
});
