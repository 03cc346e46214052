/**
 * A toy problem's part of REPORT.md: the Dirac-GAN's final distances per
 * method and scheme beside the paper's conclusions, with the trajectories
 * in the (θ, ψ) plane; a mixture's mode metrics per configuration with
 * intervals, with G's samples over the modes.
 *
 * The trajectories are trained again from the folder's own experiment
 * (`experiment.json`): each configuration's first seed, recording (θ, ψ)
 * every iteration. A Dirac run is deterministic, so the retrained run must
 * end where runs.csv says its run ended; the report says so, or says where
 * it does not.
 *
 * @module
 */
import { parse } from "@std/csv";
import type { TopLevelSpec } from "vega-lite";
import { markdownTable } from "../core/table.ts";
import { validateExperiment } from "../design/experiment.ts";
import { expandGrid, type PlannedRun } from "../design/grid.ts";
import {
  engineLearningRates,
  factorColumns,
  resolveConfig,
  trainingSetup,
} from "../design/factors.ts";
import type { Preset, PresetName } from "../design/presets.ts";
import { PROBLEM_KINDS } from "../design/problems/mod.ts";
import { trainBatch } from "../engine/train.ts";
import type { BatchSnapshot } from "../engine/snapshot.ts";
import { meanInterval, wilson } from "./statistics.ts";
import { withoutTfjsBanner } from "../engine/quiet_tfjs.ts";
import { type RunRow, SUMMARY_FACTORS } from "./summary.ts";
import {
  type SamplePoint,
  samplesSpec,
  type TrajectoryPoint,
  trajectorySpec,
} from "./problem_plots.ts";

/** Writes a plot and returns its path relative to the folder. */
export type PlotWriter = (file: string, spec: TopLevelSpec) => Promise<string>;

/** How many of a run's kept samples the mixture plot draws per configuration. */
const SAMPLES_DRAWN = 200;

/** The factors that make a scheme (the columns of the Dirac table); the rest make a method. */
const SCHEME_FACTORS = ["updates", "d_steps"];

/** The paper's conclusion per method (Mescheder et al. 2018, §3–4 and Figure 1), in its order. */
const PAPER_SAYS: Readonly<Record<string, string>> = {
  "the preset": "not convergent: simultaneous updates spiral out, alternating ones circle",
  "loss=bce": "not locally convergent (the same ±i/2 at the equilibrium)",
  "loss=wasserstein penalty=weight_clip(1)": "not convergent (WGAN, finite critic steps)",
  "loss=wasserstein penalty=gradient_penalty(1)": "not convergent (WGAN-GP, finite critic steps)",
  "penalty=r1(0.3)": "convergent (zero-centred gradient penalty)",
  "penalty=r1(1)": "convergent (critically damped at γ = 1)",
  "instance_noise=0.7": "convergent (in expectation over the noise)",
  "consensus=1": "convergent (consensus optimisation)",
  "penalty=weight_clip(0.01)": "(not in the paper: the seed's rescue)",
  "loss=bce penalty=weight_clip(0.01)": "(not in the paper: the seed's rescue)",
};

/** A scheme's name: the order of updates and the critic steps. */
function schemeName(row: RunRow): string {
  const steps = Number(row.d_steps ?? 1);
  return `${row.updates ?? "alternating"}${steps > 1 ? `, ${steps} critic steps` : ""}`;
}

/**
 * What the summaries' "learned the pattern" means in a toy problem's folder
 * (undefined for the seed's pattern, where it means just that).
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { targetNote } from "./problem_report.ts";
 * import { PRESETS } from "../design/presets.ts";
 * assertStringIncludes(targetNote(PRESETS.dirac)!, "dirac_verdict");
 * ```
 */
export function targetNote(preset: Preset | undefined): string | undefined {
  const problem = preset?.problem && PROBLEM_KINDS[preset.problem];
  if (!problem || !("target" in problem)) return undefined;
  return `In this ${preset!.problem} folder "learned the pattern" means the problem's own ` +
    `target: ${problem.target} (\`${problem.verdictColumn}\` is \`converged\`).`;
}

/**
 * The REPORT.md lines of a toy problem's folder (none for the seed's pattern).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { problemSection } from "./problem_report.ts";
 * assertEquals(await problemSection("results/seed", [], {}, undefined, async () => ""), []);
 * ```
 */
