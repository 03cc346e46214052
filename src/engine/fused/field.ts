/**
 * The joint gradient field of a GAN, `v = (∇_D (D's loss + penalties), ∇_G
 * G's loss)`, for every run of a batch: the schedule's field operations
 * (`../schedule.ts`) run on the fused primitives (`executor.ts`) at a given
 * point on fixed samples. What consensus optimisation regularises and what
 * the Jacobian check differentiates. Either player's gradient of the other's
 * loss is there too, where asked for (consensus needs both players' parts of
 * each loss).
 *
 * @module
 */
import type { FusedSpectral, KinkMode } from "../../nn/layers/mod.ts";
import { fieldSchedule } from "../schedule.ts";
import type { TrainingStep } from "../step.ts";
import { chooseKernels, type Kernels } from "../../nn/kernels/mod.ts";
import { type FusedPoint, fusedPrimitives, type PrimitivesSetup } from "./executor.ts";

/** Both players' parts of one gradient, `[P_D, R]` and `[P_G, R]` (the fused layout). */
export interface PlayerGradients {
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
}

/**
 * What the field is evaluated on: fixed samples, so that it is a function of
 * the parameters alone; in the fused layout (`layout.ts` converts).
 */
export interface FieldSamples {
  /** D's real input as D sees it (with any instance noise already added), `[width, R·B]`. */
  readonly real: Float32Array;
  /** G's input, `[in, R·B]`. */
  readonly z: Float32Array;
  /** Instance noise added to G(z) where D sees it, `[width, R·B]` (none if absent). */
  readonly fakeNoise?: Float32Array;
  /** A gradient penalty's interpolation weights, one per run and sample. */
  readonly alphas?: Float32Array;
}

/** What a field is computed for: a batch's networks, loss, penalties and step, and spectral vectors held fixed. */
export interface FieldSetup extends PrimitivesSetup {
  /** The step whose field this is (its penalties' places, a paired loss's passes). */
  readonly step: TrainingStep;
  /** Spectral-norm vectors held fixed (by layer; empty without spectral norm). */
  readonly spectral?: {
    readonly discriminator: readonly (FusedSpectral | undefined)[];
    readonly generator: readonly (FusedSpectral | undefined)[];
  };
}

/** A batch's field: its own networks' buffers. */
export interface JointField {
  /**
   * At `(d, g)` on `samples`: D's loss's gradients (with the penalties', in
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
 * import { declaredStep, JOINT_UPDATE } from "../step.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { scale, sigmoid } from "../../nn/layers/mod.ts";
 * const field = jointField({
 *   discriminator: createNetwork([scale(1, 1), sigmoid()]),
 *   generator: createNetwork([scale(1, 1)]),
 *   loss: "bce_minimax", penalties: [], step: declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE }),
 *   runs: 1, batchSize: 1, width: 1, inputWidth: 1,
 * });
 * const [ofD, ofG] = [field.buffers(), field.buffers()];
 * // The Dirac-GAN at (θ, ψ) = (1, 0): D's gradient ½·θ, G's −½·ψ.
 * field.evaluate(Float32Array.of(0), Float32Array.of(1), { real: Float32Array.of(0), z: Float32Array.of(1) }, ofD, ofG);
 * assertEquals([ofD.discriminator[0], ofG.generator[0]], [0.5, -0]);
 * ```
 */
export function jointField(setup: FieldSetup, kernels: Kernels = chooseKernels()): JointField {
  const { runs, batchSize: batch } = setup;
  const dSize = setup.discriminator.parameterCount;
  const gSize = setup.generator.parameterCount;
  const point: FusedPoint = {
    d: new Float32Array(),
    g: new Float32Array(),
    dSpectral: setup.spectral?.discriminator ?? [],
    gSpectral: setup.spectral?.generator ?? [],
  };
  let samples: FieldSamples | undefined;
  const half = new Float32Array(batch).fill(0.5);
  const primitives = fusedPrimitives(
    setup,
    point,
    {
      // D's real input is given as D sees it; G's z is set before each evaluation.
      real: () => samples!.real,
      input: () => false,
      seen(x, _batch, buffer) {
        const noise = samples!.fakeNoise;
        if (!noise) return x;
        for (let i = 0; i < buffer.length; i++) buffer[i] = x[i] + noise[i];
        return buffer;
      },
      alphas: () => (r) => samples!.alphas?.subarray(r * batch, (r + 1) * batch) ?? half,
      // The field is taken with the spectral vectors held where they are.
      advances: false,
    },
    undefined,
    kernels,
  );
  const plain = primitives.compile(fieldSchedule(setup.step));
  const crossed = primitives.compile(fieldSchedule(setup.step, { crossTerms: true }));
  const { gradients } = primitives;
  return {
    buffers: () => ({
      discriminator: kernels.floats(runs * dSize),
      generator: kernels.floats(runs * gSize),
    }),
    evaluate(d, g, given, ofD, ofG, { crossTerms = false, kinks = "off" } = {}) {
      [point.d, point.g, samples] = [d, g, given];
      primitives.z.set(given.z);
      primitives.holdKinks(kinks);
      primitives.run(crossTerms ? crossed : plain, 0);
      ofD.discriminator.set(gradients.discriminator);
      ofG.generator.set(gradients.generator);
      if (crossTerms) {
        ofD.generator.set(gradients.discriminatorInG);
        ofG.discriminator.set(gradients.generatorInD);
      }
    },
  };
}
