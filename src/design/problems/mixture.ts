/**
 * A mixture-of-Gaussians problem (the ring and the grid share it): G fed
 * Gaussian noise must cover every mode sharply. A run is judged on 2,500
 * samples of its final G (drawn from the run's evaluation stream) by
 * `modes.ts`'s metrics, and over the trailing window on the G outputs the
 * run recorded (one per record: they show a G that hops between modes).
 *
 * @module
 */
import { checkData, type MixtureSpec } from "../../core/data.ts";
import { generatorSamples } from "../../engine/samples.ts";
import type { NetworkShape } from "../architecture.ts";
import type { Factors } from "../levels.ts";
import type { ProblemKind, ProblemRun } from "./kind.ts";
import { modeMetrics } from "./modes.ts";

/** Samples of the final G each run is judged on (VEEGAN's and PacGAN's count). */
export const JUDGED_SAMPLES = 2500;

/** Of those, how many are kept beside the run (`samples/<run>.csv`) for the report's plots. */
export const KEPT_SAMPLES = 500;

/** At least this share of high-quality samples, with every mode captured, is convergence. */
export const HIGH_QUALITY_TARGET = 0.5;

/** A sample farther than this from the origin (or not finite) means G diverged. */
export const MIXTURE_EXPLODE_LIMIT = 1000;

/** The trailing share of the run whose recorded G outputs the window columns judge. */
export const MIXTURE_WINDOW = 0.2;

/** A mixture problem's verdicts. */
export const MIXTURE_VERDICTS = ["converged", "low_quality", "mode_collapsed", "diverged"] as const;

/** The runs.csv columns of a mixture's judgement. */
export const MIXTURE_COLUMNS = [
  "modes_captured",
  "high_quality_share",
  "js_to_uniform",
  "kl_to_uniform",
  "window_modes_visited",
  "window_high_quality_share",
  "window_samples",
  "mixture_verdict",
] as const;

/** The Numerics of GANs' networks (Mescheder et al. 2017): ReLU, 4 hidden layers of 16, z of 16. */
const NUMERICS_NETWORKS = {
  discriminator: { inputs: 2, hidden: [16, 16, 16, 16], outputs: 1, output: "sigmoid" },
  generator: { inputs: 16, hidden: [16, 16, 16, 16], outputs: 2 },
} as const satisfies { discriminator: NetworkShape; generator: NetworkShape };

/** Their training: non-saturating BCE, RMSprop 1e-4 for both, batch 512, simultaneous updates. */
const NUMERICS_FACTORS = {
  loss: "bce",
  optimiser: "rmsprop",
  lr: { d: 1e-4, g: 1e-4 },
  normalisation: "none",
  activation: "relu",
  batchSize: 512,
  generatorInput: { noise: 16 },
  penalty: "none",
  dSteps: 1,
  updates: "simultaneous",
  dUpdate: "joint",
} as const satisfies Factors;

/**
 * The verdict from the metrics: `diverged` (a sample not finite or beyond
 * {@link MIXTURE_EXPLODE_LIMIT}), `mode_collapsed` (a mode not captured),
 * `low_quality` (every mode, but under {@link HIGH_QUALITY_TARGET} of the
 * samples high quality), `converged`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { mixtureVerdict } from "./mixture.ts";
 * assertEquals(mixtureVerdict({ modesCaptured: 8, highQualityShare: 0.9 }, 8, 1), "converged");
 * assertEquals(mixtureVerdict({ modesCaptured: 1, highQualityShare: 0.9 }, 8, 1), "mode_collapsed");
 * assertEquals(mixtureVerdict({ modesCaptured: 8, highQualityShare: 0.9 }, 8, Infinity), "diverged");
 * ```
 */
export function mixtureVerdict(
  metrics: { readonly modesCaptured: number; readonly highQualityShare: number },
  modes: number,
  largest: number,
): typeof MIXTURE_VERDICTS[number] {
  if (!(largest <= MIXTURE_EXPLODE_LIMIT)) return "diverged";
  if (metrics.modesCaptured < modes) return "mode_collapsed";
  return metrics.highQualityShare < HIGH_QUALITY_TARGET ? "low_quality" : "converged";
}