export async function problemSection(
  folder: string,
  rows: readonly RunRow[],
  manifest: Record<string, unknown>,
  preset: Preset | undefined,
  plot: PlotWriter,
): Promise<string[]> {
  if (!preset?.problem || rows.length === 0) return [];
  if (preset.problem === "dirac") return await diracSection(folder, rows, manifest, plot);
  if (preset.pattern.kind === "mixture") {
    return await mixtureSection(folder, rows, preset, plot);
  }
  return [];
}

/** The levels a folder's preset gives each factor, as a row would hold them. */
function presetLevelsOf(rows: readonly RunRow[]): RunRow {
  return factorColumns(resolveConfig(rows[0].base as PresetName, {}));
}

/** `factor=level` for each of `factors` whose level in `row` is not the preset's, joined. */
function beyondPreset(row: RunRow, factors: readonly string[], preset: RunRow): string {
  return factors.filter((factor) =>
    SUMMARY_FACTORS[factor](row) !== SUMMARY_FACTORS[factor](preset)
  )
    .map((factor) => `${factor}=${SUMMARY_FACTORS[factor](row)}`).join(" ");
}

/** Groupings of the summaries that are not factors. */
const OUTCOMES = ["verdict", "pattern_learned", "ending", "iterations"];

/** The factors that make a Dirac method: every one but the scheme's. */
const METHOD_FACTORS = Object.keys(SUMMARY_FACTORS)
  .filter((factor) => !SCHEME_FACTORS.includes(factor) && !OUTCOMES.includes(factor));

/** Schemes in the order simultaneous, alternating, then by critic steps. */
function bySchemeOrder(a: string, b: string): number {
  const key = (
    s: string,
  ) => [s.startsWith("simultaneous") ? 0 : 1, Number(s.match(/(\d+) critic/)?.[1] ?? 1)];
  const [ka, kb] = [key(a), key(b)];
  return ka[0] - kb[0] || ka[1] - kb[1];
}

/** The factors whose level differs between rows (the configuration's own). */
function varying(rows: readonly RunRow[]): string[] {
  return Object.keys(SUMMARY_FACTORS).filter((factor) =>
    !OUTCOMES.includes(factor) &&
    new Set(rows.map((row) => SUMMARY_FACTORS[factor](row))).size > 1
  );
}

async function diracSection(
  folder: string,
  rows: readonly RunRow[],
  manifest: Record<string, unknown>,
  plot: PlotWriter,
): Promise<string[]> {
  const swept = varying(rows);
  // A method names the levels it sets on top of the preset (none: the preset itself).
  const presetLevels = presetLevelsOf(rows);
  const methodOf = (row: RunRow) => beyondPreset(row, METHOD_FACTORS, presetLevels) || "the preset";
  const byMethod = Map.groupBy(rows, methodOf);
  const schemes = [...new Set(rows.map(schemeName))]
    .sort(bySchemeOrder);
  const order = Object.keys(PAPER_SAYS);
  const methods = [...byMethod.keys()].sort((a, b) =>
    (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1)
  );
  const cell = (group: readonly RunRow[]) => {
    const distances = group.map((row) => Number(row.distance_to_equilibrium)).sort((a, b) => a - b);
    const median = distances[Math.floor((distances.length - 1) / 2)];
    const verdicts = Map.groupBy(group, (row) => row.dirac_verdict);
    const verdict = [...verdicts].map(([v, runs]) =>
      runs.length === group.length ? v : `${v} ${runs.length}`
    )
      .join(", ");
    const spread = distances[0] === distances.at(-1)
      ? ""
      : ` [${distances[0].toPrecision(2)}–${distances.at(-1)!.toPrecision(2)}]`;
    return `${median.toPrecision(3)}${spread} ${verdict}`;
  };
  const table = methods.map((method) => [method, byMethod.get(method)!] as const).map((
    [method, group],
  ) => [
    method,
    ...schemes.map((scheme) => {
      const inScheme = group.filter((row) => schemeName(row) === scheme);
      return inScheme.length ? cell(inScheme) : "–";
    }),
    PAPER_SAYS[method] ?? "",
  ]);
  const lines = [
    "## The Dirac-GAN: distance to the equilibrium",
    "",
    "Final distance of (θ, ψ) to (0, 0) after the run (the start (1, 1) is √2 ≈ 1.41 away): the " +
    "median over seeds, [min–max] where seeds differ, and the verdict (`converged` within " +
    "0.05; `diverged` beyond 2√2 or not finite; `stalled` at rest elsewhere, θ moving under " +
    "1e-4 over the last 20%; `cycling` otherwise), beside the paper's " +
    "conclusion (Mescheder, Geiger & Nowozin 2018). A method names the levels it sets on top " +
    `of the preset (${rows[0].loss === "bce_minimax" ? "the minimax BCE game" : "its game"}).`,
    "",
    markdownTable(["method", ...schemes, "the paper"], table),
    "",
  ];
  let trajectories: { points: TrajectoryPoint[]; note: string };
  try {
    trajectories = await diracTrajectories(folder, rows, manifest, swept, methodOf);
  } catch (error) {
    // A folder whose experiment this version cannot read again has its table, not its trajectories.
    lines.push(`(No trajectories: ${(error as Error).message}.)`, "");
    return lines;
  }
  if (trajectories.points.length) {
    const file = await plot(
      "dirac-trajectories.svg",
      trajectorySpec("Dirac-GAN: (θ, ψ) during training (seed 1 of each)", trajectories.points, {
        methods,
        schemes,
      }),
    );
    lines.push(
      "### Trajectories",
      "",
      `Each configuration's first seed trained again, (θ, ψ) every iteration. ${trajectories.note}`,
      "",
      `![Dirac-GAN trajectories](${file})`,
      "",
    );
  }
  return lines;
}

