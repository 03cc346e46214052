/**
 * An experiment's `published` block: validated like every other field
 * (each problem named by file and field, all at once, nothing written),
 * recorded in experiment.json only where present (so no other file's hash
 * or run id moves), and set beside the measured values with a verdict per
 * row: inside or outside the measured interval, or Welch's t test for a
 * published ± over n runs.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { ExperimentError, validateExperiment } from "../src/design/experiment.ts";
import { expandGrid } from "../src/design/grid.ts";
import { experimentSpec } from "../src/run/manifest.ts";
import {
  comparePublished,
  PUBLISHED_COLUMNS,
  publishedMarkdown,
  publishedSection,
  recordedPublished,
} from "../src/analysis/published.ts";
import { readManifest, ResultsError } from "../src/results/folder.ts";
import { readDeclaredRows } from "../src/results/declared.ts";
import { listFiles, parseCsv, ROOT, runTask, workspace, writeExperiment } from "./helpers.ts";

const PAPER = {
  authors: "Mescheder, Geiger & Nowozin",
  year: 2018,
  short: "Which training methods",
};

/** A Dirac-GAN file: updates swept, consensus set by variants, one combination excluded. */
const dirac = (published: unknown, extra: Record<string, unknown> = {}) => ({
  name: "dirac_published",
  base: "dirac",
  sweep: { updates: ["simultaneous", "alternating"] },
  variants: [{ consensus: 0 }, { consensus: 1 }],
  exclude: [{ updates: "alternating", consensus: 1 }],
  seeds: 2,
  iterations: 40,
  published,
  ...extra,
});

const problemsOf = (raw: unknown): string[] => {
  try {
    validateExperiment(raw, "experiments/dirac_published.ts");
  } catch (error) {
    if (!(error instanceof ExperimentError)) throw error;
    return error.message.split("\n");
  }
  throw new Error("the file was accepted");
};

Deno.test("every problem of a published block is named by file and field, all at once, with the rest of the file's", () => {
  const lines = problemsOf(dirac({
    paper: { ...PAPER, doi: "10.x" },
    reportedIn: "Figure 1",
    setting: "the Dirac-GAN, SGD 0.2",
    table: "1",
    values: [
      // A level the file does not declare: consensus is 0 or 1 here.
      {
        configuration: { updates: "simultaneous", consensus: 3 },
        measure: "converged_rate",
        value: 1,
      },
      // A factor the file neither sweeps nor sets by variants, at another level than its base's.
      {
        configuration: { updates: "simultaneous", consensus: 0, loss: "hinge" },
        measure: "converged_rate",
        value: 0,
      },
      // A measure the Dirac-GAN does not have; a negative count.
      {
        configuration: { updates: "simultaneous", consensus: 0 },
        measure: "modes_captured",
        value: 8,
        runs: -2,
      },
      // A ± without a value, a count that is not whole.
      {
        configuration: { updates: "simultaneous", consensus: 1 },
        measure: "distance_to_equilibrium",
        plusMinus: 0.1,
        plusMinusIs: "sd",
        runs: 2.5,
      },
      // A ± that does not say what it is, and an unknown field.
      {
        configuration: { updates: "alternating", consensus: 0 },
        measure: "distance_to_equilibrium",
        value: 1,
        plusMinus: 0.1,
        sd: true,
      },
      // The excluded combination; a configuration that leaves the swept factor open.
      {
        configuration: { updates: "alternating", consensus: 1 },
        measure: "pattern_learned",
        value: 0,
      },
      { configuration: { consensus: 0 }, measure: "pattern_learned", value: 0 },
      // A rate beyond 1; a ± on a rate.
      {
        configuration: { updates: "simultaneous", consensus: 0 },
        measure: "pattern_learned",
        value: 80,
        plusMinus: 5,
        plusMinusIs: "se",
      },
      // The same configuration and measure as values[4]; a ± of an unknown kind.
      {
        configuration: { consensus: 0, updates: "alternating" },
        measure: "distance_to_equilibrium",
        value: 2,
      },
      {
        configuration: { updates: "simultaneous", consensus: 0 },
        measure: "distance_to_equilibrium",
        value: 1,
        plusMinus: 0.1,
        plusMinusIs: "sem",
      },
    ],
  }, { iteration: 5 }));
  const file = "experiments/dirac_published.ts";
  const expected = [
    ["iteration", "unknown field"],
    ["published.table", "unknown field; allowed: paper, reportedIn, setting, values"],
    ["published.paper.doi", "unknown field; allowed: authors, year, title, short"],
    [
      "published.values[0].configuration.consensus",
      "3 is not a level the file's variants give it; they give: 0, 1",
    ],
    [
      "published.values[1].configuration.loss",
      '"hinge": the file neither sweeps loss nor sets it by variants; every run has bce_minimax',
    ],
    ["published.values[2].measure", '"modes_captured" is not a measure of base "dirac"; allowed:'],
    ["published.values[2].runs", "-2 must be a whole number of runs ≥ 1"],
    ["published.values[3].value", "missing: a ± without a value"],
    ["published.values[3].runs", "2.5 must be a whole number of runs ≥ 1"],
    ["published.values[4].sd", "unknown field; allowed: configuration, measure, value"],
    ["published.values[4].plusMinusIs", "missing: say what the ± is; allowed: sd, se"],
    ["published.values[5].configuration", "is left out of the grid by exclude[0]"],
    [
      "published.values[6].configuration",
      "names no level of sweep.updates (simultaneous, alternating)",
    ],
    ["published.values[7].value", "80 is a rate: a fraction from 0 to 1"],
    ["published.values[7].plusMinus", "a rate takes no ±: give the number of runs"],
    [
      "published.values[8]",
      "repeats values[4]: distance_to_equilibrium of updates=alternating; consensus=0",
    ],
    ["published.values[9].plusMinusIs", '"sem" is not allowed; allowed: sd (a standard deviation'],
  ];
  assertEquals(lines[0], `${file}: ${expected.length} problems:`);
  assertEquals(lines.length, expected.length + 1, lines.join("\n"));
  for (const [field, message] of expected) {
    const line = lines.find((one) => one.startsWith(`${file}: ${field}: `));
    assert(line, `no problem named ${field} in:\n${lines.join("\n")}`);
    assertStringIncludes(line, message);
  }
});

