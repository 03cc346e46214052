/**
 * The fused engine: the schedule's iteration (`../schedule.ts`) on the fused
 * primitives, one tfjs kernel call per chunk of iterations (`kernel.ts`),
 * under the driver both engines share (`../driver.ts`), with the same
 * inputs, records and snapshots as the reference engine. A batch with no
 * fused form (`fusedSupport`) trains on the reference engine (`train.ts`
 * chooses).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { drive, type EngineBatch, type TrainOptions } from "../driver.ts";
import { initialValues, perRunOptimisers } from "../initial.ts";
import type { BatchPlan } from "../plan.ts";
import type { RecordedBlocks, RunRecord } from "../records.ts";
import type { RunSetup, TrainingSetup } from "../setup.ts";
import {
  type BatchSnapshot,
  restoreStreamsAndRecords,
  snapshotStreamsAndRecords,
} from "../snapshot.ts";
import { NetworkError } from "../../nn/layers/mod.ts";
import { fusedOptimiser } from "../../kinds/optimisers/mod.ts";
import { leaseKernels } from "../../nn/kernels/mod.ts";
import { runTrainSteps, stateLayout } from "./kernel.ts";
import { compileProgram, type FusedProgram } from "./program.ts";

/**
 * Trains every run of `runs` with the shared `setup` on the fused engine.
 *
 * @throws {Error} where the setup has no fused form (`fusedSupport`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trainBatchFused } from "./engine.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const [record] = await trainBatchFused(
 *   { ...trainingSetup(resolveConfig("book", {})), iterations: 100 },
 *   [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }],
 * );
 * assertEquals(record.curves.g_loss.length, 10);
 * ```
 */
export function trainBatchFused(
  setup: TrainingSetup,
  runs: readonly RunSetup[],
  options: TrainOptions = {},
): Promise<RunRecord[]> {
  return drive(fusedBatch, setup, runs, options);
}

/**
 * A planned batch on the fused engine: its program, and its state as the
 * kernel's tensors.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedBatch } from "./engine.ts";
 * import { planBatch } from "../plan.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const runs = [{ seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } }];
 * const batch = fusedBatch(planBatch({ ...trainingSetup(resolveConfig("book", {})), iterations: 20 }, runs), runs);
 * await batch.train(0, 20);
 * assertEquals(batch.recorded().curveIterations, [10, 20]);
 * batch.dispose();
 * ```
 */
export function fusedBatch(plan: BatchPlan, runs: readonly RunSetup[]): EngineBatch {
  const perRun = perRunOptimisers(runs);
  // One set of kernels for the batch (every buffer of its program in one memory), given back
  // when the batch is disposed.
  const lease = leaseKernels();
  const { kernels } = lease;
  const program = compileProgram(plan, {
    discriminator: fusedOptimiser(
      plan.optimisers.discriminator,
      runs.map((run) => run.learningRates.discriminator),
      plan.discriminator.parameterCount,
      perRun,
      kernels,
    ),
    generator: fusedOptimiser(
      plan.optimisers.generator,
      runs.map((run) => run.learningRates.generator),
      plan.generator.parameterCount,
      perRun,
      kernels,
    ),
  }, kernels);
  const recorded: RecordedBlocks = {
    curveIterations: [],
    patternIterations: [],
    curves: [],
    patterns: [],
  };
  let state = initialState(program, runs);
  return {
    train(first, count) {
      const chunk = runTrainSteps(program, state, first, count);
      tf.dispose(state);
      state = chunk.state;
      keepRecords(plan, recorded, first, first + count, chunk);
    },
    recorded: () => recorded,
    snapshot: (done) => snapshotOf(program, state, recorded, done),
    restore(snapshot) {
      const restored = restoredState(program, snapshot, recorded);
      tf.dispose(state);
      state = restored;
    },
    final: () =>
      Promise.resolve({
        discriminator: state[0].dataSync() as Float32Array,
        generator: state[1].dataSync() as Float32Array,
      }),
    dispose() {
      tf.dispose(state);
      lease.release();
    },
  };
}