/** Each configuration's first seed, retrained with (θ, ψ) recorded every iteration. */
async function diracTrajectories(
  folder: string,
  rows: readonly RunRow[],
  manifest: Record<string, unknown>,
  swept: readonly string[],
  methodOf: (row: RunRow) => string,
): Promise<{ points: TrajectoryPoint[]; note: string }> {
  // experiment.json records the file it came from beside the experiment's own fields.
  const { file: _file, ...spec } = (manifest.experiment ?? {}) as Record<string, unknown>;
  const experiment = validateExperiment(spec, `${folder}/experiment.json`);
  const planned = new Map((await expandGrid(experiment)).map((run) => [run.id, run]));
  const firstSeeds = [
    ...Map.groupBy(rows, (row) => JSON.stringify(swept.map((f) => SUMMARY_FACTORS[f](row))))
      .values(),
  ]
    .map((group) => [...group].sort((a, b) => Number(a.seed) - Number(b.seed))[0]);
  const points: TrajectoryPoint[] = [];
  const mismatches: string[] = [];
  for (const row of firstSeeds) {
    const run: PlannedRun | undefined = planned.get(row.run_id);
    if (!run) {
      mismatches.push(`${row.run_id} (no longer in the experiment)`);
      continue;
    }
    const [method, scheme] = [methodOf(row), schemeName(row)];
    const path: [number, number][] = [[1, 1]];
    const [record] = await withoutTfjsBanner(() =>
      trainBatch(
        trainingSetup(run.config),
        [{ seed: run.seed, learningRates: engineLearningRates(run.config) }],
        {
          progressEvery: 1,
          checkpoint: {
            every: 1,
            seconds: Infinity,
            save: (snapshot: BatchSnapshot) => {
              path.push([snapshot.generator[0], snapshot.discriminator[0]]);
            },
          },
        },
      )
    );
    path.push([record.finalParameters.generator[0], record.finalParameters.discriminator[0]]);
    path.forEach(([theta, psi], iteration) =>
      points.push({ method, scheme, iteration, theta, psi })
    );
    const [theta, psi] = path.at(-1)!;
    // A diverged run ends where runs.csv says when both are the same NaN or ∞.
    const same = (ours: number, written: string) =>
      Object.is(ours, Number(written)) ||
      Math.abs(ours - Number(written)) <= 1e-6 * Math.max(1e-6, Math.abs(ours));
    if (!same(theta, row.theta) || !same(psi, row.psi)) {
      mismatches.push(
        `${row.run_id} (ends at ${theta}, ${psi}; runs.csv says ${row.theta}, ${row.psi})`,
      );
    }
  }
  const note = mismatches.length
    ? `**${mismatches.length} retrained runs did not end where runs.csv says**: ${
      mismatches.join("; ")
    }.`
    : `Every retrained run ended where runs.csv says its run ended (${firstSeeds.length} checked).`;
  return { points, note };
}