Deno.test("a paper without a title or short name, a value of a configuration no variant has, and a search are refused", () => {
  const block = (values: unknown[], paper: unknown = PAPER) => ({
    paper,
    reportedIn: "Table 1",
    setting: "s",
    values,
  });
  assertEquals(
    problemsOf(dirac(block([], { authors: "A", year: 2018 }))).slice(1).map((line) =>
      line.slice("experiments/dirac_published.ts: ".length)
    ),
    [
      "published.paper: names no title or short name: give title, short, or both",
      "published.values: must be a non-empty list of { configuration, measure, value, … }",
    ],
  );
  const twoFactorVariants = dirac(
    block([{
      configuration: { updates: "simultaneous", consensus: 1, instanceNoise: 0.5 },
      measure: "converged_rate",
      value: 1,
    }]),
    { variants: [{ consensus: 1 }, { instanceNoise: 0.5 }], exclude: [] },
  );
  assertStringIncludes(
    problemsOf(twoFactorVariants)[0],
    "published.values[0].configuration: no variant has these levels together; " +
      'the variants: {"consensus":1}, {"instanceNoise":0.5}',
  );
  assertStringIncludes(
    problemsOf({
      name: "s",
      base: "dirac",
      search: { samples: 2, space: { "lr.d": { distribution: "choice", options: [0.1, 0.2] } } },
      published: block([{ configuration: {}, measure: "converged_rate", value: 1 }]),
    })[0],
    "published: a random search's configurations are drawn, not declared",
  );
});

Deno.test("the block enters experiment.json's spec only where present: other files' hashes and every run id stay as they were", async () => {
  const published = {
    paper: PAPER,
    reportedIn: "Figure 1",
    setting: "the Dirac-GAN",
    values: [{
      configuration: { updates: "simultaneous", consensus: 1 },
      measure: "converged_rate",
      value: 1,
    }],
  };
  const without = validateExperiment(dirac(undefined), "a.ts");
  const withBlock = validateExperiment(dirac(published), "a.ts");
  const [plain, cited] = [await experimentSpec(without), await experimentSpec(withBlock)];
  assert(!("published" in plain.spec), "a file without the block records a published key");
  assertEquals(cited.spec.published, published);
  // Everything else is recorded as before: the specs differ by the block alone.
  const { published: _, ...rest } = cited.spec;
  assertEquals(rest, plain.spec);
  assert(plain.hash !== cited.hash);
  assertEquals(
    (await expandGrid(withBlock)).map((run) => run.id),
    (await expandGrid(without)).map((run) => run.id),
  );
});

