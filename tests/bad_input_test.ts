/**
 * Every kind of bad input gets a clear message naming the file, the field
 * and what is allowed, exits non-zero, and writes nothing.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  listFiles,
  MOD_URL,
  runTask,
  tinyExperiment,
  workspace,
  writeExperiment,
} from "./helpers.ts";

const GOOD = `{ name: "ok", base: "book", seeds: 1, iterations: 20 }`;

interface BadInput {
  what: string;
  /** The experiment body (defineExperiment's argument), or raw file text with `raw`. */
  experiment?: string;
  raw?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Every piece the error message must contain ({file} is the file's path). */
  says: string[];
}

const CASES: BadInput[] = [
  {
    what: "a log-uniform range that reaches 0",
    experiment:
      `{ name: "x", base: "seed", search: { samples: 4, space: { "lr.d": logUniform(0, 1) } } }`,
    says: ["{file}", "search.space.lr.d", "logUniform(0, 1): both ends must be > 0"],
  },
  {
    what: "a uniform range the wrong way round",
    experiment:
      `{ name: "x", base: "seed", search: { samples: 4, space: { "optimiser.beta1": uniform(2, 1) } } }`,
    says: ["{file}", "search.space.optimiser.beta1", "uniform(2, 1): low must be below high"],
  },
  {
    what: "no samples",
    experiment:
      `{ name: "x", base: "seed", search: { samples: 0, space: { "lr.d": logUniform(1e-4, 1e-2) } } }`,
    says: ["{file}", "search.samples", "0 must be an integer ≥ 1"],
  },
  {
    what: "an empty choice",
    experiment: `{ name: "x", base: "seed", search: { samples: 2, space: { loss: choice([]) } } }`,
    says: ["{file}", "search.space.loss", "choice([]): needs at least one option"],
  },
  {
    what: "a search dimension that names nothing",
    experiment:
      `{ name: "x", base: "seed", search: { samples: 2, space: { "lr.e": uniform(0, 1) } } }`,
    says: ["{file}", "search.space.lr.e", "unknown dimension; allowed: loss, optimiser"],
  },
  {
    what: "a dimension both swept and searched",
    experiment:
      `{ name: "x", base: "seed", sweep: { loss: ["bce"] }, search: { samples: 2, space: { loss: choice(["mse"]) } } }`,
    says: ["{file}", "search.space.loss", "also swept in sweep.loss"],
  },
  {
    what: "an iteration count no memory holds",
    experiment: `{ name: "x", base: "seed", iterations: 1e15 }`,
    says: ["{file}", "iterations: 1,000,000,000,000,000 iterations would record", "PiB per run"],
  },
  {
    what: "a seed count past any plan",
    experiment: `{ name: "x", base: "seed", seeds: 2e6 }`,
    says: ["{file}", "2,000,000 runs; at most 1,000,000 per experiment"],
  },
  {
    what: "a sweep no machine would finish",
    experiment:
      `{ name: "x", base: "seed", seeds: 1e5, iterations: 1e9, recordEvery: 1e6, patternEvery: 1e6 }`,
    says: ["{file}", "100,000 runs × 1,000,000,000 iterations would take over 3 years"],
  },
  {
    what: "zero critic steps",
    experiment: `{ name: "x", base: "seed", sweep: { dSteps: [1, 0] } }`,
    says: ["{file}", "sweep.dSteps[1]", "0 is not allowed", "an integer ≥ 1"],
  },
  {
    what: "a negative gradient-penalty weight",
    experiment: `{ name: "x", base: "seed", sweep: { penalty: [{ gradientPenalty: -1 }] } }`,
    says: ["{file}", "sweep.penalty[0]", "gradientPenalty must be a number λ ≥ 0", '"none"'],
  },
  {
    what: "a negative R2 weight",
    experiment: `{ name: "x", base: "seed", sweep: { penalty: ["none", { r2: -1 }] } }`,
    says: ["{file}", "sweep.penalty[1]", "r2 must be a number γ ≥ 0", "{ r2: a number γ ≥ 0 }"],
  },
  {
    what: "a NaN R2 weight",
    experiment: `{ name: "x", base: "seed", sweep: { penalty: [{ r2: NaN }] } }`,
    says: ["{file}", "sweep.penalty[0]", "r2 must be a number γ ≥ 0"],
  },
  {
    what: "a hidden width of 0",
    experiment: `{ name: "x", base: "seed", sweep: { hidden: [{ d: [3, 0] }] } }`,
    says: ["{file}", "sweep.hidden[0]", "d: 0 is not a positive integer width"],
  },
  {
    what: "a fractional hidden width",
    experiment: `{ name: "x", base: "seed", sweep: { hidden: [{ g: [1.5] }] } }`,
    says: ["{file}", "sweep.hidden[0]", "g: 1.5 is not a positive integer width"],
  },
  {
    what: "a negative hidden width",
    experiment: `{ name: "x", base: "seed", sweep: { hidden: [{ d: [-3] }] } }`,
    says: ["{file}", "sweep.hidden[0]", "d: -3 is not a positive integer width"],
  },
  {
    what: "a hidden width of 10,000",
    experiment: `{ name: "x", base: "seed", sweep: { hidden: [{ d: [10000] }] } }`,
    says: ["{file}", "sweep.hidden[0]", "width 10000", "MiB per run", "at most 1024"],
  },
  {
    what: "simultaneous updates with 5 critic steps",
    experiment: `{ name: "x", base: "seed", sweep: { updates: ["simultaneous"], dSteps: [5] } }`,
    says: [
      "{file}",
      "impossible combination",
      'updates "simultaneous" with dSteps 5',
      'exclude: [{ updates: "simultaneous", dSteps: 5 }]',
    ],
  },
  {
    what: "negative instance noise",
    experiment: `{ name: "x", base: "seed", sweep: { instanceNoise: [0.1, -1] } }`,
    says: ["{file}", "sweep.instanceNoise[1]", "-1 is not allowed", "a number σ ≥ 0"],
  },
  {
    what: "an unknown dUpdate",
    experiment: `{ name: "x", base: "seed", sweep: { dUpdate: ["jointly"] } }`,
    says: ["{file}", "sweep.dUpdate[0]", '"jointly" is not allowed', '"separate"', '"joint"'],
  },
  {
    what: "a misspelt penalty",
    experiment: `{ name: "x", base: "seed", sweep: { penalty: [{ weightclip: 0.01 }] } }`,
    says: ["{file}", "sweep.penalty[0]", '{"weightclip":0.01}', "{ weightClip: a number c > 0 }"],
  },
  {
    what: "an optimiser option that belongs to another optimiser",
    experiment: `{ name: "x", base: "seed", sweep: { optimiser: [{ name: "sgd", beta1: 0.5 }] } }`,
    says: [
      "{file}",
      "sweep.optimiser[0]",
      "sgd takes momentum; beta1 is an option of adam, optimistic_adam",
      'allowed: adam, sgd, rmsprop, optimistic_adam, rmsprop_tf, { name: "adam", beta1?, beta2?, eps? }',
    ],
  },
  {
    what: "an optimiser option out of range",
    experiment:
      `{ name: "x", base: "seed", sweep: { optimiser: [{ name: "rmsprop", alpha: 1 }] } }`,
    says: ["{file}", "sweep.optimiser[0]", "rmsprop's alpha must be 0 ≤ alpha < 1, got 1"],
  },
  {
    what: "a NaN learning rate",
    experiment: `{ name: "x", base: "seed", sweep: { lr: [{ d: NaN, g: 0.01 }] } }`,
    says: ["{file}", "sweep.lr[0]", '{"d":NaN,"g":0.01} is not allowed'],
  },
  {
    what: "a misspelt factor",
    experiment: `{ name: "x", base: "seed", sweep: { losss: ["bce"] } }`,
    says: ["{file}", "sweep.losss", "unknown factor", "allowed: loss, optimiser, lr"],
  },
  {
    what: "an unknown level",
    experiment: `{ name: "x", base: "seed", sweep: { loss: ["bce", "hingee"] } }`,
    says: [
      "{file}",
      "sweep.loss[1]",
      '"hingee" is not allowed',
      "allowed: bce, bce_minimax, mse, hinge, wasserstein",
    ],
  },
  {
    what: "a misspelt field",
    experiment: `{ name: "x", base: "seed", iteration: 100 }`,
    says: ["{file}", "iteration: unknown field", "allowed: name, description, base"],
  },
  {
    what: "an unknown preset",
    experiment: `{ name: "x", base: "seeed" }`,
    says: ["{file}", "base", '"seeed" is not a preset', "allowed: seed, book"],
  },
  {
    what: "a malformed learning rate",
    experiment: `{ name: "x", base: "seed", sweep: { lr: [{ d: 0.001 }] } }`,
    says: ["{file}", "sweep.lr[0]", "allowed: { d: number > 0, g: number > 0 }"],
  },
  {
    what: "a bad optimiser option",
    experiment:
      `{ name: "x", base: "seed", sweep: { optimiser: [{ name: "sgd", momentun: 0.9 }] } }`,
    says: ["{file}", "sweep.optimiser[0]", "allowed: adam, sgd"],
  },
  {
    what: "zero seeds",
    experiment: `{ name: "x", base: "seed", seeds: 0 }`,
    says: ["{file}", "seeds", "count ≥ 1"],
  },
  {
    what: "a level listed twice",
    experiment: `{ name: "x", base: "seed", sweep: { loss: ["bce", "bce"] } }`,
    says: ["{file}", "sweep.loss[1]", "listed twice"],
  },
  {
    what: "an impossible combination (batch norm with batch size 1)",
    experiment: `{ name: "x", base: "seed", sweep: { normalisation: ["batch_norm"] } }`,
    says: [
      "{file}",
      "impossible combination",
      "batch_norm needs a batch size of at least 2",
      "exclude",
    ],
  },
  {
    what: "an exclusion that names an unknown factor",
    experiment: `{ name: "x", base: "seed", exclude: [{ los: "bce" }] }`,
    says: ["{file}", "exclude[0].los", "unknown factor"],
  },
  {
    what: "an unknown check threshold",
    experiment: `{ name: "x", base: "seed", checks: { windw: 0.2 } }`,
    says: ["{file}", "checks.windw", "allowed: window, lossTolerance"],
  },
  {
    what: "a name that cannot be a folder",
    experiment: `{ name: "../elsewhere", base: "seed" }`,
    says: ["{file}", "name", "folder name"],
  },
  {
    what: "no default export",
    raw: `export const experiment = 1;\n`,
    says: ["{file}", "default export", "defineExperiment"],
  },
  {
    what: "a syntax error",
    raw: `export default {{;\n`,
    says: ["{file}", "cannot be loaded"],
  },
  { what: "a missing file", args: ["nowhere.ts"], says: ["nowhere.ts", "no such experiment file"] },
  {
    what: "an unknown option",
    experiment: GOOD,
    args: ["--iteratons", "5"],
    says: ["unknown option --iteratons", "--help"],
  },
  {
    what: "a bad --iterations",
    experiment: GOOD,
    args: ["--iterations", "ten"],
    says: ["--iterations must be an integer ≥ 1"],
  },
  {
    what: "--only with an unknown column",
    experiment: GOOD,
    args: ["--only", "los=mse"],
    says: ['--only: "los=mse"', "column one of: loss, optimiser"],
  },
  {
    what: "--only with a value no run has",
    experiment: GOOD,
    args: ["--only", "loss=bce"],
    says: ["no run has loss=bce", "its values here: mse"],
  },
  {
    what: "a bad --shard",
    experiment: GOOD,
    args: ["--shard", "2/2"],
    says: ["--shard must be K/N"],
  },
  {
    what: "a Kubernetes index without a shard count",
    experiment: GOOD,
    env: { JOB_COMPLETION_INDEX: "1" },
    says: ["JOB_COMPLETION_INDEX", "--shard-count"],
  },
  {
    what: "--out outside results/",
    experiment: GOOD,
    args: ["--out", "elsewhere"],
    says: ["--out elsewhere", "may write only under results/", "--allow-write=elsewhere"],
  },
  {
    what: "an experiment file that reaches for the network",
    raw: `await fetch("http://127.0.0.1:4545/");\nexport default {};\n`,
    says: ["{file}", "not permitted", "net access"],
  },
  {
    what: "an experiment file that writes outside results/",
    raw: `await Deno.writeTextFile("stray.txt", "x");\nexport default {};\n`,
    says: ["{file}", "not permitted", "write access"],
  },
  {
    what: "a problem's name misspelt",
    experiment: `{ name: "x", base: "diracc" }`,
    says: ["{file}", "base", '"diracc" is not a preset', "dirac, ring, grid"],
  },
  {
    what: "a hidden layer asked of the Dirac-GAN",
    experiment: `{ name: "x", base: "dirac", sweep: { hidden: [{ d: [3] }] } }`,
    says: [
      "{file}",
      "sweep.hidden[0]",
      "not in dirac: the Dirac-GAN's players are one parameter each (G(z) = θ, D's score ψ·x)",
    ],
  },
  {
    what: "a negative consensus weight",
    experiment: `{ name: "x", base: "ring", sweep: { consensus: [-1] } }`,
    says: ["{file}", "sweep.consensus[0]", "-1 is not allowed", "a number γ ≥ 0"],
  },
  {
    what: "consensus with a gradient penalty",
    experiment: `{ name: "x", base: "dirac", variants: [{ consensus: 1, penalty: { r1: 1 } }] }`,
    says: ["{file}", "impossible combination", "consensus 1 cannot be trained with the r1 penalty"],
  },
  {
    what: "a variant that sets a swept factor",
    experiment:
      `{ name: "x", base: "dirac", sweep: { loss: ["bce"] }, variants: [{ loss: "hinge" }] }`,
    says: ["{file}", "variants[0].loss", "also swept in sweep.loss"],
  },
  {
    what: "an empty variant",
    experiment: `{ name: "x", base: "dirac", variants: [{}] }`,
    says: ["{file}", "variants[0]", "must be a non-empty { factor: level } object"],
  },
  {
    what: "an empty list of penalties",
    experiment: `{ name: "x", base: "seed", sweep: { penalty: ["none", []] } }`,
    says: ["{file}", "sweep.penalty[1]", 'is an empty list: write "none" for no penalty'],
  },
  {
    what: "a list of penalties with two clips",
    experiment:
      `{ name: "x", base: "seed", sweep: { penalty: [[{ weightClip: 0.01 }, { weightClip: 0.1 }]] } }`,
    says: ["{file}", "sweep.penalty[0]", "lists weightClip twice", "give it one setting"],
  },
  {
    what: "a clip listed with the gradient penalty",
    experiment:
      `{ name: "x", base: "seed", sweep: { penalty: [[{ weightClip: 0.01 }, { gradientPenalty: 10 }]] } }`,
    says: [
      "{file}",
      "sweep.penalty[0]",
      "cannot hold weightClip and gradientPenalty together",
      "the gradient penalty replaces weight clipping",
    ],
  },
  {
    what: '"none" inside a list of penalties',
    experiment: `{ name: "x", base: "seed", variants: [{ penalty: [{ r1: 1 }, "none"] }] }`,
    says: ["{file}", "variants[0].penalty", '[1] is "none"'],
  },
  {
    what: "a relativistic loss with the seed's separate D updates",
    experiment: `{ name: "x", base: "seed", sweep: { loss: ["bce", "rsgan"] } }`,
    says: [
      "{file}",
      "impossible combination",
      "loss rsgan cannot be trained with separate D updates",
      'set dUpdate "joint"',
    ],
  },
  {
    what: "a relativistic loss with consensus",
    experiment: `{ name: "x", base: "dirac", variants: [{ loss: "rasgan", consensus: 1 }] }`,
    says: [
      "{file}",
      "impossible combination",
      "consensus 1 cannot be trained with the rasgan loss",
    ],
  },
  {
    what: "two typos in one file (both reported at once)",
    experiment: `{ name: "x", base: "book", iteration: 500, sweep: { los: ["mse", "bce"] } }`,
    says: [
      "{file}: 2 problems:",
      "\n{file}: iteration: unknown field; allowed: name, description",
      "\n{file}: sweep.los: unknown factor; allowed: loss, ",
    ],
  },
  {
    what: "three problems in three places (a level, the seeds, a check)",
    experiment:
      `{ name: "x", base: "book", sweep: { loss: ["mse", "msee"] }, seeds: 0, checks: { window: 2 } }`,
    says: [
      "{file}: 3 problems:",
      '\n{file}: sweep.loss[1]: "msee"',
      "\n{file}: seeds: 0 must be a count ≥ 1",
      "\n{file}: checks.window: is a fraction of the run: at most 1",
    ],
  },
  {
    what: "a negative iteration count (a value, not an option)",
    experiment: GOOD,
    args: ["--iterations", "-5"],
    says: ['sweep: --iterations must be an integer ≥ 1 (got "-5")'],
  },
  {
    what: "a negative number of seeds",
    experiment: GOOD,
    args: ["--seeds", "-0.5"],
    says: ['sweep: --seeds must be an integer ≥ 1 (got "-0.5")'],
  },
];

