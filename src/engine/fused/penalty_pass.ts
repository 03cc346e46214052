/**
 * A gradient-norm penalty's pass in the fused engine (WGAN-GP, R1, R2): its
 * own copy of D's passes, the interpolates where it needs them, and each
 * run's setting. Training and the joint field share it.
 *
 * @module
 */
import { perRunGradientNorm } from "../../kinds/penalties/mod.ts";
import type { FusedGradientNorm } from "../../kinds/penalties/mod.ts";
import { scoreLayer } from "../../kinds/penalties/kind.ts";
import type { FusedSpectral } from "../../nn/layers/mod.ts";
import type { Network } from "../../nn/network.ts";
import type { PlannedPenalty } from "../plan.ts";
import { chooseKernels, type Kernels } from "../../nn/kernels/mod.ts";
import { type FusedNetwork, fusedNetwork, interpolate } from "./network.ts";

/** A penalty's pass over a batch's runs. */
export interface PenaltyPass {
  /** Its own copy of D's passes (whose kinks a field holds with the others'). */
  readonly network: FusedNetwork;
  /**
   * Adds the penalty's gradient in D's parameters at these samples into
   * `into` and writes its value per run into `values`. At an interpolate,
   * `alphasOf(r)` gives run r's weights, and `ownPass` runs first (a
   * training pass advances D's spectral norm for the penalty's own pass).
   */
  add(
    d: Float32Array,
    spectral: readonly (FusedSpectral | undefined)[],
    samples: {
      readonly real: Float32Array;
      readonly fake: Float32Array;
      readonly alphasOf: (run: number) => ArrayLike<number>;
    },
    into: Float32Array,
    values: Float64Array,
    ownPass?: () => void,
  ): void;
}

/**
 * Prepares a gradient-norm penalty's pass, or undefined for a penalty
 * without one (a constraint).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { penaltyPass } from "./penalty_pass.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { scale } from "../../nn/layers/mod.ts";
 * import { PENALTY_KINDS } from "../../kinds/penalties/mod.ts";
 * const r1 = { penalty: { name: "r1", gamma: 2 }, kind: PENALTY_KINDS.r1, value: 2 } as const;
 * const pass = penaltyPass(createNetwork([scale(1, 1)]), { runs: 1, batch: 1, width: 1 }, r1)!;
 * const [into, values] = [new Float32Array(1), new Float64Array(1)];
 * // D's score ψ·x: ‖∇ₓ s‖ = |ψ| = 3, so γ/2·ψ² = 9 and its gradient γψ = 6.
 * const sample = Float32Array.of(5);
 * pass.add(Float32Array.of(3), [], { real: sample, fake: sample, alphasOf: () => [0.5] }, into, values);
 * assertEquals([values[0], into[0]], [9, 6]);
 * ```
 */
export function penaltyPass(
  network: Network,
  { runs, batch, width }: { readonly runs: number; readonly batch: number; readonly width: number },
  planned: PlannedPenalty,
  kernels: Kernels = chooseKernels(),
): PenaltyPass | undefined {
  const form: FusedGradientNorm | undefined = planned.kind.fused?.gradientNorm;
  if (!form) return undefined;
  const P = fusedNetwork(network, runs, batch, width, kernels);
  const score = scoreLayer(network);
  const between = form.at === "interpolate" ? kernels.floats(runs * batch * width) : undefined;
  const shape = perRunGradientNorm(form, planned.value);
  return {
    network: P,
    add(d, spectral, { real, fake, alphasOf }, into, values, ownPass) {
      let input = form.at === "real" ? real : fake;
      if (between) {
        // x̂ = α·x + (1 − α)·G(z), one α per sample from the run's stream; a pass of its own.
        interpolate(real, fake, alphasOf, between, { runs, batch, width });
        input = between;
        ownPass?.();
      }
      P.gradientNormPenalty(input, d, spectral, score, shape, values);
      const gradient = P.parameterGradient;
      for (let i = 0; i < into.length; i++) into[i] += gradient[i];
    },
  };
}