/**
 * A run's judgement on a mixture: the metrics of 2,500 samples of its final
 * G, and of the G outputs it recorded over the trailing window.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { judgeMixture } from "./mixture.ts";
 * import { ring } from "./ring.ts";
 * import { resolveConfig, trainingSetup } from "../factors.ts";
 * import { trainBatch } from "../../engine/train.ts";
 * const setup = { ...trainingSetup(resolveConfig("ring", { batchSize: 4 })), iterations: 10 };
 * const [record] = await trainBatch(setup, [{ seed: 1, learningRates: { discriminator: 1e-4, generator: 1e-4 } }]);
 * const { values, samples } = judgeMixture(ring.data, { record, setup, seed: 1 });
 * assertEquals([typeof values.modes_captured, samples.length], ["number", 1000]);
 * ```
 */
export function judgeMixture(spec: MixtureSpec, { record, setup, seed }: ProblemRun) {
  const { width, means, sigma } = spec;
  const samples = generatorSamples(setup, record.finalParameters.generator, seed, JUDGED_SAMPLES);
  const end = modeMetrics(samples, width, means, sigma);
  let largest = 0;
  for (let s = 0; s < JUDGED_SAMPLES; s++) {
    let squares = 0;
    for (let i = 0; i < width; i++) squares += samples[s * width + i] ** 2;
    largest = Math.max(largest, Math.sqrt(squares));
    if (Number.isNaN(squares)) largest = Infinity;
  }
  const total = record.patternIterations.at(-1) ?? 0;
  const first = record.patternIterations.findIndex((i) => i > total * (1 - MIXTURE_WINDOW));
  const recorded = first < 0 ? new Float32Array() : record.patterns.subarray(first * width);
  const window = modeMetrics(recorded, width, means, sigma);
  const verdict = mixtureVerdict(end, means.length, largest);
  return {
    values: {
      modes_captured: end.modesCaptured,
      high_quality_share: end.highQualityShare,
      js_to_uniform: end.jsToUniform,
      kl_to_uniform: end.klToUniform,
      window_modes_visited: window.modesCaptured,
      window_high_quality_share: window.highQualityShare,
      window_samples: window.samples,
      mixture_verdict: verdict,
    },
    learned: verdict === "converged",
    verdict,
    samples: samples.slice(0, KEPT_SAMPLES * width),
  };
}

/**
 * A mixture problem with the Numerics of GANs' networks and training as its preset.
 *
 * @throws {DataError} for no modes, σ ≤ 0 or a mean that is not 2 finite numbers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { mixtureProblem } from "./mixture.ts";
 * const two = mixtureProblem({
 *   description: "two modes", reference: "a test", means: [[-1, 0], [1, 0]], sigma: 0.1,
 * });
 * assertEquals([two.data.width, two.columns.length], [2, 8]);
 * ```
 */
export function mixtureProblem(
  { description, reference, means, sigma }: {
    readonly description: string;
    readonly reference: string;
    readonly means: readonly (readonly number[])[];
    readonly sigma: number;
  },
) {
  const data: MixtureSpec = { kind: "mixture", width: 2, means, sigma };
  checkData(data);
  return {
    description,
    reference,
    data,
    preset: {
      description: `${description}: the Numerics of GANs' networks (ReLU, D 2→4×16→1, G ` +
        "z16→4×16→2) and training (non-saturating BCE, RMSprop 1e-4, batch 512, " +
        "simultaneous updates), 50,000 iterations",
      ...NUMERICS_NETWORKS,
      iterations: 50_000,
      factors: NUMERICS_FACTORS,
    },
    columns: MIXTURE_COLUMNS,
    verdicts: MIXTURE_VERDICTS,
    verdictColumn: "mixture_verdict",
    measures: [
      { column: "modes_captured", label: "modes captured" },
      { column: "high_quality_share", label: "high-quality share" },
      { column: "js_to_uniform", label: "JS to uniform" },
    ],
    target: "every mode captured, at least half of 2,500 samples of the final G within 3σ of one",
    judge: (run: ProblemRun) => judgeMixture(data, run),
    plot: { points: means, axes: ["x", "y"] },
  } as const satisfies ProblemKind;
}
