/**
 * What a problem is: the real data, the networks and settings a run of it
 * starts from, and how a finished run is judged in the problem's own terms.
 * The registry (`mod.ts`) holds one file per problem; a preset of the same
 * name (`../presets.ts`) makes each one an experiment's `base`.
 *
 * @module
 */
import type { DataSpec } from "../../core/data.ts";
import type { RunRecord } from "../../engine/records.ts";
import type { TrainingSetup } from "../../engine/setup.ts";
import type { Layer } from "../../nn/layers/mod.ts";
import type { NetworkShape } from "../architecture.ts";
import type { Factors } from "../levels.ts";

/** A finished run, as a problem's judgement sees it. */
export interface ProblemRun {
  readonly record: RunRecord;
  readonly setup: TrainingSetup;
  readonly seed: number;
}

/** A problem's judgement of one run. */
export interface ProblemJudgement {
  /** Its own columns' values (`ProblemKind.columns`). */
  readonly values: Readonly<Record<string, number | string>>;
  /** Whether the run reached the problem's target (runs.csv's `pattern_learned`, the shared answer). */
  readonly learned: boolean;
  /** Its verdict in the problem's terms (one of `ProblemKind.verdicts`). */
  readonly verdict: string;
  /** Samples of the final G to keep beside the run for plots (`n × width`), if any. */
  readonly samples?: Float32Array;
}

/** Networks that are not built from a shape: the problem's own players. */
export interface FixedNetworks {
  /** Why hidden layers, normalisations and activations do not apply. */
  readonly why: string;
  /** The layers, with or without a sigmoid after D's score (the loss decides). */
  build(sigmoidHead: boolean): { discriminator: Layer[]; generator: Layer[] };
}

/** Where a run starts: networks, length and every factor's default. */
export interface ProblemPreset {
  readonly description: string;
  readonly discriminator: NetworkShape;
  readonly generator: NetworkShape;
  readonly iterations: number;
  readonly factors: Factors;
  /** Players that are not shapes (the Dirac-GAN's one parameter each). */
  readonly fixedNetworks?: FixedNetworks;
}

/** What a plot of the problem marks: the data's points (modes, the equilibrium). */
export interface PlotTargets {
  /** Points in the plane of G's first two outputs (or of the problem's parameters). */
  readonly points: readonly (readonly number[])[];
  /** The axes' names. */
  readonly axes: readonly [string, string];
}

/** A number a problem's judgement writes per run, which the summaries average and compare. */
export interface ProblemMeasure {
  /** Its runs.csv column (one of `ProblemKind.columns`). */
  readonly column: string;
  /** Its name in tables, e.g. "modes captured". */
  readonly label: string;
}

/** A problem the suite can train and judge. */
export interface ProblemKind {
  readonly description: string;
  /** Where it comes from in the literature. */
  readonly reference: string;
  readonly data: DataSpec;
  readonly preset: ProblemPreset;
  /** The runs.csv columns its judgement fills, in order (none for the seed's pattern). */
  readonly columns: readonly string[];
  /** Its verdicts (none for the seed's pattern, whose verdict is the shared one). */
  readonly verdicts: readonly string[];
  /** The column of its verdict (where a run reached the target it says `converged`). */
  readonly verdictColumn?: string;
  /** What reaching its target means, for the summaries' "learned the pattern" (none for the pattern). */
  readonly target?: string;
  /** Its outcome measures, reported by every summary beside its verdicts (none for the pattern). */
  readonly measures?: readonly ProblemMeasure[];
  /** Its judgement of a finished run (the seed's pattern is judged by the shared checks alone). */
  readonly judge?: (run: ProblemRun) => ProblemJudgement;
  readonly plot: PlotTargets;
}
