/**
 * The contract both engines keep: what a batch is (its setup, its runs, its
 * plan with every default filled in and each run's random streams), where
 * every run starts, what training records and how a snapshot of a batch in
 * training looks. The reference engine (`reference/`) and the fused engine
 * (`fused/`) each implement {@link TrainBatch} over it, and the training step
 * both interpret is declared in `step.ts`.
 *
 * @module
 */
import {
  checkData,
  DataError,
  type DataSpec,
  type GeneratorInput,
  generatorInputStream,
  inputWidth,
  realDataStream,
  SEED_PATTERN,
} from "../core/data.ts";
import { checkNetwork, type Layer, NetworkError } from "../nn/layers/mod.ts";
import type { LossName } from "../kinds/losses/mod.ts";
import { createNetwork, hasSpectralNorm, type Network } from "../nn/network.ts";
import type { OptimiserOptions, OptimiserSnapshot } from "../kinds/optimisers/mod.ts";
import { seededParameters, seededSpectralVectors } from "../nn/parameters.ts";
import {
  PENALTY_KINDS,
  type PenaltyKind,
  type PenaltyValue,
  type ResolvedPenalty,
} from "../kinds/penalties/mod.ts";
import { createRandom, gaussian, type Random, STREAMS } from "../core/random.ts";
import {
  CURVE_COLUMNS,
  type CurveColumn,
  declaredStep,
  type DiscriminatorUpdate,
  RECORD_INTERVALS,
  type TrainingStep,
  type UpdateOrder,
} from "./step.ts";

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
  /** A penalty or constraint on D (default none). */
  readonly penalty?: ResolvedPenalty;
  /** D (critic) steps per G step, each on its own real sample (default 1). */
  readonly dSteps?: number;
  /** D's updates in one critic step (default the seed's: one on real, one on fake; see `step.ts`). */
  readonly criticStep?: readonly DiscriminatorUpdate[];
  /** Alternating (default: G steps through the updated D) or simultaneous updates (see `step.ts`). */
  readonly updates?: UpdateOrder;
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
  /** Replaces the seeded instance noise: batch × width numbers per D input, in the order D sees them. */
  readonly instanceNoise?: Float32Array;
  /** Replaces the seeded interpolation weights of a gradient penalty, one per critic step and sample. */
  readonly alphas?: Float32Array;
  /** This run's optimiser settings, where runs of a batch differ in them (same optimiser). */
  readonly optimiser?: OptimiserOptions;
  /** This run's penalty setting, where runs of a batch differ in it (same penalty). */
  readonly penalty?: ResolvedPenalty;
}

export { CURVE_COLUMNS, type CurveColumn } from "./step.ts";

/** What training recorded for one run. */
export interface RunRecord {
  readonly seed: number;
  /** Iterations completed at each curve record (10, 20, … by default). */
  readonly curveIterations: readonly number[];
  readonly curves: Record<CurveColumn, Float32Array>;
  /** Iterations completed at each record of G's output. */
  readonly patternIterations: readonly number[];
  /** G's output after those iterations, `patternIterations.length × width`. */
  readonly patterns: Float32Array;
  /** The first recorded iteration with a NaN or infinite value, or null. */
  readonly divergedAt: number | null;
  readonly finalParameters: {
    readonly discriminator: Float32Array;
    readonly generator: Float32Array;
  };
}

/** What the checks judge a run by: its records (a {@link RunRecord} without its seed and weights). */
export type Recording = Pick<
  RunRecord,
  "curveIterations" | "curves" | "patternIterations" | "patterns" | "divergedAt"
>;

/** Progress while a batch trains. */
export interface TrainProgress {
  readonly iterationsDone: number;
  readonly iterations: number;
  readonly runs: number;
}

/**
 * Everything a batch in training is, as numbers: enough to continue it later
 * and end with the numbers an uninterrupted batch ends with.
 */
export interface BatchSnapshot {
  readonly iterationsDone: number;
  /** Packed parameters of every run, `R × P` each. */
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  /** D's spectral-norm vectors by layer (null for other layers). */
  readonly spectral: readonly ({ u: Float32Array; v: Float32Array } | null)[];
  /** G's, likewise (empty without spectral norm on G; absent in older snapshots). */
  readonly generatorSpectral?: readonly ({ u: Float32Array; v: Float32Array } | null)[];
  readonly optimisers: {
    readonly discriminator: OptimiserSnapshot;
    readonly generator: OptimiserSnapshot;
  };
  /** Each run's random streams' positions. */
  readonly randoms: readonly (readonly (readonly number[])[])[];
  /** What was recorded so far. */
  readonly curveIterations: readonly number[];
  readonly patternIterations: readonly number[];
  readonly curves: readonly Float32Array[];
  readonly patterns: readonly Float32Array[];
}

