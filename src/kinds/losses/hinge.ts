/**
 * `hinge`: the hinge loss of geometric GAN and SN-GAN (Lim & Ye 2017;
 * Miyato et al. 2018) on D's raw score `s` (no final sigmoid): D minimises
 * max(0, 1 − s(x)) + max(0, 1 + s(G(z))); G minimises −s(G(z)).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { hinge } from "./hinge.ts";
 * assertEquals(Array.from(hinge.terms.real.value(tf.tensor3d([[[0.25]], [[2]]])).dataSync()), [0.75, 0]);
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import {
  elementwiseTerm,
  largestDistance,
  type LossKind,
  separable,
  thresholdsWith,
} from "./kind.ts";

/** The hinge loss. */
export const hinge = {
  description: "hinge on D's score: D minimises max(0, 1 − s(x)) + max(0, 1 + s(G(z))); G −s(G(z))",
  reference: "Lim & Ye 2017; Miyato et al. 2018 (SN-GAN)",
  head: "score",
  ...separable({
    // max(0, 1 − s): slope −1 where s < 1 (PyTorch's relu gradient is 0 at the kink).
    real: elementwiseTerm(
      (s) => tf.relu(tf.sub(constant(1), s)),
      (s) => tf.neg(tf.step(tf.sub(constant(1), s))),
      {
        value: (s) => Math.max(0, 1 - s),
        gradient: (s) => (1 - s > 0 ? -1 : 0),
        curvature: () => 0,
      },
    ),
    // max(0, 1 + s): slope 1 where s > −1.
    fake: elementwiseTerm(
      (s) => tf.relu(tf.add(constant(1), s)),
      (s) => tf.step(tf.add(constant(1), s)),
      {
        value: (s) => Math.max(0, 1 + s),
        gradient: (s) => (1 + s > 0 ? 1 : 0),
        curvature: () => 0,
      },
    ),
    generator: elementwiseTerm(
      (s) => tf.neg(s),
      (s) => tf.fill(s.shape, -1),
      { value: (s) => -s, gradient: () => -1, curvature: () => 0 },
    ),
  }),
  checks: {
    equilibrium: "D's terms at 1 each and G's at 0 (D scores everything 0); D(G(z)) at 0",
    curveTargets: { discriminator: 1, generator: 0 },
    equilibriumError: (m) => largestDistance(m, { real: 1, fake: 1, generator: 0 }),
    dFakeError: (m) => Math.abs(m.dFake),
    // D wins: its hinge terms mostly satisfied while G's samples score below −1.
    discriminatorWins: (m, ratio) => (m.dLossReal + m.dLossFake) / 2 < ratio && m.gLoss > 1,
  },
  thresholds: thresholdsWith({ lossTolerance: 0.1, dFakeTolerance: 0.1, stabilityLimit: 0.1 }),
} as const satisfies LossKind;