/** Reads a chunk's records back and files them with their iterations. */
function keepRecords(
  plan: BatchPlan,
  recorded: RecordedBlocks,
  first: number,
  end: number,
  chunk: { curves: tf.Tensor; patterns: tf.Tensor },
): void {
  for (let done = first + 1; done <= end; done++) {
    if (done % plan.recordEvery === 0) recorded.curveIterations.push(done);
    if (done % plan.patternEvery === 0) recorded.patternIterations.push(done);
  }
  if (chunk.curves.size) recorded.curves.push(chunk.curves.dataSync() as Float32Array);
  if (chunk.patterns.size) recorded.patterns.push(chunk.patterns.dataSync() as Float32Array);
  tf.dispose([chunk.curves, chunk.patterns]);
}

/**
 * The batch's state tensors at the start: seeded (or given) weights, optimiser
 * buffers at each optimiser's `initial` values (zeros where it gives none).
 */
function initialState(program: FusedProgram, runs: readonly RunSetup[]): tf.Tensor[] {
  const layout = stateLayout(program);
  const values = layout.shapes.map(([r, n]) => new Float32Array(r * n));
  const state = layout.state(values);
  state.discriminatorOptimiser.forEach((buffer, k) =>
    buffer.fill(program.optimisers.discriminator.initial?.[k] ?? 0)
  );
  state.generatorOptimiser.forEach((buffer, k) =>
    buffer.fill(program.optimisers.generator.initial?.[k] ?? 0)
  );
  const initial = initialValues(program.plan, runs);
  state.discriminator.set(initial.discriminator);
  state.generator.set(initial.generator);
  state.spectral.forEach((vectors, index) => {
    vectors?.u.set(initial.spectral[index]!.u);
    vectors?.v.set(initial.spectral[index]!.v);
  });
  state.generatorSpectral.forEach((vectors, index) => {
    vectors?.u.set(initial.generatorSpectral[index]!.u);
    vectors?.v.set(initial.generatorSpectral[index]!.v);
  });
  return values.map((array, k) => tf.tensor2d(array, layout.shapes[k] as [number, number]));
}

/** A snapshot of the batch after `done` iterations, in the reference engine's format. */
function snapshotOf(
  program: FusedProgram,
  tensors: readonly tf.Tensor[],
  recorded: RecordedBlocks,
  done: number,
): BatchSnapshot {
  const state = stateLayout(program).state(tensors.map((t) => t.dataSync() as Float32Array));
  return {
    iterationsDone: done,
    discriminator: state.discriminator,
    generator: state.generator,
    spectral: state.spectral.map((vectors) => vectors ?? null),
    generatorSpectral: state.generatorSpectral.map((vectors) => vectors ?? null),
    optimisers: {
      discriminator: { step: program.steps.discriminator, values: state.discriminatorOptimiser },
      generator: { step: program.steps.generator, values: state.generatorOptimiser },
    },
    ...snapshotStreamsAndRecords(program.plan, recorded),
  };
}

/** The state tensors a snapshot holds; puts its records and random positions back. */
function restoredState(
  program: FusedProgram,
  snapshot: BatchSnapshot,
  recorded: RecordedBlocks,
): tf.Tensor[] {
  const { plan } = program;
  const layout = stateLayout(program);
  const spectral = layout.spectralLayers.flatMap(({ index }) => {
    const vectors = snapshot.spectral[index];
    return vectors ? [vectors.u, vectors.v] : [];
  });
  const generatorSpectral = layout.generatorSpectralLayers.flatMap(({ index }) => {
    const vectors = snapshot.generatorSpectral?.[index];
    return vectors ? [vectors.u, vectors.v] : [];
  });
  const values = [
    snapshot.discriminator,
    snapshot.generator,
    ...snapshot.optimisers.discriminator.values,
    ...snapshot.optimisers.generator.values,
    ...spectral,
    ...generatorSpectral,
  ];
  const fits = values.length === layout.shapes.length &&
    values.every((array, k) => array.length === layout.shapes[k][0] * layout.shapes[k][1]) &&
    snapshot.randoms.length === plan.runs;
  if (!fits) throw new NetworkError("the snapshot is of another batch (its sizes differ)");
  program.steps.discriminator = snapshot.optimisers.discriminator.step;
  program.steps.generator = snapshot.optimisers.generator.step;
  restoreStreamsAndRecords(plan, recorded, snapshot);
  return values.map((array, k) => tf.tensor2d(array, layout.shapes[k] as [number, number]));
}