/** When to take a snapshot of a batch in training, and where it goes. */
export interface CheckpointOptions {
  /** Iterations between snapshots (rounded up to `progressEvery`). */
  readonly every: number;
  /** Or seconds since the last one, whichever comes first. */
  readonly seconds: number;
  readonly save: (snapshot: BatchSnapshot) => void | Promise<void>;
}

/** Options of an engine's {@link TrainBatch}. */
export interface TrainOptions {
  /** Called every `progressEvery` iterations and at the end. */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Iterations between progress calls and device read-backs (default 1000). */
  readonly progressEvery?: number;
  /** Take snapshots while training (none by default). */
  readonly checkpoint?: CheckpointOptions;
  /** Continue from a snapshot of the same batch instead of from the start. */
  readonly resume?: BatchSnapshot;
}

/** What an engine is: trains every run of `runs` with the shared `setup` as one batch. */
export type TrainBatch = (
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options?: TrainOptions,
) => Promise<RunRecord[]>;

/**
 * Whether a snapshot is due after `done` of `total` iterations: `every`
 * iterations or `seconds` since the last one, whichever first; never at the end.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkpointDue } from "./contract.ts";
 * const last = { iteration: 0, time: performance.now() };
 * const options = { every: 1000, seconds: 60, save: () => {} };
 * assertEquals(checkpointDue(options, 1000, 5000, last), true);
 * assertEquals(checkpointDue(options, 5000, 5000, { ...last, iteration: 4000 }), false);
 * ```
 */
export function checkpointDue(
  { every, seconds }: CheckpointOptions,
  done: number,
  total: number,
  last: { readonly iteration: number; readonly time: number },
): boolean {
  return done < total &&
    (done - last.iteration >= every || performance.now() - last.time >= 1000 * seconds);
}

/** A batch with every default filled in and its random sources set up. */
export interface BatchPlan {
  readonly discriminator: Network;
  readonly generator: Network;
  readonly loss: LossName;
  readonly optimisers: TrainingSetup["optimisers"];
  readonly penalty?: ResolvedPenalty;
  /** The penalty's setting: one number, or one per run where they differ. */
  readonly penaltyValue?: PenaltyValue;
  /** What one iteration does, as both engines interpret it (its critic steps included). */
  readonly step: TrainingStep;
  readonly iterations: number;
  readonly runs: number;
  readonly batchSize: number;
  readonly width: number;
  readonly inputWidth: number;
  readonly recordEvery: number;
  readonly patternEvery: number;
  readonly realSource: (run: number, iteration: number, into: Float32Array) => void;
  readonly inputSource: (run: number, into: Float32Array) => void;
  readonly alphaSource: (run: number, step: number, into: Float32Array) => void;
  /** Instance noise's σ (0: none). */
  readonly instanceNoise: number;
  /** The next instance-noise vector of a run: batch × width numbers, in the order D sees its inputs. */
  readonly noiseSource: (run: number, into: Float32Array) => void;
  /** Each run's random streams (real data, G's input, interpolates), for checkpoints. */
  readonly randoms: readonly (readonly Random[])[];
  readonly constantInput: boolean;
}

