/**
 * The Dirac-GAN (Mescheder, Geiger & Nowozin 2018, §2): the data is the
 * point 0, G(z) = θ (one parameter, fed z = 1), D's score is ψ·x (one
 * parameter, no bias; with a BCE-family loss D(x) = σ(ψx), the probability
 * that x is real). Both start at 1; plain SGD 0.2, 500 iterations, batch 1,
 * one joint D step per critic step, as the paper trains it. The unique
 * equilibrium is (θ, ψ) = (0, 0); the paper's result is which training
 * methods converge to it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { dirac } from "./dirac.ts";
 * assertEquals([dirac.preset.iterations, dirac.preset.factors.lr.d], [500, 0.2]);
 * ```
 *
 * @module
 */
import { scale, sigmoid } from "../../nn/layers/mod.ts";
import type { ProblemKind, ProblemRun } from "./kind.ts";

/** The players' start, (θ, ψ) = (1, 1). */
export const DIRAC_START = 1;

/** A final distance to (0, 0) below this is convergence (the start is √2 away). */
export const DIRAC_CONVERGED = 0.05;

/** Beyond this many times the start's distance (or not finite), the run diverged. */
export const DIRAC_DIVERGED = 2;

/** G's θ moving less than this over the window's records is a run at rest. */
export const DIRAC_AT_REST = 1e-4;

/** The trailing share of the run whose recorded θ says whether it is at rest. */
export const DIRAC_WINDOW = 0.2;

/** The Dirac-GAN's verdicts. */
export const DIRAC_VERDICTS = ["converged", "stalled", "cycling", "diverged"] as const;

/**
 * θ, ψ, their distance to (0, 0) and the verdict: `converged` within
 * {@link DIRAC_CONVERGED}; `diverged` beyond {@link DIRAC_DIVERGED} times
 * the start's distance (or not finite); `stalled` at rest elsewhere (θ
 * moved less than {@link DIRAC_AT_REST} over the window: a stationary
 * point that is not the equilibrium); `cycling` otherwise (neither closing
 * in nor leaving: the paper's circles, or noise-driven wandering).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { judgeDirac } from "./dirac.ts";
 * assertEquals(judgeDirac(0.01, 0).verdict, "converged");
 * assertEquals(judgeDirac(1, -0.5).verdict, "cycling");
 * assertEquals(judgeDirac(2, 0, 0).verdict, "stalled");
 * assertEquals(judgeDirac(NaN, 0).verdict, "diverged");
 * ```
 */
export function judgeDirac(theta: number, psi: number, windowRange = Infinity) {
  const distance = Math.hypot(theta, psi);
  const verdict = distance < DIRAC_CONVERGED
    ? "converged"
    : !(Number.isFinite(distance) && distance <= DIRAC_DIVERGED * Math.SQRT2 * DIRAC_START)
    ? "diverged"
    : windowRange < DIRAC_AT_REST
    ? "stalled"
    : "cycling";
  return {
    values: { theta, psi, distance_to_equilibrium: distance, dirac_verdict: verdict },
    learned: verdict === "converged",
    verdict,
  };
}

/** The Dirac-GAN. */
export const dirac = {
  description: "data the point 0, G(z) = θ, D's score ψ·x; equilibrium (0, 0), start (1, 1)",
  reference: "Mescheder, Geiger & Nowozin 2018, Which training methods for GANs do actually " +
    "converge? (ICML), §2",
  data: { kind: "point", width: 1, at: [0] },
  preset: {
    description: "the Dirac-GAN: G(z) = θ, D(x) = σ(ψx), the minimax BCE game, start (1, 1), " +
      "SGD 0.2 for both, 500 iterations, batch 1, one joint D step (Mescheder et al. 2018)",
    // Not built from these shapes (see fixedNetworks); they say what the players are.
    discriminator: { inputs: 1, hidden: [], outputs: 1, output: "sigmoid" },
    generator: { inputs: 1, hidden: [], outputs: 1 },
    iterations: 500,
    factors: {
      loss: "bce_minimax",
      optimiser: "sgd",
      lr: { d: 0.2, g: 0.2 },
      normalisation: "none",
      activation: "sigmoid",
      batchSize: 1,
      generatorInput: 1,
      penalty: "none",
      dSteps: 1,
      dUpdate: "joint",
    },
    fixedNetworks: {
      why: "the Dirac-GAN's players are one parameter each (G(z) = θ, D's score ψ·x): a " +
        "hidden layer, a normalisation or another activation would make it another problem",
      build: (sigmoidHead: boolean) => ({
        discriminator: sigmoidHead ? [scale(1, DIRAC_START), sigmoid()] : [scale(1, DIRAC_START)],
        generator: [scale(1, DIRAC_START)],
      }),
    },
  },
  columns: ["theta", "psi", "distance_to_equilibrium", "dirac_verdict"],
  verdicts: DIRAC_VERDICTS,
  verdictColumn: "dirac_verdict",
  measures: [{ column: "distance_to_equilibrium", label: "distance to (0, 0)" }],
  target: "(θ, ψ) ended within 0.05 of the equilibrium (0, 0)",
  judge: ({ record }: ProblemRun) => {
    // G's output is θ: its range over the window's records says whether the run is at rest.
    const total = record.patternIterations.at(-1) ?? 0;
    const inWindow = Array.from(record.patterns)
      .filter((_, k) => record.patternIterations[k] > total * (1 - DIRAC_WINDOW));
    const range = inWindow.length > 1 ? Math.max(...inWindow) - Math.min(...inWindow) : Infinity;
    return judgeDirac(
      record.finalParameters.generator[0],
      record.finalParameters.discriminator[0],
      range,
    );
  },
  plot: { points: [[0, 0]], axes: ["θ", "ψ"] },
} as const satisfies ProblemKind;
