/**
 * Every loss term's, optimiser's and penalty's fused form computes what its
 * reference form (tf ops) computes: loss values and gradients at one
 * prediction at a time; optimiser updates over 100 steps of the same
 * gradients, with every buffer they keep, bit for bit (the fused forms
 * round each operation as the reference's tf ops do); the weight clip.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import { LOSS_KINDS, LOSSES, type LossKind, type Sides, termOf } from "../src/kinds/losses/mod.ts";
import {
  createOptimiser,
  fusedOptimiser,
  OPTIMISER_KINDS,
  type OptimiserOptions,
  OPTIMISERS,
} from "../src/kinds/optimisers/mod.ts";
import { PENALTY_KINDS, type PenaltyKind } from "../src/kinds/penalties/mod.ts";
import { randomTensor } from "./tensors.ts";
import { relativeError } from "./fused_helpers.ts";
import { toParameterMajor, toRunMajor } from "../src/engine/fused/layout.ts";

await useBackend();

const TOLERANCE = 1e-6;

for (const loss of LOSSES) {
  const kind: LossKind = LOSS_KINDS[loss];
  for (const player of ["discriminator", "generator"] as const) {
    for (const batch of [1, 4]) {
      Deno.test(`fused ${loss} ${player}'s objective equals its tf form: parts and gradients (batch ${batch})`, () => {
        tf.tidy(() => {
          const objective = kind[player];
          const [low, high] = kind.head === "sigmoid" ? [1e-6, 1] : [-3, 3];
          const tensors = {
            real: randomTensor([3, batch, 1], 5, low, high),
            fake: randomTensor([3, batch, 1], 6, low, high),
          };
          const arrays = {
            real: tensors.real.dataSync() as Float32Array,
            fake: tensors.fake.dataSync() as Float32Array,
          };
          const pick = <T>(o: { real: T; fake: T }): Sides<T> =>
            Object.fromEntries(objective.reads.map((side) => [side, o[side]]));
          const shape = { runs: 3, batch };
          const parts = { real: new Float64Array(3), fake: new Float64Array(3) };
          objective.fused.parts(pick(arrays), shape, parts);
          const reference = objective.parts(pick(tensors));
          const into = { real: new Float32Array(3 * batch), fake: new Float32Array(3 * batch) };
          const sides = player === "discriminator"
            ? (["real", "fake"] as const)
            : (["fake"] as const);
          objective.fused.gradients(
            pick(arrays),
            shape,
            Object.fromEntries(sides.map((side) => [side, into[side]])),
            false,
          );
          const gradients = objective.gradients(pick(tensors), false);
          for (const side of objective.partsOn) {
            const error = relativeError(parts[side], reference[side]!.dataSync());
            assert(error <= TOLERANCE, `part ${side}: relative error ${error}`);
          }
          for (const side of sides) {
            const error = relativeError(into[side], gradients[side]!.dataSync());
            assert(error <= TOLERANCE, `gradient at ${side}: relative error ${error}`);
          }
        });
      });
    }
  }
  if (!kind.terms) continue;
  for (const term of ["real", "fake", "generator"] as const) {
    for (const batch of [1, 4]) {
      Deno.test(`fused ${loss} ${term} term equals its tf form (batch ${batch})`, () => {
        tf.tidy(() => {
          const sigmoidHead = LOSS_KINDS[loss].head === "sigmoid";
          // Probabilities for a sigmoid head (the extremes included), scores otherwise.
          const output = sigmoidHead
            ? tf.concat([randomTensor([2, batch, 1], 4, 1e-6, 1), tf.fill([1, batch, 1], 1)], 0)
            : randomTensor([3, batch, 1], 4, -3, 3);
          const values = output.dataSync() as Float32Array;
          const reference = termOf(loss, term);
          const { fused } = reference;
          const perRun = (f: (x: number) => number) =>
            Array.from({ length: 3 }, (_, r) => {
              let sum = 0;
              for (let b = 0; b < batch; b++) sum += f(values[r * batch + b]);
              return sum / batch;
            });
          const errors: Record<string, number> = {
            value: relativeError(perRun(fused.value), reference.value(output).dataSync()),
            gradient: relativeError(
              Array.from(values, (x) => fused.gradient(x) / batch),
              reference.gradient(output).dataSync(),
            ),
          };
          if (reference.gradientAtLogit) {
            assert(fused.gradientAtLogit, "a term with a gradient at the logit has a fused one");
            errors.gradientAtLogit = relativeError(
              Array.from(values, (p) => fused.gradientAtLogit!(p) / batch),
              reference.gradientAtLogit(output).dataSync(),
            );
          }
          for (const [what, error] of Object.entries(errors)) {
            assert(error <= TOLERANCE, `${what}: relative error ${error}`);
          }
        });
      });
    }
  }
}

const RUNS = 3;
const SIZE = 7;

/** Each option's value for the three runs of a batch whose runs differ in it. */
const PER_RUN: Record<string, readonly number[]> = {
  beta1: [0, 0.5, 0.9],
  beta2: [0.9, 0.99, 0.999],
  eps: [1e-8, 1e-6, 1e-4],
  momentum: [0, 0.5, 0.9],
  alpha: [0.5, 0.9, 0.99],
};

