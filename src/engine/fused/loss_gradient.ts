/**
 * Where a fused backward pass through D starts: a loss term's gradient at
 * D's output, or at its logit where the loss gives one for a sigmoid head
 * (as PyTorch's BCE does its stable form), each divided by the batch.
 *
 * @module
 */
import type { LossKind, LossTermName } from "../../kinds/losses/mod.ts";
import type { FusedNetwork } from "./network.ts";

/**
 * Writes the loss term's gradient at D's `output` into D's gradient buffers
 * and returns the layer its backward pass starts from.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { seedLossGradient } from "./loss_gradient.ts";
 * import { fusedNetwork } from "./network.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { linear, sigmoid } from "../../nn/layers/mod.ts";
 * import { lossKind } from "../../kinds/losses/mod.ts";
 * const D = fusedNetwork(createNetwork([linear(1, 1), sigmoid()]), 1, 1, 1);
 * const from = seedLossGradient(D, lossKind("bce"), "real", Float32Array.of(0.5), 1);
 * assertEquals([from, D.gradients[1][0]], [0, -0.5]);
 * ```
 */
export function seedLossGradient(
  D: FusedNetwork,
  loss: LossKind,
  term: LossTermName,
  output: Float32Array,
  batch: number,
): number {
  const layers = D.network.layers;
  const last = layers.length - 1;
  const fused = loss[term].fused;
  const atLogit = layers[last].type === "sigmoid" && fused.gradientAtLogit;
  const from = atLogit ? last - 1 : last;
  const into = D.gradients[from + 1];
  const scale = Math.fround(1 / batch);
  for (let i = 0; i < output.length; i++) {
    const slope = atLogit ? fused.gradientAtLogit!(output[i]) : fused.gradient(output[i]);
    into[i] = batch === 1 ? slope : slope * scale;
  }
  return from;
}
