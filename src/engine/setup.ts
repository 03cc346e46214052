/**
 * What a batch is asked to train: the setup its runs share (networks, loss,
 * optimisers, penalties, scheme, data) and what is particular to each run,
 * and the check that a setup can be trained.
 *
 * @module
 */
import {
  checkData,
  DataError,
  type DataSpec,
  type GeneratorInput,
  inputWidth,
} from "../core/data.ts";
import { SEED_PATTERN } from "../core/data.ts";
import { checkNetwork, type Layer, NetworkError } from "../nn/layers/mod.ts";
import { LOSS_KINDS, type LossKind, type LossName } from "../kinds/losses/mod.ts";
import type { OptimiserOptions } from "../kinds/optimisers/mod.ts";
import {
  PENALTY_KINDS,
  type PenaltyKind,
  penaltyList,
  type ResolvedPenalties,
} from "../kinds/penalties/mod.ts";
import {
  type DiscriminatorUpdate,
  type GeneratorBatch,
  RECORD_INTERVALS,
  type UpdateOrder,
} from "./step.ts";

/** What every run of a batch shares. */
export interface TrainingSetup {
  readonly discriminator: readonly Layer[];
  readonly generator: readonly Layer[];
  readonly loss: LossName;
  /** One optimiser for each network; their learning rates are per run. */
  readonly optimisers: {
    readonly discriminator: OptimiserOptions;
    readonly generator: OptimiserOptions;
  };
  readonly iterations: number;
  /** Penalties or constraints on D: one, or several that act together (default none). */
  readonly penalty?: ResolvedPenalties;
  /** D (critic) steps per G step, each on its own real sample (default 1). */
  readonly dSteps?: number;
  /** D's updates in one critic step (default the seed's: one on real, one on fake; see `step.ts`). */
  readonly criticStep?: readonly DiscriminatorUpdate[];
  /** Alternating (default: G steps through the updated D) or simultaneous updates (see `step.ts`). */
  readonly updates?: UpdateOrder;
  /** G's batch: its own z (default `new`) or the last critic step's (`reuse`; see `step.ts`). */
  readonly generatorBatch?: GeneratorBatch;
  /** Instance noise: D sees `x + σ·n` for every input, n standard normal (default 0, none). */
  readonly instanceNoise?: number;
  /**
   * Consensus optimisation's γ (Mescheder et al. 2017; default 0, none):
   * each player's step adds γ·∇(½‖v‖²) to its gradient, v the joint
   * gradient field at the point it steps from.
   */
  readonly consensus?: number;
  /** Samples per optimiser step (default 1, the seed's). */
  readonly batchSize?: number;
  /** Default: the constant 0.5. */
  readonly generatorInput?: GeneratorInput;
  /** The real data (default the seed's 101010 pattern; a toy problem's distribution otherwise). */
  readonly pattern?: DataSpec;
  /** Record losses every this many iterations (default 10, the seed's). */
  readonly recordEvery?: number;
  /** Record G's output every this many iterations (default 100). */
  readonly patternEvery?: number;
}

/** What is particular to one run. */
export interface RunSetup {
  /** Seeds the run's weights, real data and noise. */
  readonly seed: number;
  readonly learningRates: { readonly discriminator: number; readonly generator: number };
  /** Replaces the seeded initial weights (packed, as `parameters.ts` lays out). */
  readonly initialParameters?: {
    readonly discriminator: Float32Array;
    readonly generator: Float32Array;
  };
  /** Replaces the seeded real data: iterations × dSteps × batch × width numbers. */
  readonly realSamples?: Float32Array;
  /** Replaces the seeded spectral-norm vectors of D's wrapped layers, by layer index. */
  readonly initialSpectral?: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
  /** Replaces the seeded spectral-norm vectors of G's wrapped layers, by layer index. */
  readonly initialGeneratorSpectral?: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
  /** Replaces the seeded noise input of G: batch × input width numbers per draw, in the order drawn. */
  readonly generatorInputs?: Float32Array;
  /** Replaces the seeded instance noise: batch × width numbers per D input, in the order D sees them. */
  readonly instanceNoise?: Float32Array;
  /** Replaces the seeded interpolation weights of a gradient penalty, one per critic step and sample. */
  readonly alphas?: Float32Array;
  /** This run's optimiser settings, where runs of a batch differ in them (same optimiser). */
  readonly optimiser?: OptimiserOptions;
  /** This run's penalty settings, where runs of a batch differ in them (same penalties). */
  readonly penalty?: ResolvedPenalties;
}

/**
 * A setup with every default filled in.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { withDefaults } from "./setup.ts";
 * const filled = withDefaults({ discriminator: [], generator: [], loss: "bce", iterations: 1,
 *   optimisers: { discriminator: { name: "sgd" }, generator: { name: "sgd" } } });
 * assertEquals([filled.batchSize, filled.dSteps, filled.recordEvery], [1, 1, 10]);
 * ```
 */
