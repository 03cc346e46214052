/**
 * What the relativistic losses share (Jolicoeur-Martineau 2019): D's raw
 * scores C on the real batch and on G's enter each term through a
 * difference, so that D judges how much more real a real sample is than a
 * fake one. Two shapes:
 *
 * - **paired** (RSGAN, = RpGAN of Sun, Fang & Schwing 2020 and R3GAN): sample
 *   i of each batch against sample i of the other, D minimising
 *   `mean f(C(x̃ᵢ) − C(xᵢ))` and G `mean f(C(xᵢ) − C(x̃ᵢ))`;
 * - **average** (RaSGAN, RaLSGAN, RaHinge): each sample against the *mean*
 *   score of the other batch, `t = C(x) − mean C(x̃)`, `u = C(x̃) − mean C(x)`,
 *   D minimising `½ [mean f_real(t) + mean f_fake(u)]` and G the same with
 *   the roles swapped, `½ [mean f_fake(t) + mean f_real(u)]`: the code of
 *   AlexiaJM/RelativisticGAN (`code/GAN_losses_iter.py`, `loss_D` 6–8, the
 *   halves included).
 *
 * Gradients are written out (the mean couples every sample of a batch to
 * every sample of the other): with `B` samples, `∂/∂C(xᵢ) = ½ [f_real′(tᵢ) −
 * mean f_fake′(u)] / B` and `∂/∂C(x̃ⱼ) = ½ [f_fake′(uⱼ) − mean f_real′(t)] / B`
 * for D, likewise for G.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import type { FusedObjective, Objective, OutputShape, Side, Sides } from "./kind.ts";

/** An element-wise function of a relativistic difference, as tf ops and as plain numbers, with its slope. */
export interface Elementwise {
  readonly op: (t: tf.Tensor) => tf.Tensor;
  readonly slopeOp: (t: tf.Tensor) => tf.Tensor;
  readonly value: (t: number) => number;
  readonly slope: (t: number) => number;
}

