/**
 * Consensus optimisation's regulariser in the fused engine (Mescheder,
 * Nowozin & Geiger 2017, The Numerics of GANs): `∇(½‖v‖²) = Jᵀv`, v the
 * joint gradient field (D's gradient of its loss, G's of its own) and J its
 * Jacobian in both players' parameters.
 *
 * `Jᵀv` splits into two Hessian-vector products of single losses:
 * `Jᵀv = H_D·(v_D, 0) + H_G·(0, v_G)`, `H_D` and `H_G` the Hessians of D's and
 * G's losses in all parameters (symmetric, being Hessians of one function
 * each). Each product is a central difference of the full gradients (both
 * players' parts of one loss) along its direction, per run, with a step of
 * `2⁻¹¹·max(1, ‖p‖∞) / ‖u‖∞` (where truncation, ∝ h², meets float32
 * rounding, ∝ 1/h; `tests/consensus_test.ts` holds it within 1e-3 of the
 * reference's on its networks, LayerNorm the most curved), every rectifier held on the side of its kink it was
 * on at the point (so the differences see the almost-everywhere Hessian, as
 * tf.grads does, not a jump). The reference engine differentiates ½‖v‖²
 * exactly with tf.grads; the two agree to that precision
 * (`tests/consensus_test.ts`). A loss's own kink (the hinge's) is not held:
 * a difference across it differs from tf.grads' zero curvature there.
 *
 * @module
 */
import type { BatchPlan } from "../plan.ts";
import { jointField, type PlayerGradients } from "./field.ts";

/** The step of the central differences, relative to the parameters' size. */
export const CONSENSUS_STEP = 2 ** -11;

/** A batch's consensus pass: its own networks' buffers and gradients. */
export interface ConsensusPass {
  /**
   * Adds `γ·Jᵀv` at the point `(d, g)` (packed `[R, P]` each) on these
   * samples (D's real input `[R, B, width]`, G's input `[R, B, in]`) into
   * the players' gradients given (either may be left out).
   */
  addRegulariser(
    gamma: number,
    d: Float32Array,
    g: Float32Array,
    real: Float32Array,
    z: Float32Array,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ): void;
}

/**
 * Prepares a batch's consensus pass.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { consensusPass } from "./consensus.ts";
 * import { planBatch } from "../plan.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const rates = { discriminator: 0.2, generator: 0.2 };
 * const setup = trainingSetup(resolveConfig("dirac", { loss: "bce_minimax", consensus: 1 }));
 * const plan = planBatch(setup, [{ seed: 1, learningRates: rates }]);
 * // The Dirac-GAN at (θ, ψ) = (1, 0): v = (½, 0) and Jᵀv = (⅛, ¼) in (ψ, θ).
 * const into = { discriminator: new Float32Array(1), generator: new Float32Array(1) };
 * consensusPass(plan).addRegulariser(1, Float32Array.of(0), Float32Array.of(1), Float32Array.of(0), Float32Array.of(1), into);
 * assertAlmostEquals(into.discriminator[0], 0.125, 1e-4);
 * assertAlmostEquals(into.generator[0], 0.25, 1e-4);
 * ```
 */
export function consensusPass(plan: BatchPlan): ConsensusPass {
  const { runs } = plan;
  const field = jointField(plan);
  const dSize = plan.discriminator.parameterCount;
  const gSize = plan.generator.parameterCount;
  // v's two parts at the point (the differences never write there); one loss's gradients either
  // side of it; the other loss's, unused.
  const [atD, atG, plus, minus, spare, moved] = Array.from({ length: 6 }, field.buffers);
  /** Per run, the step of a central difference along `u` (`[R, size]`) from `p`. */
  const steps = (p: Float32Array, u: Float32Array, size: number) =>
    Array.from({ length: runs }, (_, r) => {
      let [pMax, uMax] = [1, 0];
      for (let i = r * size; i < (r + 1) * size; i++) {
        pMax = Math.max(pMax, Math.abs(p[i]));
        uMax = Math.max(uMax, Math.abs(u[i]));
      }
      return uMax > 0 ? (CONSENSUS_STEP * pMax) / uMax : 0;
    });
  /** `p ± h_r·u` into `into`, per run. */
  const move = (
    p: Float32Array,
    u: Float32Array,
    h: readonly number[],
    sign: number,
    size: number,
    into: Float32Array,
  ) => {
    for (let r = 0; r < runs; r++) {
      for (let i = r * size; i < (r + 1) * size; i++) into[i] = p[i] + sign * h[r] * u[i];
    }
  };
  /** Adds `γ (plus − minus) / 2h` per run into `into`. */
  const addDifference = (
    gamma: number,
    plus: Float32Array,
    minus: Float32Array,
    h: readonly number[],
    size: number,
    into: Float32Array | undefined,
  ) => {
    if (!into) return;
    for (let r = 0; r < runs; r++) {
      if (h[r] === 0) continue;
      const scale = gamma / (2 * h[r]);
      for (let i = r * size; i < (r + 1) * size; i++) {
        into[i] += Math.fround(scale * (plus[i] - minus[i]));
      }
    }
  };
  /** Adds γ·H·u for one loss (`ofD` picks D's loss, else G's) along its own player's part `u`. */
  const addHessianProduct = (
    gamma: number,
    d: Float32Array,
    g: Float32Array,
    samples: { real: Float32Array; z: Float32Array },
    ofD: boolean,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ) => {
    const [p, u, size] = ofD
      ? [d, atD.discriminator, dSize] as const
      : [g, atG.generator, gSize] as const;
    const h = steps(p, u, size);
    /** The chosen loss's full gradient at p + sign·h·u, into `of`. */
    const at = (sign: number, of: PlayerGradients) => {
      move(p, u, h, sign, size, ofD ? moved.discriminator : moved.generator);
      const [dAt, gAt] = ofD ? [moved.discriminator, g] : [d, moved.generator];
      field.evaluate(dAt, gAt, samples, ofD ? of : spare, ofD ? spare : of, {
        crossTerms: true,
        kinks: "held",
      });
    };
    at(1, plus);
    at(-1, minus);
    addDifference(gamma, plus.discriminator, minus.discriminator, h, dSize, into.discriminator);
    addDifference(gamma, plus.generator, minus.generator, h, gSize, into.generator);
  };

  return {
    addRegulariser(gamma, d, g, real, z, into) {
      const samples = { real, z };
      field.evaluate(d, g, samples, atD, atG, { kinks: "record" });
      // Jᵀv = H_D·(v_D, 0) + H_G·(0, v_G).
      addHessianProduct(gamma, d, g, samples, true, into);
      addHessianProduct(gamma, d, g, samples, false, into);
    },
  };
}
