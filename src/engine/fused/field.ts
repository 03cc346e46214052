/**
 * The joint gradient field of a GAN, `v = (∇_D (D's loss + penalty), ∇_G
 * G's loss)`, in the fused engine's loops, for every run of a batch: what
 * consensus optimisation regularises and what the Jacobian check
 * differentiates. Either player's gradient of the other's loss is there
 * too, where asked for (consensus needs both players' parts of each loss).
 *
 * @module
 */
import { lossKind, type LossName } from "../../kinds/losses/mod.ts";
import {
  type FusedGradientNorm,
  PENALTY_KINDS,
  type PenaltyKind,
  type PenaltyValue,
  perRunGradientNorm,
  type ResolvedPenalty,
} from "../../kinds/penalties/mod.ts";
import { scoreLayer } from "../../kinds/penalties/kind.ts";
import type { FusedSpectral, KinkMode } from "../../nn/layers/mod.ts";
import type { Network } from "../../nn/network.ts";
import { seedLossGradient } from "./loss_gradient.ts";
import { fusedNetwork, interpolate } from "./network.ts";

/** Both players' parts of one gradient, `[R, P_D]` and `[R, P_G]`. */
export interface PlayerGradients {
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
}

/** What the field is evaluated on: fixed samples, so that it is a function of the parameters alone. */
export interface FieldSamples {
  /** D's real input as D sees it (with any instance noise already added), `[R, B, width]`. */
  readonly real: Float32Array;
  /** G's input, `[R, B, in]`. */
  readonly z: Float32Array;
  /** Instance noise added to G(z) where D sees it, `[R, B, width]` (none if absent). */
  readonly fakeNoise?: Float32Array;
  /** A gradient penalty's interpolation weights, one per run and sample. */
  readonly alphas?: Float32Array;
}

/** What a field is computed for. */
export interface FieldSetup {
  readonly discriminator: Network;
  readonly generator: Network;
  readonly loss: LossName;
  readonly runs: number;
  readonly batchSize: number;
  readonly width: number;
  readonly inputWidth: number;
  readonly penalty?: ResolvedPenalty;
  readonly penaltyValue?: PenaltyValue;
  /** Spectral-norm vectors held fixed (by layer; empty without spectral norm). */
  readonly spectral?: {
    readonly discriminator: readonly (FusedSpectral | undefined)[];
    readonly generator: readonly (FusedSpectral | undefined)[];
  };
}

/** A batch's field: its own networks' buffers. */
export interface JointField {
  /**
   * At `(d, g)` on `samples`: D's loss's gradients (with the penalty's, in
   * D's part) into `ofD` and G's loss's into `ofG`. `ofD.generator` and
   * `ofG.discriminator` (the players' parts of each other's loss) are
   * filled only when `crossTerms` is set. `kinks` (default `"off"`):
   * `"record"` keeps the sides of every rectifier's kink at this point,
   * `"held"` evaluates on those sides (what central differences around the
   * recorded point need to see the almost-everywhere derivative).
   */
  evaluate(
    d: Float32Array,
    g: Float32Array,
    samples: FieldSamples,
    ofD: PlayerGradients,
    ofG: PlayerGradients,
    options?: { readonly crossTerms?: boolean; readonly kinks?: KinkMode },
  ): void;
  /** Fresh buffers for both players' parts of one gradient. */
  buffers(): PlayerGradients;
}

/**
 * Prepares a field's passes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { jointField } from "./field.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { scale, sigmoid } from "../../nn/layers/mod.ts";
 * const field = jointField({
 *   discriminator: createNetwork([scale(1, 1), sigmoid()]),
 *   generator: createNetwork([scale(1, 1)]),
 *   loss: "bce_minimax", runs: 1, batchSize: 1, width: 1, inputWidth: 1,
 * });
 * const [ofD, ofG] = [field.buffers(), field.buffers()];
 * // The Dirac-GAN at (θ, ψ) = (1, 0): D's gradient ½·θ, G's −½·ψ.
 * field.evaluate(Float32Array.of(0), Float32Array.of(1), { real: Float32Array.of(0), z: Float32Array.of(1) }, ofD, ofG);
 * assertEquals([ofD.discriminator[0], ofG.generator[0]], [0.5, -0]);
 * ```
 */