/** `log(1 + eˣ)` for one number, without overflow. */
function softplusOf(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * `softplus(s·t)`: BCE with logits at target 1 is `softplus(−t)` (s = −1),
 * at target 0 `softplus(t)` (s = 1).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { softplus } from "./relativistic.ts";
 * assertAlmostEquals(softplus(1).value(0), Math.LN2);
 * assertAlmostEquals(softplus(-1).slope(0), -0.5);
 * ```
 */
export function softplus(sign: 1 | -1): Elementwise {
  return {
    op: (t) => tf.softplus(sign === 1 ? t : tf.neg(t)),
    slopeOp: (t) => sign === 1 ? tf.sigmoid(t) : tf.neg(tf.sigmoid(tf.neg(t))),
    value: (t) => softplusOf(sign * t),
    slope: (t) => sign / (1 + Math.exp(-sign * t)),
  };
}

/**
 * `(t − c)²`, least squares towards the target `c`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { squaredTowards } from "./relativistic.ts";
 * assertEquals([squaredTowards(1).value(0), squaredTowards(-1).slope(0)], [1, 2]);
 * ```
 */
export function squaredTowards(target: 1 | -1): Elementwise {
  return {
    op: (t) => tf.square(tf.sub(t, constant(target))),
    slopeOp: (t) => tf.mul(tf.sub(t, constant(target)), constant(2)),
    value: (t) => (t - target) ** 2,
    slope: (t) => 2 * (t - target),
  };
}

/**
 * `max(0, 1 + s·t)`, the hinge (slope 0 at its kink, as PyTorch's ReLU).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { hingeOf } from "./relativistic.ts";
 * assertEquals([hingeOf(-1).value(0), hingeOf(-1).slope(0), hingeOf(-1).slope(2)], [1, -1, 0]);
 * ```
 */
export function hingeOf(sign: 1 | -1): Elementwise {
  return {
    op: (t) => tf.relu(tf.add(constant(1), sign === 1 ? t : tf.neg(t))),
    slopeOp: (t) =>
      tf.mul(tf.step(tf.add(constant(1), sign === 1 ? t : tf.neg(t))), constant(sign)),
    value: (t) => Math.max(0, 1 + sign * t),
    slope: (t) => (1 + sign * t > 0 ? sign : 0),
  };
}

/** The batch mean per run of `[R, B, 1]`, kept `[R, 1, 1]`. */
function batchMean(x: tf.Tensor): tf.Tensor {
  return tf.mean(x, [1, 2], true);
}

/**
 * The paired relativistic objectives (RSGAN = RpGAN) with the element-wise
 * `f` (softplus for RSGAN): D `mean f(C(x̃ᵢ) − C(xᵢ))`, G `mean f(C(xᵢ) −
 * C(x̃ᵢ))`. D's whole loss is its `real` part (`d_loss_real`; `d_loss_fake`
 * holds 0), G's its `fake` part.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { pairedObjectives, softplus } from "./relativistic.ts";
 * const { discriminator } = pairedObjectives(softplus(1));
 * const into = { real: new Float32Array(1), fake: new Float32Array(1) };
 * discriminator.fused.gradients({ real: Float32Array.of(1), fake: Float32Array.of(1) }, { runs: 1, batch: 1 }, into, false);
 * assertAlmostEquals(into.real[0], -0.5); // −σ(0)
 * ```
 */
export function pairedObjectives(
  f: Elementwise,
): { discriminator: Objective; generator: Objective } {
  /** One player's objective: `f(C(first) − C(second))` paired, differentiated at the sides `into` names. */
  const objective = (first: Side, second: Side, part: Side): Objective => ({
    reads: ["real", "fake"],
    partsOn: [part],
    atLogit: false,
    parts(outputs) {
      const difference = tf.sub(outputs[first]!, outputs[second]!);
      return { [part]: tf.mean(f.op(difference), [1, 2]) };
    },
    gradients(outputs) {
      const difference = tf.sub(outputs[first]!, outputs[second]!);
      const slope = tf.mul(f.slopeOp(difference), constant(1 / outputs.real!.shape[1]!));
      return { [first]: slope, [second]: tf.neg(slope) } as Sides<tf.Tensor>;
    },
    fused: {
      parts(outputs, { runs, batch }, into) {
        const [a, b, means] = [outputs[first]!, outputs[second]!, into[part]!];
        for (let r = 0; r < runs; r++) {
          let sum = 0;
          for (let i = r * batch; i < (r + 1) * batch; i++) sum += f.value(a[i] - b[i]);
          means[r] = sum / batch;
        }
      },
      gradients(outputs, { runs, batch }, into) {
        const [a, b] = [outputs[first]!, outputs[second]!];
        const [intoFirst, intoSecond] = [into[first], into[second]];
        for (let i = 0; i < runs * batch; i++) {
          const slope = f.slope(a[i] - b[i]) / batch;
          if (intoFirst) intoFirst[i] = slope;
          if (intoSecond) intoSecond[i] = -slope;
        }
      },
    },
  });
  return {
    discriminator: objective("fake", "real", "real"),
    generator: objective("real", "fake", "fake"),
  };
}

/**
 * The relativistic average objectives with `onReal` applied to
 * `t = C(x) − mean C(x̃)` and `onFake` to `u = C(x̃) − mean C(x)` in D's
 * loss, the two swapped in G's, each half of the loss (the code's `/2`).
 * Each player's parts are its two terms: `d_loss_real`, `d_loss_fake`, and
 * their sum `g_loss`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { averageObjectives, softplus } from "./relativistic.ts";
 * const { discriminator } = averageObjectives({ onReal: softplus(-1), onFake: softplus(1) });
 * const parts = { real: new Float64Array(1), fake: new Float64Array(1) };
 * discriminator.fused.parts({ real: Float32Array.of(2), fake: Float32Array.of(2) }, { runs: 1, batch: 1 }, parts);
 * assertAlmostEquals(parts.real[0], Math.LN2 / 2); // at equal scores each term is ½ ln 2
 * ```
 */
export function averageObjectives(
  { onReal, onFake }: { readonly onReal: Elementwise; readonly onFake: Elementwise },
): { discriminator: Objective; generator: Objective } {
  const objective = (realTerm: Elementwise, fakeTerm: Elementwise): Objective => {
    const fused: FusedObjective = {
      parts(outputs, shape, into) {
        const { t, u } = differences(outputs, shape);
        halfMeans(t, realTerm.value, shape, into.real!);
        halfMeans(u, fakeTerm.value, shape, into.fake!);
      },
      gradients(outputs, shape, into) {
        const { runs, batch } = shape;
        const { t, u } = differences(outputs, shape);
        for (let r = 0; r < runs; r++) {
          let [sumReal, sumFake] = [0, 0];
          for (let i = r * batch; i < (r + 1) * batch; i++) {
            sumReal += realTerm.slope(t[i]);
            sumFake += fakeTerm.slope(u[i]);
          }
          const [meanReal, meanFake] = [sumReal / batch, sumFake / batch];
          for (let i = r * batch; i < (r + 1) * batch; i++) {
            if (into.real) into.real[i] = (0.5 * (realTerm.slope(t[i]) - meanFake)) / batch;
            if (into.fake) into.fake[i] = (0.5 * (fakeTerm.slope(u[i]) - meanReal)) / batch;
          }
        }
      },
    };
    return {
      reads: ["real", "fake"],
      partsOn: ["real", "fake"],
      atLogit: false,
      parts(outputs) {
        const [real, fake] = [outputs.real!, outputs.fake!];
        const t = tf.sub(real, batchMean(fake));
        const u = tf.sub(fake, batchMean(real));
        return {
          real: tf.mul(tf.mean(realTerm.op(t), [1, 2]), constant(0.5)),
          fake: tf.mul(tf.mean(fakeTerm.op(u), [1, 2]), constant(0.5)),
        };
      },
      gradients(outputs) {
        const [real, fake] = [outputs.real!, outputs.fake!];
        const scale = constant(0.5 / real.shape[1]!);
        const slopeReal = realTerm.slopeOp(tf.sub(real, batchMean(fake)));
        const slopeFake = fakeTerm.slopeOp(tf.sub(fake, batchMean(real)));
        return {
          real: tf.mul(tf.sub(slopeReal, batchMean(slopeFake)), scale),
          fake: tf.mul(tf.sub(slopeFake, batchMean(slopeReal)), scale),
        };
      },
      fused,
    };
  };
  return {
    discriminator: objective(onReal, onFake),
    generator: objective(onFake, onReal),
  };
}

/** The buffers {@link differences} fills, by length (one batch's at a time: no allocation per step). */
const scratch = new Map<number, { t: Float64Array; u: Float64Array }>();

/** `t = C(x) − mean C(x̃)` and `u = C(x̃) − mean C(x)`, run by run. */
function differences(outputs: Sides<Float32Array>, { runs, batch }: OutputShape) {
  const [real, fake] = [outputs.real!, outputs.fake!];
  let buffers = scratch.get(real.length);
  if (!buffers) {
    buffers = { t: new Float64Array(real.length), u: new Float64Array(real.length) };
    scratch.set(real.length, buffers);
  }
  const { t, u } = buffers;
  for (let r = 0; r < runs; r++) {
    let [sumReal, sumFake] = [0, 0];
    for (let i = r * batch; i < (r + 1) * batch; i++) {
      [sumReal, sumFake] = [sumReal + real[i], sumFake + fake[i]];
    }
    const [meanReal, meanFake] = [sumReal / batch, sumFake / batch];
    for (let i = r * batch; i < (r + 1) * batch; i++) {
      t[i] = real[i] - meanFake;
      u[i] = fake[i] - meanReal;
    }
  }
  return { t, u };
}

/** Per run, half the batch mean of `f` over `values` into `into`. */
function halfMeans(
  values: Float64Array,
  f: (t: number) => number,
  { runs, batch }: OutputShape,
  into: Float64Array,
): void {
  for (let r = 0; r < runs; r++) {
    let sum = 0;
    for (let i = r * batch; i < (r + 1) * batch; i++) sum += f(values[i]);
    into[r] = (0.5 * sum) / batch;
  }
}