/** A setup with every default filled in. */
function withDefaults(setup: TrainingSetup): Required<TrainingSetup> {
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
 * Plans a batch: checks the setup, fills in defaults, opens each run's random streams.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { planBatch } from "./contract.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const plan = planBatch(trainingSetup(resolveConfig("seed", {})), [
 *   { seed: 1, learningRates: { discriminator: 0.001, generator: 0.01 } },
 * ]);
 * assertEquals([plan.runs, plan.width, plan.step.criticSteps, plan.recordEvery], [1, 6, 1, 10]);
 * ```
 */
export function planBatch(setup: TrainingSetup, runs: readonly RunSetup[]): BatchPlan {
  const { batchSize, generatorInput, pattern, recordEvery, patternEvery, iterations, dSteps } =
    withDefaults(setup);
  if (runs.length === 0) throw new NetworkError("a batch needs at least one run");
  checkSetup(setup);
  const gIn = inputWidth(generatorInput);
  const perIteration = batchSize * pattern.width;
  const streams = runs.map((run) => {
    const needed = iterations * dSteps * perIteration;
    if (run.realSamples && run.realSamples.length < needed) {
      throw new NetworkError(
        `run ${run.seed}: realSamples holds ${run.realSamples.length} numbers, needs ${needed}`,
      );
    }
    return realDataStream(run.seed, pattern);
  });
  const inputs = runs.map((run) => generatorInputStream(run.seed, generatorInput));
  const alphaStreams = runs.map((run) => createRandom(run.seed, STREAMS.penalty));
  const sigma = setup.instanceNoise ?? 0;
  const noiseStreams = runs.map((run) => createRandom(run.seed, STREAMS.instanceNoise));
  const noiseTaken = runs.map(() => 0);
  // The instance-noise stream is a run's fourth only where there is noise (older snapshots hold three).
  const randoms = runs.map((_, r) => [
    streams[r].random,
    inputs[r].random,
    alphaStreams[r],
    ...(sigma > 0 ? [noiseStreams[r]] : []),
  ]);
  return {
    discriminator: createNetwork(setup.discriminator),
    generator: createNetwork(setup.generator),
    loss: setup.loss,
    optimisers: setup.optimisers,
    penalty: setup.penalty,
    penaltyValue: penaltyValueOf(setup.penalty, runs),
    step: declaredStep({
      dSteps,
      criticStep: setup.criticStep,
      updates: setup.updates,
      penalty: setup.penalty && PENALTY_KINDS[setup.penalty.name],
      consensus: setup.consensus,
    }),
    iterations,
    runs: runs.length,
    batchSize,
    width: pattern.width,
    inputWidth: gIn,
    recordEvery,
    patternEvery,
    realSource: (run, iteration, into) => {
      const given = runs[run].realSamples;
      if (given) {
        into.set(given.subarray(iteration * perIteration, (iteration + 1) * perIteration));
      } else streams[run].fill(into);
    },
    inputSource: (run, into) => inputs[run].fill(into),
    randoms,
    alphaSource: (run, step, into) => {
      const given = runs[run].alphas;
      if (given) into.set(given.subarray(step * batchSize, (step + 1) * batchSize));
      else for (let i = 0; i < into.length; i++) into[i] = alphaStreams[run].next();
    },
    instanceNoise: sigma,
    noiseSource: (run, into) => {
      const given = runs[run].instanceNoise;
      if (given) {
        into.set(given.subarray(noiseTaken[run], noiseTaken[run] + into.length));
        noiseTaken[run] += into.length;
      } else for (let i = 0; i < into.length; i++) into[i] = gaussian(noiseStreams[run]);
    },
    constantInput: generatorInput.kind === "constant",
  };
}

/**
 * Checks that a setup can be trained: positive counts, layer stacks that fit
 * the pattern and the generator's input, batch_norm only with batches ≥ 2.
 *
 * @throws {NetworkError} naming what is wrong.
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

/** Why a setup cannot take consensus optimisation, or undefined. */
function consensusUnsupported(setup: TrainingSetup): string | undefined {
  const penalty: PenaltyKind | undefined = setup.penalty && PENALTY_KINDS[setup.penalty.name];
  if (penalty && (penalty.onReal || penalty.onFake)) {
    return `with the ${setup.penalty!.name} penalty: ∇(½‖v‖²) would differentiate the ` +
      "penalty's input gradient a third time, which neither engine does";
  }
  if ((setup.instanceNoise ?? 0) > 0) {
    return "with instance noise: the joint field would need each player's noise draws fixed " +
      "across the regulariser's evaluations, which the engines do not keep";
  }
  const spectral = [...setup.discriminator, ...setup.generator]
    .some((layer) => layer.type === "linear" && layer.spectralNorm);
  if (spectral) return "with spectral norm: its power iteration is not part of the joint field";
  if (!setup.criticStep || setup.criticStep.some((update) => update.terms.length !== 2)) {
    return "with separate D updates: it regularises the joint field, so D's step sums both " +
      'terms (dUpdate "joint")';
  }
  return undefined;
}

export interface InitialValues {
  /** `R × P` each. */
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
  /** D's spectral-norm vectors by layer, `R × out` and `R × in` (undefined for other layers). */
  readonly spectral: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
  /** G's, likewise (empty without spectral norm on G). */
  readonly generatorSpectral: readonly ({ u: Float32Array; v: Float32Array } | undefined)[];
}

/**
 * Each run's seeded (or given) weights and spectral vectors, packed run
 * after run: what both engines start from.
 *
 * @throws {NetworkError} when a given array does not fit the network.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { initialValues, planBatch } from "./contract.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const rates = { discriminator: 0.01, generator: 0.01 };
 * const runs = [{ seed: 1, learningRates: rates }, { seed: 2, learningRates: rates }];
 * const values = initialValues(planBatch(trainingSetup(resolveConfig("book", {})), runs), runs);
 * assertEquals(values.discriminator.length, 2 * 19);
 * ```
 */