for (const bad of CASES) {
  Deno.test(`bad input: ${bad.what} is refused, names what is wrong, writes nothing`, async () => {
    const { dir, cleanup } = await workspace();
    try {
      let file = "";
      if (bad.experiment) file = await writeExperiment(dir, "experiment", bad.experiment);
      if (bad.raw) {
        file = `${dir}/experiment.ts`;
        await Deno.writeTextFile(file, bad.raw.replace("MOD", MOD_URL));
      }
      const before = await listFiles(dir);
      const result = await runTask("sweep", [...(file ? [file] : []), ...(bad.args ?? [])], {
        cwd: dir,
        env: bad.env,
      });
      assert(result.code !== 0, `exit code 0; stderr: ${result.stderr}`);
      for (const piece of bad.says) {
        assertStringIncludes(result.stderr, piece.replace("{file}", file));
      }
      assert(
        !result.stderr.includes("    at "),
        `a stack trace instead of a message:\n${result.stderr}`,
      );
      assertEquals(await listFiles(dir), before, "files were written");
    } finally {
      await cleanup();
    }
  });
}

Deno.test("bad input: a task asked to write outside results/ says so, without a stack trace", async () => {
  const { dir, cleanup } = await workspace();
  const outside = await Deno.makeTempDir();
  try {
    const file = await writeExperiment(dir, "tiny", tinyExperiment("tiny", { iterations: 20 }));
    assertEquals((await runTask("sweep", [file], { cwd: dir })).code, 0);
    await Deno.rename(`${dir}/results/tiny`, `${outside}/tiny`);
    const before = await listFiles(outside);
    const result = await runTask("summary", [`${outside}/tiny`], { cwd: dir });
    assertEquals(result.code, 2, result.stderr);
    assertStringIncludes(result.stderr, `summary: may not touch ${outside}/tiny/`);
    assertStringIncludes(result.stderr, "--allow-write=<folder>");
    assert(!result.stderr.includes("    at "), `a stack trace:\n${result.stderr}`);
    assertEquals(await listFiles(outside), before, "files were written");
  } finally {
    await cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});

/** Each task that reads results folders, with the arguments it needs besides the folders. */
const FOLDER_TASKS: Record<string, (folder: string) => string[]> = {
  summary: (folder) => [folder],
  report: (folder) => [folder],
  recheck: (folder) => [folder],
  thin: (folder) => [folder, "--curves-every", "100", "--patterns-every", "100"],
  diff: (folder) => [folder, folder],
};

for (const [task, args] of Object.entries(FOLDER_TASKS)) {
  Deno.test(`bad input: ${task} given an experiment file names the results folder it wants`, async () => {
    const { dir, cleanup } = await workspace();
    try {
      await Deno.mkdir(`${dir}/experiments`);
      await writeExperiment(`${dir}/experiments`, "grid", GOOD);
      const before = await listFiles(dir);
      const result = await runTask(task, args("experiments/grid.ts"), { cwd: dir });
      assertEquals(result.code, 2, result.stderr);
      assertEquals(
        result.stderr.trim(),
        `${task}: experiments/grid.ts is an experiment file; ${task} reads a results folder ` +
          "such as results/grid",
      );
      assertEquals(await listFiles(dir), before, "files were written");
    } finally {
      await cleanup();
    }
  });
}

Deno.test("bad input: sweep given a directory lists the experiment files in it", async () => {
  const { dir, cleanup } = await workspace();
  try {
    await Deno.mkdir(`${dir}/experiments`);
    await writeExperiment(`${dir}/experiments`, "quick", GOOD);
    await writeExperiment(`${dir}/experiments`, "grid", GOOD);
    await Deno.writeTextFile(`${dir}/experiments/notes.md`, "not an experiment");
    const before = await listFiles(dir);
    const result = await runTask("sweep", ["experiments/"], { cwd: dir });
    assertEquals(result.code, 2, result.stderr);
    assertEquals(
      result.stderr.trim(),
      "sweep: experiments/ is a directory; give an experiment file, one of: " +
        "experiments/grid.ts, experiments/quick.ts",
    );
    assertEquals(await listFiles(dir), before, "files were written");
  } finally {
    await cleanup();
  }
});

Deno.test("bad input: a runs.csv whose header is not CSV is named by summary, without a stack", async () => {
  const { dir, cleanup } = await workspace();
  try {
    await Deno.mkdir(`${dir}/results/torn`);
    await Deno.writeTextFile(`${dir}/results/torn/runs.csv`, `"run_id,seed\n`);
    const result = await runTask("summary", ["results/torn"], { cwd: dir });
    assertEquals(result.code, 2, result.stderr);
    assertStringIncludes(
      result.stderr,
      "summary: results/torn/runs.csv: its header is not CSV (",
    );
    assertStringIncludes(result.stderr, "); move the file aside and rerun the sweep");
    assertEquals(result.stderr.trim().split("\n").length, 1, result.stderr);
  } finally {
    await cleanup();
  }
});
