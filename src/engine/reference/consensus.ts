/**
 * Consensus optimisation's regulariser in the reference engine (Mescheder,
 * Nowozin & Geiger 2017): `∇(½‖v‖²)` by tf.grads through the reference's
 * backward passes, exact to float32 rounding.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { LOSS_KINDS, type LossKind, type Side } from "../../kinds/losses/mod.ts";
import { backward, forward, type ForwardPass, layerParameters } from "../../nn/network.ts";
import type { BatchPlan } from "../plan.ts";

/**
 * Consensus optimisation's regulariser at `(d, g)` (`[R, 1, P]` each):
 * `∇(½‖v‖²)` in both players' parameters, v the joint field (D's gradient
 * of the sum of its terms on `real` and G(z), G's gradient of its loss
 * through D), by tf.grads through the reference's backward passes (exact,
 * to float32 rounding).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertAlmostEquals } from "@std/assert";
 * import { consensusRegulariser } from "./consensus.ts";
 * import { planBatch } from "../plan.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const setup = trainingSetup(resolveConfig("dirac", { consensus: 1 }));
 * const plan = planBatch(setup, [{ seed: 1, learningRates: { discriminator: 0.2, generator: 0.2 } }]);
 * // The Dirac-GAN at (θ, ψ) = (1, 0): Jᵀv = (⅛, ¼) in (ψ, θ).
 * const at = (x: number) => tf.tensor3d([x], [1, 1, 1]);
 * const { discriminator, generator } = consensusRegulariser(plan, at(0), at(1), at(0), at(1));
 * assertAlmostEquals(discriminator.dataSync()[0], 0.125, 1e-7);
 * assertAlmostEquals(generator.dataSync()[0], 0.25, 1e-7);
 * ```
 */
export function consensusRegulariser(
  plan: BatchPlan,
  d: tf.Tensor,
  g: tf.Tensor,
  real: tf.Tensor,
  z: tf.Tensor,
): { discriminator: tf.Tensor; generator: tf.Tensor } {
  const { discriminator: D, generator: G } = plan;
  const halfSquaredField = (dParameters: tf.Tensor, gParameters: tf.Tensor) => {
    const layers = layerParameters(D, dParameters);
    const fromG = forward(G, gParameters, z);
    const onReal = forward(D, layers, real);
    const onFake = forward(D, layers, fromG.output);
    const parametersOnly = { parameters: true, input: false };
    const fieldD = tf.add(
      seeded(plan, onReal, "real", "discriminator", parametersOnly).parameters!,
      seeded(plan, onFake, "fake", "discriminator", parametersOnly).parameters!,
    );
    const wantsInput = { parameters: false, input: true };
    const intoG = seeded(plan, onFake, "fake", "generator", wantsInput).input!;
    const fieldG = backward(G, fromG, intoG, parametersOnly).parameters!;
    return tf.mul(tf.add(tf.sum(tf.square(fieldD)), tf.sum(tf.square(fieldG))), 0.5);
  };
  const [discriminator, generator] = tf.grads(halfSquaredField)([d, g]);
  return { discriminator, generator };
}

/**
 * Back-propagates one player's objective at one of D's passes through D: at
 * the logit where D ends with a sigmoid and the objective has a gradient
 * there (which saves the sigmoid's backward kernels and is PyTorch's
 * arithmetic).
 */
function seeded(
  plan: BatchPlan,
  pass: ForwardPass,
  side: Side,
  player: "discriminator" | "generator",
  wants: { readonly parameters: boolean; readonly input: boolean },
) {
  const D = plan.discriminator;
  const last = D.layers.length - 1;
  const objective = (LOSS_KINDS[plan.loss] as LossKind)[player];
  const atLogit = D.layers[last].type === "sigmoid" && objective.atLogit;
  const gradient = objective.gradients({ [side]: pass.output }, atLogit)[side]!;
  return backward(D, pass, gradient, { ...wants, ...(atLogit ? { fromLayer: last - 1 } : {}) });
}