export function initialValues(plan: BatchPlan, runs: readonly RunSetup[]): InitialValues {
  const packed = (network: Network, perRun: readonly Float32Array[]) => {
    const values = new Float32Array(plan.runs * network.parameterCount);
    runs.forEach((run, r) => {
      const own = perRun[r];
      if (own.length !== network.parameterCount) {
        throw new NetworkError(
          `run ${run.seed}: has ${own.length} parameters, the network ${network.parameterCount}`,
        );
      }
      values.set(own, r * network.parameterCount);
    });
    return values;
  };
  const initial = runs.map((run) =>
    run.initialParameters ??
      seededParameters(run.seed, plan.discriminator.layers, plan.generator.layers)
  );
  return {
    discriminator: packed(plan.discriminator, initial.map((p) => p.discriminator)),
    generator: packed(plan.generator, initial.map((p) => p.generator)),
    spectral: initialSpectral(plan.discriminator, runs, "discriminator"),
    generatorSpectral: initialSpectral(plan.generator, runs, "generator"),
  };
}

/**
 * Each run's own optimiser settings, if every run states them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { perRunOptimisers } from "./contract.ts";
 * const rates = { discriminator: 0.01, generator: 0.01 };
 * assertEquals(perRunOptimisers([{ seed: 1, learningRates: rates }]), undefined);
 * ```
 */
export function perRunOptimisers(runs: readonly RunSetup[]): OptimiserOptions[] | undefined {
  return runs.every((run) => run.optimiser) ? runs.map((run) => run.optimiser!) : undefined;
}

/** The penalty's setting for the batch: one number, or one per run where they differ. */
function penaltyValueOf(
  penalty: ResolvedPenalty | undefined,
  runs: readonly RunSetup[],
): PenaltyValue | undefined {
  if (!penalty) return undefined;
  const setting = PENALTY_KINDS[penalty.name].setting;
  const values = runs.map((run) => {
    const own = run.penalty ?? penalty;
    if (own.name !== penalty.name) {
      throw new NetworkError(`run ${run.seed}: every run of a batch has the batch's penalty`);
    }
    return (own as unknown as Record<string, number>)[setting];
  });
  return values.every((value) => value === values[0]) ? values[0] : values;
}

/** Each run's spectral-norm vectors for a network's wrapped layers, packed run after run. */
function initialSpectral(
  network: Network,
  runs: readonly RunSetup[],
  which: "discriminator" | "generator",
): InitialValues["spectral"] {
  if (!hasSpectralNorm(network)) return [];
  const seeded = runs.map((run) =>
    (which === "discriminator" ? run.initialSpectral : run.initialGeneratorSpectral) ??
      seededSpectralVectors(run.seed, network.layers, which)
  );
  return network.layers.map((layer, index) => {
    if (layer.type !== "linear" || !layer.spectralNorm) return undefined;
    const stacked = (pick: "u" | "v", size: number) => {
      const values = new Float32Array(runs.length * size);
      seeded.forEach((vectors, r) => {
        const own = vectors[index]?.[pick];
        if (!own || own.length !== size) {
          throw new NetworkError(
            `run ${runs[r].seed}: layer ${index} needs a spectral ${pick} of ${size} numbers`,
          );
        }
        values.set(own, r * size);
      });
      return values;
    };
    return { u: stacked("u", layer.out), v: stacked("v", layer.in) };
  });
}

export interface Recorded {
  readonly curveIterations: readonly number[];
  readonly patternIterations: readonly number[];
  readonly curves: readonly Float32Array[];
  readonly patterns: readonly Float32Array[];
}