/** Synthetic declared rows of the Dirac-GAN: distances and verdicts per consensus level. */
const rows = [
  ...[1.4, 1.5, 1.6].map((d) => ({ consensus: "0", distance: d, verdict: "cycling" })),
  ...[0.2, 0.4, 0.3, 0.5].map((d) => ({ consensus: "1", distance: d, verdict: "converged" })),
  { consensus: "1", distance: 0.6, verdict: "stalled" },
].map(({ consensus, distance, verdict }, i) => ({
  base: "dirac",
  updates: "simultaneous",
  consensus,
  seed: String(i + 1),
  distance_to_equilibrium: String(distance),
  dirac_verdict: verdict,
  pattern_learned: String(verdict === "converged"),
}));

Deno.test("the side-by-side table: a value inside the measured interval, one outside, a ± over n runs by Welch's t, a rate against Wilson's interval", () => {
  const published = {
    paper: PAPER,
    reportedIn: "Figure 1",
    setting: "the Dirac-GAN",
    values: [
      // consensus 0: mean 1.5, s 0.1, t(0.975, 2) 4.303: 1.5 ± 0.248, so 1.6 is inside, 2 outside.
      { configuration: { consensus: 0 }, measure: "distance_to_equilibrium", value: 1.6 },
      // None of 3 converged: Wilson (0, 0.561) leaves out 0.6.
      { configuration: { consensus: 0 }, measure: "converged_rate", value: 0.6 },
      // consensus 1 (the first four rows and a fifth of 0.6): see below.
      {
        configuration: { consensus: 1 },
        measure: "distance_to_equilibrium",
        value: 0.7,
        plusMinus: 0.05,
        plusMinusIs: "se",
        runs: 9,
      },
      { configuration: { consensus: 1 }, measure: "pattern_learned", value: 0.8, runs: 10 },
    ],
  } as const;
  const table = comparePublished(rows, { published, base: "dirac" });
  assertEquals(table.map((row) => [row.configuration, row.test, row.verdict]), [
    ["consensus=0", "t interval", "inside"],
    ["consensus=0", "Wilson interval", "outside"],
    ["consensus=1", "Welch t", "differs at 5%"],
    ["consensus=1", "Wilson interval", "inside"],
  ]);
  const [inside, rate0, welch, rate1] = table;
  assertAlmostEquals(inside.low, 1.5 - 4.302652730 * 0.1 / Math.sqrt(3), 1e-6);
  assertEquals([inside.runs, rate0.successes, rate0.runs], [3, 0, 3]);
  assertAlmostEquals(rate0.high, 0.561497, 1e-6);
  // By hand: measured 0.2, 0.4, 0.3, 0.5, 0.6: mean 0.4, s² 0.025 over n 5; published se 0.05
  // over 9 runs is sd 0.15, s² 0.0225. se² = 0.0225/9 + 0.025/5 = 0.0075, t = −0.3/√0.0075
  // = −3.4641; df = 0.0075² / ((0.0025)²/8 + (0.005)²/4) = 8; two-sided p = 0.008516
  // (scipy.stats.ttest_ind_from_stats(0.7, 0.15, 9, 0.4, √0.025, 5, equal_var=False)).
  assertAlmostEquals(welch.measured, 0.4, 1e-12);
  assertAlmostEquals(welch.p, 0.0085163, 1e-6);
  // 4 of 5 converged: Wilson (0.376, 0.964) holds 0.8.
  assertEquals([rate1.successes, rate1.runs], [4, 5]);
  assertAlmostEquals(rate1.low, 0.3755, 1e-4);

  // The same published mean with its ± read as a standard deviation is consistent (p 0.56).
  const sd = comparePublished(rows.slice(0, 7).filter((row) => row.consensus === "1"), {
    base: "dirac",
    published: {
      ...published,
      values: [{
        configuration: { consensus: 1 },
        measure: "distance_to_equilibrium",
        value: 0.4,
        plusMinus: 0.15,
        plusMinusIs: "sd",
        runs: 9,
      }],
    },
  });
  // scipy: ttest_ind_from_stats(0.4, 0.15, 9, 0.35, s of (0.2, 0.4, 0.3, 0.5), 4) p = 0.5603.
  assertAlmostEquals(sd[0].p, 0.560298, 1e-5);
  assertEquals(sd[0].verdict, "consistent");

  const text = publishedMarkdown(published, table);
  assertStringIncludes(
    text,
    "Published: Mescheder, Geiger & Nowozin (2018), Which training methods, Figure 1: the Dirac-GAN.",
  );
  assertStringIncludes(text, "0.7 ± 0.05 (se), n 9");
  assertStringIncludes(text, "Welch t, p 0.0085");
  assertStringIncludes(text, "4/5 = 0.8 (0.376–0.964)");
});