export function jointField(setup: FieldSetup): JointField {
  const { runs, batchSize: batch, width } = setup;
  // D's pass on the real sample and its pass on G's have their own buffers (and kinks).
  const onRealD = fusedNetwork(setup.discriminator, runs, batch, width);
  const D = fusedNetwork(setup.discriminator, runs, batch, width);
  const G = fusedNetwork(setup.generator, runs, batch, setup.inputWidth);
  const loss = lossKind(setup.loss);
  const dSize = setup.discriminator.parameterCount;
  const gSize = setup.generator.parameterCount;
  const gLast = setup.generator.layers.length - 1;
  const dSpectral = setup.spectral?.discriminator ?? [];
  const gSpectral = setup.spectral?.generator ?? [];
  const fakes = new Float32Array(runs * batch * width);
  const penalty = penaltyOf(setup);

  /** G's gradient of D's input gradient now in `D.gradients[0]`, into `into`. */
  const throughG = (g: Float32Array, into: Float32Array) => {
    G.gradients[gLast + 1].set(D.gradients[0]);
    G.backward(g, gLast, { parameters: true, input: false });
    into.set(G.parameterGradient);
  };
  return {
    buffers: () => ({
      discriminator: new Float32Array(runs * dSize),
      generator: new Float32Array(runs * gSize),
    }),
    evaluate(d, g, samples, ofD, ofG, { crossTerms = false, kinks = "off" } = {}) {
      for (const network of [onRealD, D, G, penalty?.network]) network?.holdKinks(kinks);
      const generated = G.forward(samples.z, g, gSpectral);
      for (let i = 0; i < fakes.length; i++) {
        fakes[i] = samples.fakeNoise ? generated[i] + samples.fakeNoise[i] : generated[i];
      }
      const onReal = onRealD.forward(samples.real, d, dSpectral);
      onRealD.backward(d, seedLossGradient(onRealD, loss, "real", onReal, batch), {
        parameters: true,
        input: false,
      });
      ofD.discriminator.set(onRealD.parameterGradient);
      const onFake = D.forward(fakes, d, dSpectral);
      D.backward(d, seedLossGradient(D, loss, "fake", onFake, batch), {
        parameters: true,
        input: crossTerms,
      });
      for (let i = 0; i < ofD.discriminator.length; i++) {
        ofD.discriminator[i] += D.parameterGradient[i];
      }
      if (crossTerms) throughG(g, ofD.generator);
      D.backward(d, seedLossGradient(D, loss, "generator", onFake, batch), {
        parameters: crossTerms,
        input: true,
      });
      if (crossTerms) ofG.discriminator.set(D.parameterGradient);
      throughG(g, ofG.generator);
      penalty?.add(d, samples, ofD.discriminator);
    },
  };

  /** The gradient-norm penalty's gradient in D's parameters, added into D's part (none without one). */
  function penaltyOf(
    { penalty, penaltyValue }: FieldSetup,
  ) {
    const kind: PenaltyKind | undefined = penalty && PENALTY_KINDS[penalty.name];
    const form: FusedGradientNorm | undefined = kind?.fused?.gradientNorm;
    if (!form) return undefined;
    const P = fusedNetwork(setup.discriminator, runs, batch, width);
    const score = scoreLayer(setup.discriminator);
    const values = new Float64Array(runs);
    const between = new Float32Array(runs * batch * width);
    const shape = perRunGradientNorm(form, penaltyValue!);
    const half = new Float32Array(batch).fill(0.5);
    const add = (d: Float32Array, samples: FieldSamples, into: Float32Array) => {
      let input = form.at === "real" ? samples.real : fakes;
      if (form.at === "interpolate") {
        const alphasOf = (r: number) =>
          samples.alphas?.subarray(r * batch, (r + 1) * batch) ?? half;
        interpolate(samples.real, fakes, alphasOf, between, { runs, batch, width });
        input = between;
      }
      P.gradientNormPenalty(input, d, dSpectral, score, shape, values);
      for (let i = 0; i < into.length; i++) into[i] += P.parameterGradient[i];
    };
    return { network: P, add };
  }
}