/** What was recorded so far, as the recorders keep it (blocks appended as they are read back). */
export interface RecordedBlocks {
  readonly curveIterations: number[];
  readonly patternIterations: number[];
  readonly curves: Float32Array[];
  readonly patterns: Float32Array[];
}

/** The parts of a snapshot both engines take alike: the random streams' positions and the records. */
export function snapshotStreamsAndRecords(
  plan: BatchPlan,
  recorded: Recorded,
): Pick<
  BatchSnapshot,
  "randoms" | "curveIterations" | "patternIterations" | "curves" | "patterns"
> {
  return {
    randoms: plan.randoms.map((streams) => streams.map((random) => random.state())),
    curveIterations: [...recorded.curveIterations],
    patternIterations: [...recorded.patternIterations],
    curves: [...recorded.curves],
    patterns: [...recorded.patterns],
  };
}

/** Puts a snapshot's random-stream positions and records back (see {@link snapshotStreamsAndRecords}). */
export function restoreStreamsAndRecords(
  plan: BatchPlan,
  recorded: RecordedBlocks,
  snapshot: BatchSnapshot,
): void {
  plan.randoms.forEach((streams, r) =>
    streams.forEach((random, k) => random.restore(snapshot.randoms[r][k]))
  );
  recorded.curveIterations.push(...snapshot.curveIterations);
  recorded.patternIterations.push(...snapshot.patternIterations);
  recorded.curves.push(...snapshot.curves);
  recorded.patterns.push(...snapshot.patterns);
}

/**
 * Each run's record from what its batch recorded and its final packed
 * parameters (`R × P` each): blocks hold, per run, its curve values
 * (`CURVE_COLUMNS` per record) or its G outputs (`width` per record).
 */
export function assembleRecords(
  plan: BatchPlan,
  runs: readonly RunSetup[],
  { curveIterations, patternIterations, curves: curveBlocks, patterns: patternBlocks }: Recorded,
  final: { readonly discriminator: Float32Array; readonly generator: Float32Array },
): RunRecord[] {
  const curveCount = curveIterations.length;
  const columns = CURVE_COLUMNS.length;
  const dSize = plan.discriminator.parameterCount;
  const gSize = plan.generator.parameterCount;
  return runs.map((run, r) => {
    const curves = Object.fromEntries(
      CURVE_COLUMNS.map((name) => [name, new Float32Array(curveCount)]),
    ) as Record<CurveColumn, Float32Array>;
    let index = 0;
    for (const block of curveBlocks) {
      const perRun = block.length / plan.runs;
      for (let k = 0; k < perRun / columns; k++, index++) {
        CURVE_COLUMNS.forEach((name, c) => {
          curves[name][index] = block[r * perRun + k * columns + c];
        });
      }
    }
    const patterns = new Float32Array(patternIterations.length * plan.width);
    let offset = 0;
    for (const block of patternBlocks) {
      const perRun = block.length / plan.runs;
      patterns.set(block.subarray(r * perRun, (r + 1) * perRun), offset);
      offset += perRun;
    }
    return {
      seed: run.seed,
      curveIterations,
      curves,
      patternIterations,
      patterns,
      divergedAt: firstNonFinite(curveIterations, curves, patternIterations, patterns, plan.width),
      finalParameters: {
        discriminator: final.discriminator.slice(r * dSize, (r + 1) * dSize),
        generator: final.generator.slice(r * gSize, (r + 1) * gSize),
      },
    };
  });
}

/** A snapshot of a batch after `done` iterations (the recorder flushed). */

function firstNonFinite(
  curveIterations: readonly number[],
  curves: Record<CurveColumn, Float32Array>,
  patternIterations: readonly number[],
  patterns: Float32Array,
  width: number,
): number | null {
  let first: number | null = null;
  for (let k = 0; k < curveIterations.length; k++) {
    if (CURVE_COLUMNS.some((name) => !Number.isFinite(curves[name][k]))) {
      first = curveIterations[k];
      break;
    }
  }
  for (let k = 0; k < patternIterations.length; k++) {
    if (first !== null && patternIterations[k] >= first) break;
    for (let i = 0; i < width; i++) {
      if (!Number.isFinite(patterns[k * width + i])) return patternIterations[k];
    }
  }
  return first;
}
