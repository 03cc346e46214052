/**
 * A batch planned: its setup checked, every default filled in, its step
 * declared, its penalties with each run's setting, and each run's random
 * streams (real data, G's input, interpolation weights, instance noise)
 * opened, as both engines read them.
 *
 * @module
 */
import { generatorInputStream, inputWidth, realDataStream } from "../core/data.ts";
import { createRandom, gaussian, type Random, STREAMS } from "../core/random.ts";
import { NetworkError } from "../nn/layers/mod.ts";
import { createNetwork, type Network } from "../nn/network.ts";
import { LOSS_KINDS, type LossName } from "../kinds/losses/mod.ts";
import {
  PENALTY_KINDS,
  type PenaltyKind,
  penaltyList,
  penaltySetting,
  type PenaltyValue,
  type ResolvedPenalty,
} from "../kinds/penalties/mod.ts";
import { checkSetup, type RunSetup, type TrainingSetup, withDefaults } from "./setup.ts";
import { declaredStep, type TrainingStep } from "./step.ts";

/** One of a batch's penalties: what it is, its kind, and its setting (one, or one per run). */
export interface PlannedPenalty {
  readonly penalty: ResolvedPenalty;
  readonly kind: PenaltyKind;
  readonly value: PenaltyValue;
}

/** A batch with every default filled in and its random sources set up. */
export interface BatchPlan {
  readonly discriminator: Network;
  readonly generator: Network;
  readonly loss: LossName;
  readonly optimisers: TrainingSetup["optimisers"];
  /** The batch's penalties, in the order the step places them (empty for none). */
  readonly penalties: readonly PlannedPenalty[];
  /** What one iteration does, as both engines execute it (its critic steps included). */
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

/**
 * Plans a batch: checks the setup, fills in defaults, opens each run's random streams.
 *
 * @throws {NetworkError} for a setup that cannot be trained, or runs that do not fit it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { planBatch } from "./plan.ts";
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
  const inputsTaken = runs.map(() => 0);
  // The instance-noise stream is a run's fourth only where there is noise (older snapshots hold three).
  const randoms = runs.map((_, r) => [
    streams[r].random,
    inputs[r].random,
    alphaStreams[r],
    ...(sigma > 0 ? [noiseStreams[r]] : []),
  ]);
  const penalties = plannedPenalties(setup, runs);
  return {
    discriminator: createNetwork(setup.discriminator),
    generator: createNetwork(setup.generator),
    loss: setup.loss,
    optimisers: setup.optimisers,
    penalties,
    step: declaredStep({
      dSteps,
      criticStep: setup.criticStep,
      updates: setup.updates,
      generatorBatch: setup.generatorBatch,
      penalties: penalties.map((planned) => planned.kind),
      consensus: setup.consensus,
      paired: LOSS_KINDS[setup.loss].paired,
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
    inputSource: (run, into) => {
      const given = runs[run].generatorInputs;
      if (given && generatorInput.kind !== "constant") {
        into.set(given.subarray(inputsTaken[run], inputsTaken[run] + into.length));
        inputsTaken[run] += into.length;
      } else inputs[run].fill(into);
    },
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
 * The batch's penalties in the step's order, each with its setting: one
 * number, or one per run where the runs' own settings differ.
 */
function plannedPenalties(setup: TrainingSetup, runs: readonly RunSetup[]): PlannedPenalty[] {
  const shared = penaltyList(setup.penalty);
  const own = runs.map((run) => run.penalty === undefined ? shared : penaltyList(run.penalty));
  return shared.map((penalty, k) => {
    const values = own.map((list, r) => {
      const mine = list[k];
      if (list.length !== shared.length || mine?.name !== penalty.name) {
        throw new NetworkError(
          `run ${runs[r].seed}: every run of a batch has the batch's penalties`,
        );
      }
      return penaltySetting(mine);
    });
    const value = values.every((v) => v === values[0]) ? values[0] : values;
    return { penalty, kind: PENALTY_KINDS[penalty.name], value };
  });
}
