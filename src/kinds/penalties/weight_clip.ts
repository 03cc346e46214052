/**
 * `{ weightClip: c }`: WGAN's weight clipping (Arjovsky et al. 2017): every
 * D parameter (weights, biases, norm gains and offsets) clamped to
 * `[−c, c]` right after each D step. WGAN uses c = 0.01.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { weightClip } from "./weight_clip.ts";
 * const clipped = weightClip.afterStep!(tf.tensor3d([[[-1, 0.005, 2]]]), 0.01);
 * assertEquals(clipped.dataSync(), Float32Array.of(-0.01, 0.005, 0.01));
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type PenaltyKind, type PenaltyValue, settingFactor } from "./kind.ts";

/** Weight clipping. */
export const weightClip = {
  description: "clamp every D parameter to [−c, c] after each D step",
  reference: "Arjovsky et al. 2017 (WGAN), c = 0.01",
  key: "weightClip",
  setting: "clip",
  allowed: "a number c > 0",
  isAllowed: (value: number) => value > 0,
  afterStep: (parameters: tf.Tensor, clip: PenaltyValue) =>
    typeof clip === "number"
      ? tf.clipByValue(parameters, -clip, clip)
      : tf.minimum(tf.maximum(parameters, settingFactor(clip, (c) => -c)), settingFactor(clip)),
  fused: {
    afterStep(parameters: Float32Array, size: number, clip: PenaltyValue) {
      // The fused layout: parameter k of run r at k·R + r.
      const runs = parameters.length / size;
      for (let r = 0; r < runs; r++) {
        const c = Math.fround(typeof clip === "number" ? clip : clip[r]);
        for (let i = r; i < parameters.length; i += runs) {
          parameters[i] = Math.min(Math.max(parameters[i], -c), c);
        }
      }
    },
  },
} satisfies PenaltyKind;