async function mixtureSection(
  folder: string,
  rows: readonly RunRow[],
  preset: Preset,
  plot: PlotWriter,
): Promise<string[]> {
  const problem = PROBLEM_KINDS[preset.problem as "ring"];
  const modes = problem.data.means;
  const swept = varying(rows);
  // A configuration names the swept levels that are not the preset's (none: the baseline).
  const presetLevels = presetLevelsOf(rows);
  const label = (row: RunRow) => beyondPreset(row, swept, presetLevels) || "no method";
  const groups = [...Map.groupBy(rows, label)];
  /** Mean (95% t interval), the interval clamped to the measure's range. */
  const interval = (values: number[], [least, most]: readonly [number, number], digits = 2) => {
    const { mean, low, high } = meanInterval(values);
    const clamp = (x: number) => Math.min(most, Math.max(least, x));
    return Number.isNaN(mean)
      ? "–"
      : `${mean.toFixed(digits)} (${clamp(low).toFixed(digits)}–${clamp(high).toFixed(digits)})`;
  };
  const table = groups.map(([configuration, group]) => {
    const converged = wilson(
      group.filter((row) => row.mixture_verdict === "converged").length,
      group.length,
    );
    const verdicts = [...Map.groupBy(group, (row) => row.mixture_verdict)]
      .map(([verdict, runs]) => `${verdict} ${runs.length}`).join(", ");
    return [
      configuration,
      String(group.length),
      interval(group.map((row) => Number(row.modes_captured)), [0, modes.length], 1),
      interval(group.map((row) => Number(row.high_quality_share)), [0, 1]),
      interval(group.map((row) => Number(row.js_to_uniform)), [0, Math.LN2], 3),
      interval(group.map((row) => Number(row.window_modes_visited)), [0, modes.length], 1),
      `${converged.successes} (${(100 * converged.low).toFixed(0)}–${
        (100 * converged.high).toFixed(0)
      }%)`,
      verdicts,
    ];
  });
  const lines = [
    `## ${problem.description}: modes and sample quality`,
    "",
    `Judged on 2,500 samples of each run's final G (VEEGAN's and PacGAN's metrics): modes ` +
    `captured (of ${modes.length}), the share of high-quality samples (within 3σ of their nearest ` +
    "mode), the Jensen–Shannon divergence (nats, at most ln 2 ≈ 0.693) between the high-quality " +
    "samples' mode histogram and the uniform one (a run without a high-quality sample has none " +
    "and is left out of that mean), and the modes G's recorded outputs visited over the last 20% " +
    "of training. Each as the mean over seeds with its 95% t interval (clamped to the measure's " +
    "range); converged runs (every mode, ≥ 50% high quality) with their 95% Wilson interval. A " +
    "configuration names its swept levels that differ from the preset's.",
    "",
    markdownTable([
      "configuration",
      "runs",
      "modes captured",
      "high quality",
      "JS to uniform",
      "modes visited (window)",
      "converged",
      "verdicts",
    ], table),
    "",
  ];
  const samples: SamplePoint[] = [];
  for (const [configuration, group] of groups) {
    const median = [...group].sort((a, b) => Number(a.modes_captured) - Number(b.modes_captured))[
      Math.floor((group.length - 1) / 2)
    ];
    let text: string;
    try {
      text = await Deno.readTextFile(`${folder}/samples/${median.run_id}.csv`);
    } catch {
      continue;
    }
    const [, ...values] = parse(text) as string[][];
    // The first SAMPLES_DRAWN of the run's i.i.d. samples: a fair subsample, and a plot of a size to commit.
    for (const [x, y] of values.slice(0, SAMPLES_DRAWN)) {
      samples.push({ configuration, x: Number(x), y: Number(y) });
    }
  }
  if (samples.length) {
    const file = await plot(
      `${preset.problem}-samples.svg`,
      samplesSpec(
        `${problem.description}: ${SAMPLES_DRAWN} of G's samples, the run with the median ` +
          "modes captured",
        samples,
        modes,
        groups.map(([c]) => c),
      ),
    );
    lines.push(`![G's samples](${file})`, "");
  }
  return lines;
}