/** Each optimiser with PyTorch's defaults, and with settings that differ per run. */
const OPTIMISER_CASES: [string, OptimiserOptions, OptimiserOptions[] | undefined][] = OPTIMISERS
  .flatMap((name) => {
    const varied = Array.from({ length: RUNS }, (_, r) =>
      ({
        name,
        ...Object.fromEntries(
          Object.keys(OPTIMISER_KINDS[name].options).map((key) => [key, PER_RUN[key][r]]),
        ),
      }) as OptimiserOptions);
    return [
      [`${name}, PyTorch's defaults`, { name }, undefined],
      [`${name}, settings per run`, varied[0], varied],
    ] as [string, OptimiserOptions, OptimiserOptions[] | undefined][];
  });

for (const [name, options, perRun] of OPTIMISER_CASES) {
  Deno.test(`fused ${name}: 100 steps equal the reference's, every buffer too`, () => {
    const rates = [0.01, 0.001, 0.05];
    const reference = createOptimiser(options, rates, SIZE, perRun);
    const fused = fusedOptimiser(options, rates, SIZE, perRun);
    const start = randomTensor([RUNS, 1, SIZE], 5);
    let parameters = tf.keep(start.clone());
    // The fused layout: parameter k of run r at k·R + r.
    const ours = toParameterMajor(start.dataSync(), SIZE);
    const buffers = Array.from(
      { length: fused.buffers },
      (_, k) => new Float32Array(RUNS * SIZE).fill(fused.initial?.[k] ?? 0),
    );
    for (let step = 1; step <= 100; step++) {
      // Gradients over four decades, some of them tiny, as a GAN's are.
      const gradient = tf.tidy(() =>
        tf.mul(randomTensor([RUNS, 1, SIZE], 100 + step), 10 ** (step % 4 - 3))
      );
      const next = tf.tidy(() => reference.step(parameters, gradient));
      tf.dispose([parameters]);
      parameters = tf.keep(next);
      fused.step(ours, toParameterMajor(gradient.dataSync(), SIZE), buffers, step);
      gradient.dispose();
    }
    // Each float32 operation in the reference's order: the same bits.
    assertEquals(toRunMajor(ours, SIZE), parameters.dataSync(), "parameters");
    const saved = reference.save();
    assertEquals(saved.values.length, fused.buffers, "the snapshot's buffers, in order");
    saved.values.forEach((values, k) => {
      assertEquals(toRunMajor(buffers[k], SIZE), values, `buffer ${k}`);
    });
    tf.dispose([parameters, start, ...reference.state()]);
  });
}

Deno.test("the fused weight clip clamps as the tf one, one clip value or one per run", () => {
  const clip = PENALTY_KINDS.weight_clip;
  for (const value of [0.01, [0.01, 0.1, 0.5]]) {
    const parameters = randomTensor([RUNS, 1, SIZE], 6);
    const ours = toParameterMajor(parameters.dataSync(), SIZE);
    clip.fused.afterStep(ours, SIZE, value);
    assertEquals(toRunMajor(ours, SIZE), clip.afterStep(parameters, value).dataSync());
  }
});

Deno.test("every penalty has a fused form of its own kind, at the site its reference form takes", () => {
  for (const [name, kind] of Object.entries(PENALTY_KINDS) as [string, PenaltyKind][]) {
    if (kind.afterStep) {
      assert(kind.fused?.afterStep, `${name}: a constraint without a fused afterStep`);
      continue;
    }
    const at = kind.fused?.gradientNorm?.at;
    if (kind.onReal) assertEquals(at, "real", name);
    else assert(at === "fake" || at === "interpolate", `${name}: fused at ${at}`);
  }
});