Deno.test("a published value without runs, or a configuration whose runs are missing, says so", () => {
  const published = {
    paper: PAPER,
    reportedIn: "Table 1",
    setting: "s",
    values: [
      {
        configuration: { consensus: 0 },
        measure: "distance_to_equilibrium",
        value: 1.5,
        plusMinus: 0.1,
        plusMinusIs: "sd",
      },
      { configuration: { consensus: 1 }, measure: "distance_to_equilibrium", value: 0.4 },
    ],
  } as const;
  const table = comparePublished(rows.filter((row) => row.consensus === "0"), {
    published,
    base: "dirac",
  });
  assertEquals(table.map((row) => [row.verdict, row.note]), [
    ["inside", "± over an unstated number of runs: not tested"],
    ["not run", undefined],
  ]);
});

Deno.test("a tiny Dirac-GAN sweep with a published block: experiment.json records it, and published.csv answers from the runs", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "dirac_published",
      `{ name: "dirac_published", base: "dirac", variants: [{ consensus: 0 }, { consensus: 1 }],
         seeds: 2, iterations: 40, recordEvery: 10, patternEvery: 10,
         published: {
           paper: { authors: "Mescheder, Geiger & Nowozin", year: 2018, short: "Which training methods" },
           reportedIn: "Figure 1", setting: "the Dirac-GAN, SGD 0.2, alternating",
           values: [
             { configuration: { consensus: 0 }, measure: "distance_to_equilibrium", value: 1.4142 },
             { configuration: { consensus: 1 }, measure: "distance_to_equilibrium", value: 0,
               plusMinus: 0.01, plusMinusIs: "sd", runs: 8 },
             { configuration: { consensus: 1 }, measure: "converged_rate", value: 1, runs: 8 },
           ],
         } }`,
    );
    const result = await runTask("sweep", [file, "--quiet"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    const folder = `${dir}/results/dirac_published`;
    const manifest = await readManifest(folder);
    const recorded = recordedPublished(manifest);
    assertEquals(recorded?.base, "dirac");
    assertEquals(recorded?.published.values.length, 3);
    assertEquals(recorded?.published.reportedIn, "Figure 1");

    const { rows: declared } = await readDeclaredRows(folder);
    const text = await publishedSection(folder, declared, manifest);
    assertStringIncludes(
      text!,
      "Published: Mescheder, Geiger & Nowozin (2018), Which training methods, Figure 1",
    );
    const [header, ...lines] = parseCsv(await Deno.readTextFile(`${folder}/published.csv`));
    assertEquals(header, [...PUBLISHED_COLUMNS]);
    assertEquals(lines.map((line) => line.slice(0, 2)), [
      ["consensus=0", "distance_to_equilibrium"],
      ["consensus=1", "distance_to_equilibrium"],
      ["consensus=1", "converged_rate"],
    ]);
    const at = (line: string[], column: string) => line[header.indexOf(column)];
    // Each measured value is the mean of that configuration's rows in runs.csv.
    for (const [line, consensus] of [[lines[0], "0"], [lines[1], "1"]] as const) {
      const own = declared.filter((row) => row.consensus === consensus);
      const mean = own.reduce((sum, row) => sum + Number(row.distance_to_equilibrium), 0) /
        own.length;
      assertEquals(at(line, "measured_runs"), "2");
      assertAlmostEquals(Number(at(line, "measured")), mean, 1e-5 * Math.max(1, mean));
    }
    assertEquals(at(lines[1], "test"), "Welch t");
    const converged = declared.filter((row) =>
      row.consensus === "1" && row.dirac_verdict === "converged"
    ).length;
    assertEquals(at(lines[2], "measured_successes"), String(converged));
    assert(
      ["inside", "outside", "consistent", "differs at 5%", "too few runs"]
        .includes(at(lines[0], "verdict")),
    );

    // A block edited by hand after the sweep is refused in words, naming the file and field.
    const edited = structuredClone(manifest) as { experiment: { published: { values: object[] } } };
    edited.experiment.published.values[0] = { configuration: { consensus: 7 }, measure: "x" };
    const error = assertThrows(
      () => recordedPublished(edited, `${folder}/experiment.json`),
      ResultsError,
    );
    assertEquals(error.message.split("\n").map((line: string) => line.split(": ").slice(0, 2)), [
      [`${folder}/experiment.json`, "published.values[0].configuration.consensus"],
      [`${folder}/experiment.json`, "published.values[0].measure"],
      [`${folder}/experiment.json`, "published.values[0].value"],
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("deno task sweep refuses a bad published block with the file and field, no stack trace, and writes nothing", async () => {
  const { dir, cleanup } = await workspace();
  try {
    const file = await writeExperiment(
      dir,
      "bad_published",
      `{ name: "bad_published", base: "ring", seeds: 1, iterations: 10,
         published: { paper: { authors: "Srivastava et al.", year: 2017, short: "VEEGAN" },
           reportedIn: "Table 1", setting: "ring of 8",
           values: [{ configuration: { consensus: 10 }, measure: "modes_captured", value: 8, runs: -1 }] } }`,
    );
    const result = await runTask("sweep", [file], { cwd: dir });
    assertEquals(result.code, 2, result.stderr);
    assertStringIncludes(result.stderr, `${file}: 2 problems:`);
    assertStringIncludes(
      result.stderr,
      `${file}: published.values[0].configuration.consensus: 10: the file neither sweeps consensus`,
    );
    assertStringIncludes(
      result.stderr,
      `${file}: published.values[0].runs: -1 must be a whole number of runs ≥ 1`,
    );
    assert(!/^\s+at /m.test(result.stderr), result.stderr);
    assertEquals(await listFiles(`${dir}/results`), []);
  } finally {
    await cleanup();
  }
});

Deno.test("deno check refuses a misspelt measure, ± kind or paper field in a typed file, and accepts a good block", async () => {
  const { dir, cleanup } = await workspace();
  const block = (paper: string, value: string) =>
    `{ name: "x", base: "ring", variants: [{ consensus: 0 }, { consensus: 10 }],
       published: { paper: ${paper}, reportedIn: "Table 1", setting: "s",
         values: [{ configuration: { consensus: 10 }, ${value} }] } }`;
  const paper = `{ authors: "A", year: 2017, short: "B" }`;
  try {
    const check = async (file: string) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["check", `--config=${ROOT}/deno.json`, file],
        cwd: dir,
        env: { NO_COLOR: "1" },
      }).output();
      return { code: output.code, text: new TextDecoder().decode(output.stderr) };
    };
    const bad = {
      measure: block(paper, `measure: "modes", value: 8`),
      kind: block(paper, `measure: "modes_captured", value: 8, plusMinus: 1, plusMinusIs: "sem"`),
      value: block(paper, `measure: "modes_captured", value: 8, sd: 1`),
      paper: block(
        `{ authors: "A", year: 2017, short: "B", doi: "10.1" }`,
        `measure: "modes_captured", value: 8`,
      ),
    };
    for (const [name, body] of Object.entries(bad)) {
      const result = await check(await writeExperiment(dir, `bad_${name}`, body));
      assert(result.code !== 0, `deno check passed bad_${name}.ts`);
      assertStringIncludes(result.text, `bad_${name}.ts`);
    }
    const good = await check(
      await writeExperiment(
        dir,
        "good",
        block(
          `{ authors: "A", year: 2017, title: "T", short: "B" }`,
          `measure: "modes_captured", value: 6.3, plusMinus: 0.5, plusMinusIs: "se", runs: 10,
           note: "n" }, { configuration: { consensus: 0 }, measure: "converged_rate", value: 0`,
        ),
      ),
    );
    assertEquals(good.code, 0, good.text);
  } finally {
    await cleanup();
  }
});