export function withDefaults(setup: TrainingSetup): Required<TrainingSetup> {
  return {
    batchSize: 1,
    dSteps: 1,
    penalty: undefined,
    generatorInput: { kind: "constant", value: 0.5 },
    pattern: SEED_PATTERN,
    ...RECORD_INTERVALS,
    ...Object.fromEntries(Object.entries(setup).filter(([, value]) => value !== undefined)),
  } as unknown as Required<TrainingSetup>;
}

/**
 * Checks that a setup can be trained: positive counts, layer stacks that fit
 * the pattern and the generator's input, batch_norm only with batches ≥ 2,
 * the schemes a loss, penalty or consensus needs.
 *
 * @throws {NetworkError} naming what is wrong.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkSetup } from "./setup.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * assertThrows(() => checkSetup({ ...trainingSetup(resolveConfig("seed", {})), iterations: 0 }));
 * ```
 */
export function checkSetup(setup: TrainingSetup): void {
  const { batchSize, generatorInput, pattern, recordEvery, patternEvery, iterations } =
    withDefaults(setup);
  const counts = { iterations, batchSize, recordEvery, patternEvery, dSteps: setup.dSteps ?? 1 };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new NetworkError(`${name} must be a positive integer (got ${value})`);
    }
  }
  if (setup.updates === "simultaneous" && (setup.dSteps ?? 1) !== 1) {
    throw new NetworkError(
      `updates "simultaneous" with dSteps ${setup.dSteps} cannot be trained: simultaneous ` +
        "updates move both players from the same point, so G steps once per critic step " +
        "(dSteps 1)",
    );
  }
  const loss: LossKind = LOSS_KINDS[setup.loss];
  if (loss.paired && !jointUpdates(setup)) {
    throw new NetworkError(
      `loss ${setup.loss} cannot be trained with separate D updates: it couples D's scores on ` +
        'the real and the generated batch in one term; set dUpdate "joint" (for every loss ' +
        "the experiment compares, so that they share one scheme)",
    );
  }
  if (pattern.kind === "mixture" && pattern.stratified && batchSize % pattern.means.length) {
    throw new NetworkError(
      `a stratified batch holds each of the ${pattern.means.length} modes equally often, so ` +
        `batchSize must be a multiple of ${pattern.means.length} (got ${batchSize})`,
    );
  }
  const sigma = setup.instanceNoise ?? 0;
  if (!(Number.isFinite(sigma) && sigma >= 0)) {
    throw new NetworkError(`instanceNoise must be a number ≥ 0 (got ${sigma})`);
  }
  const consensus = setup.consensus ?? 0;
  if (!(Number.isFinite(consensus) && consensus >= 0)) {
    throw new NetworkError(`consensus must be a number γ ≥ 0 (got ${consensus})`);
  }
  if (consensus > 0) {
    const unsupported = consensusUnsupported(setup);
    if (unsupported) {
      throw new NetworkError(`consensus ${consensus} cannot be trained ${unsupported}`);
    }
  }
  try {
    checkData(pattern);
  } catch (error) {
    if (error instanceof DataError) throw new NetworkError(error.message);
    throw error;
  }
  const dOut = checkNetwork(setup.discriminator, pattern.width, batchSize, "discriminator");
  if (dOut !== 1) throw new NetworkError(`discriminator: must end with 1 output (has ${dOut})`);
  const gOut = checkNetwork(setup.generator, inputWidth(generatorInput), batchSize, "generator");
  if (gOut !== pattern.width) {
    throw new NetworkError(
      `generator: must output the data's width ${pattern.width} (has ${gOut})`,
    );
  }
}

/** Whether every D update of the setup sums both terms (the joint update). */
function jointUpdates(setup: TrainingSetup): boolean {
  return setup.criticStep !== undefined &&
    setup.criticStep.every((update) => update.terms.length === 2);
}

/** Why a setup cannot take consensus optimisation, or undefined. */
function consensusUnsupported(setup: TrainingSetup): string | undefined {
  for (const penalty of penaltyList(setup.penalty)) {
    const kind: PenaltyKind = PENALTY_KINDS[penalty.name];
    if (kind.onReal || kind.onFake) {
      return `with the ${penalty.name} penalty: ∇(½‖v‖²) would differentiate the ` +
        "penalty's input gradient a third time, which neither engine does";
    }
  }
  if ((setup.instanceNoise ?? 0) > 0) {
    return "with instance noise: the joint field would need each player's noise draws fixed " +
      "across the regulariser's evaluations, which the engines do not keep";
  }
  const spectral = [...setup.discriminator, ...setup.generator]
    .some((layer) => layer.type === "linear" && layer.spectralNorm);
  if (spectral) return "with spectral norm: its power iteration is not part of the joint field";
  if (!jointUpdates(setup)) {
    return "with separate D updates: it regularises the joint field, so D's step sums both " +
      'terms (dUpdate "joint")';
  }
  if (LOSS_KINDS[setup.loss].paired) {
    return `with the ${setup.loss} loss: the engines' consensus terms are written for losses ` +
      "whose terms each read one batch";
  }
  return undefined;
}
