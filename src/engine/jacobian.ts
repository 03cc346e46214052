/**
 * A convergence check from theory (Mescheder et al. 2017, 2018): the
 * Jacobian of the joint gradient field at a run's final parameters, its
 * eigenvalues' largest real part, and the spectral radius of one update.
 *
 * The field is `v(p) = −(∇_D (D's loss + penalty), ∇_G G's loss)`, the
 * direction gradient descent moves both players, on a fixed evaluation
 * batch (`JACOBIAN_SAMPLES` real samples, G inputs and instance-noise draws
 * from the run's evaluation stream; a gradient penalty's interpolation
 * weights ½). Its Jacobian `A = ∂v/∂p` is taken by central differences of
 * the fused engine's field (float32, step `2⁻¹¹·max(1, |p_k|)`: ~1e-4
 * relative error; exact at the Dirac-GAN's equilibrium; every rectifier held
 * on the side of its kink it was on at the point, so that the differences
 * see the almost-everywhere derivative, not a jump). Training
 * converges locally near a stationary point when every eigenvalue of A has
 * a negative real part (continuous time) and one update's operator has a
 * spectral radius below 1 (discrete time):
 *
 * - simultaneous updates: `I + H·A`, H the learning rates on the diagonal;
 * - alternating ones: `(I + H_G·A)(I + H_D·A)^k`, k critic steps (the seed's
 *   separate D updates counted as one joint one);
 * - consensus γ: A becomes `A − γ·AᵀA` (its Jacobian at a stationary point).
 *
 * The update operator is plain SGD's at the run's learning rates, whatever
 * the optimiser: for Adam and RMSprop it is an indication, not the run's
 * own (their steps scale by running statistics the record does not keep).
 * A weight clip is a projection, not part of the field: it is left out.
 *
 * A diverged run ends at parameters that are NaN or ∞ (or its field or
 * Jacobian there is): the check is then *not computed* and says why, without
 * decomposing anything (ml-matrix's eigenvalue routine iterates without a
 * bound and never returns on a matrix with a NaN or ∞ entry). Every matrix it
 * decomposes is finite and scaled by a power of two to a largest entry in
 * [1, 2) first, so that the iteration cannot overflow on its way. A
 * non-symmetric one is decomposed by a copy of the same routine with a bound
 * on its sweeps and a guarded second try (./eigenvalues.ts), since ml-matrix's
 * can fail to return on some finite matrices too; where neither deflates
 * within the bound the check is not computed, and says so.
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { boundedEigenvalues, type Eigenvalues } from "./eigenvalues.ts";
import { createRandom, gaussian, STREAMS } from "../core/random.ts";
import { sampleData, SEED_PATTERN } from "../core/data.ts";
import { planBatch } from "./plan.ts";
import type { TrainingSetup } from "./setup.ts";
import { jointField } from "./fused/field.ts";
import { withKernels } from "../nn/kernels/mod.ts";
import { toFeatures } from "./fused/layout.ts";
import { evaluationInputs, settledSpectral } from "./samples.ts";

/** Samples in the evaluation batch the field is taken on. */
export const JACOBIAN_SAMPLES = 64;

/** Networks with more parameters (both players together) are not checked: the eigenvalues of a larger non-symmetric matrix take too long per run. */
export const MAX_JACOBIAN_PARAMETERS = 300;

/** A spectral radius within this of 1 counts as 1 (neither contracting nor growing). */
export const RADIUS_TOLERANCE = 1e-6;

/** The step of the central differences, relative to each parameter's size. */
export const JACOBIAN_STEP = 2 ** -11;

/** What the check found at a run's final parameters. */
export interface JacobianCheck {
  /** ‖v‖ there (0 at a stationary point, where the linearisation is the local dynamics). */
  readonly fieldNorm: number;
  /** The largest real part of A's eigenvalues (of A − γAᵀA with consensus). */
  readonly maxReal: number;
  /** The spectral radius of one update's operator (SGD at the run's learning rates). */
  readonly spectralRadius: number;
  /** Whether that radius is below 1 − {@link RADIUS_TOLERANCE}. */
  readonly locallyStable: boolean;
  /** A's eigenvalues, real and imaginary parts. */
  readonly eigenvalues: { readonly real: readonly number[]; readonly imaginary: readonly number[] };
}

/** Why the check was not computed at a run's final point (a diverged run's, or where no eigenvalue iteration deflates). */
export type NotComputedReason =
  | "the final parameters are not finite"
  | "the gradient field is not finite there"
  | "the Jacobian is not finite there"
  | "the update operator is not finite"
  | "the eigenvalue iteration did not converge";

/** The check at a point where it cannot be computed: no number is made up. */
export interface JacobianNotComputed {
  readonly notComputed: NotComputedReason;
}

/** A run as the check needs it. */
export interface JacobianRun {
  readonly seed: number;
  readonly learningRates: { readonly discriminator: number; readonly generator: number };
  readonly discriminator: Float32Array;
  readonly generator: Float32Array;
}

/**
 * The check at a run's final parameters; {@link JacobianNotComputed} (with
 * its reason) where the point, the field there, the Jacobian or the update
 * operator is not finite, or where neither eigenvalue iteration deflates
 * within its bound (./eigenvalues.ts); undefined for networks with more than
 * {@link MAX_JACOBIAN_PARAMETERS} parameters.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { jacobianCheck } from "./jacobian.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * // The Dirac-GAN at its equilibrium: eigenvalues ±i/2.
 * const check = jacobianCheck(trainingSetup(resolveConfig("dirac", {})), {
 *   seed: 1, learningRates: { discriminator: 0.2, generator: 0.2 },
 *   discriminator: Float32Array.of(0), generator: Float32Array.of(0),
 * })!;
 * if ("notComputed" in check) throw new Error(check.notComputed);
 * assertAlmostEquals(check.maxReal, 0, 1e-9);
 * assertAlmostEquals(Math.max(...check.eigenvalues.imaginary), 0.5, 1e-6);
 * ```
 *
 * @example A diverged run's point: not computed, and why
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { jacobianCheck } from "./jacobian.ts";
 * import { resolveConfig, trainingSetup } from "../design/factors.ts";
 * const check = jacobianCheck(trainingSetup(resolveConfig("dirac", {})), {
 *   seed: 1, learningRates: { discriminator: 0.2, generator: 0.2 },
 *   discriminator: Float32Array.of(NaN), generator: Float32Array.of(0),
 * });
 * assertEquals(check, { notComputed: "the final parameters are not finite" });
 * ```
 */
export function jacobianCheck(
  setup: TrainingSetup,
  run: JacobianRun,
): JacobianCheck | JacobianNotComputed | undefined {
  // The batch as training plans it (checked, its networks, penalty setting and step), on the
  // evaluation batch's size.
  const plan = planBatch({ ...setup, batchSize: JACOBIAN_SAMPLES }, [
    { seed: run.seed, learningRates: run.learningRates },
  ]);
  const { discriminator: D, generator: G, step } = plan;
  const dSize = D.parameterCount;
  const size = dSize + G.parameterCount;
  if (size > MAX_JACOBIAN_PARAMETERS) return undefined;
  if (!allFinite(run.discriminator) || !allFinite(run.generator)) {
    return { notComputed: "the final parameters are not finite" };
  }
  const spectral = {
    discriminator: settledSpectral(D, run.discriminator, run.seed, "discriminator"),
    generator: settledSpectral(G, run.generator, run.seed, "generator"),
  };
  const samples = evaluationSamples(setup, run.seed);
  // The field's central differences, on kernels leased for them.
  const differenced = withKernels((kernels) => {
    const field = jointField({ ...plan, spectral }, kernels);
    const [ofD, ofG] = [field.buffers(), field.buffers()];
    const point = Float64Array.from([...run.discriminator, ...run.generator]);
    /** v at `p` (Float64 copy of the float32 field); kinks recorded at the point, held around it. */
    const v = (p: Float64Array, kinks: "record" | "held"): Float64Array => {
      field.evaluate(
        Float32Array.from(p.subarray(0, dSize)),
        Float32Array.from(p.subarray(dSize)),
        samples,
        ofD,
        ofG,
        { kinks },
      );
      return Float64Array.from([...ofD.discriminator, ...ofG.generator], (x) => -x);
    };
    const atPoint = v(point, "record");
    if (!allFinite(atPoint)) return undefined;
    const A = new Matrix(size, size);
    for (let k = 0; k < size; k++) {
      const h = JACOBIAN_STEP * Math.max(1, Math.abs(point[k]));
      const moved = point.slice();
      moved[k] = point[k] + h;
      const plus = v(moved, "held");
      moved[k] = point[k] - h;
      const minus = v(moved, "held");
      for (let i = 0; i < size; i++) A.set(i, k, (plus[i] - minus[i]) / (2 * h));
    }
    return { atPoint, A };
  });
  if (!differenced) return { notComputed: "the gradient field is not finite there" };
  const { atPoint, A } = differenced;
  const gamma = setup.consensus ?? 0;
  const effective = gamma > 0 ? A.sub(A.transpose().mmul(A).mul(gamma)) : A;
  if (!isFiniteMatrix(effective)) return { notComputed: "the Jacobian is not finite there" };
  const rates = (which: "discriminator" | "generator" | "both") =>
    Matrix.diag(Array.from({ length: size }, (_, i) => {
      const ofD = i < dSize;
      if (which === "both") {
        return ofD ? run.learningRates.discriminator : run.learningRates.generator;
      }
      return (which === "discriminator") === ofD ? run.learningRates[which] : 0;
    }));
  const update = (which: "discriminator" | "generator" | "both") =>
    Matrix.eye(size).add(rates(which).mmul(effective));
  let operator: Matrix;
  if (step.updates === "simultaneous") operator = update("both");
  else {
    operator = update("generator");
    const critic = update("discriminator");
    for (let k = 0; k < step.criticSteps; k++) operator = operator.mmul(critic);
  }
  if (!isFiniteMatrix(operator)) return { notComputed: "the update operator is not finite" };
  const eigen = finiteEigenvalues(effective);
  const ofOperator = eigen && finiteEigenvalues(operator);
  if (!eigen || !ofOperator) return { notComputed: "the eigenvalue iteration did not converge" };
  const spectralRadius = Math.max(
    ...ofOperator.real.map((re, i) => Math.hypot(re, ofOperator.imaginary[i])),
  );
  return {
    fieldNorm: Math.hypot(...atPoint),
    maxReal: Math.max(...eigen.real),
    spectralRadius,
    locallyStable: spectralRadius < 1 - RADIUS_TOLERANCE,
    eigenvalues: eigen,
  };
}

/** Whether every number of `values` is finite. */
function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Whether every entry of `matrix` is finite. */
function isFiniteMatrix(matrix: Matrix): boolean {
  return matrix.to1DArray().every(Number.isFinite);
}

/**
 * The eigenvalues of a finite square matrix (real and imaginary parts), by
 * ml-matrix's decomposition of the matrix scaled by a power of two to a
 * largest entry in [1, 2) (exact in floating point; its eigenvalues scale
 * alike), so that the routine's iteration starts where it cannot overflow:
 * its symmetric path for a symmetric matrix, and for any other its
 * non-symmetric one with a bound on the sweeps ({@link boundedEigenvalues},
 * the same numbers wherever it returns), undefined where that bound is met.
 * The caller guarantees finiteness: on a NaN or ∞ entry the routine would
 * never return.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Matrix } from "ml-matrix";
 * import { finiteEigenvalues } from "./jacobian.ts";
 * const huge = new Matrix([[0, -1e300], [1e300, 0]]);
 * assertEquals(finiteEigenvalues(huge), { real: [0, 0], imaginary: [1e300, -1e300] });
 * ```
 */
export function finiteEigenvalues(matrix: Matrix): Eigenvalues | undefined {
  if (!isFiniteMatrix(matrix)) throw new RangeError("the matrix has an entry that is not finite");
  const largest = Math.max(0, ...matrix.to1DArray().map(Math.abs));
  if (largest === 0) {
    const zeros = Array.from({ length: matrix.rows }, () => 0);
    return { real: zeros, imaginary: [...zeros] };
  }
  const scale = 2 ** Math.floor(Math.log2(largest));
  const scaled = matrix.clone().div(scale);
  let eigen: Eigenvalues | undefined;
  if (scaled.isSymmetric()) {
    const symmetric = new EigenvalueDecomposition(scaled, { assumeSymmetric: true });
    eigen = { real: symmetric.realEigenvalues, imaginary: symmetric.imaginaryEigenvalues };
  } else eigen = boundedEigenvalues(scaled.to2DArray());
  return eigen && {
    real: eigen.real.map((re) => re * scale),
    imaginary: eigen.imaginary.map((im) => im * scale),
  };
}

/** The fixed batch the field is taken on: real samples, G's inputs, instance noise from the evaluation stream. */
function evaluationSamples(setup: TrainingSetup, seed: number) {
  const data = setup.pattern ?? SEED_PATTERN;
  const count = JACOBIAN_SAMPLES * data.width;
  const random = createRandom(seed, STREAMS.evaluation + 32);
  const real = new Float32Array(count);
  sampleData(data, random, real);
  const sigma = setup.instanceNoise ?? 0;
  const noise = () => Float32Array.from({ length: count }, () => sigma * gaussian(random));
  const fakeNoise = sigma > 0 ? noise() : undefined;
  if (sigma > 0) {
    const onReal = noise();
    for (let i = 0; i < count; i++) real[i] += onReal[i];
  }
  const z = evaluationInputs(
    setup.generatorInput ?? { kind: "constant", value: 0.5 },
    seed,
    JACOBIAN_SAMPLES,
  );
  // The field takes its samples in the fused layout: features, [width, samples].
  return {
    real: toFeatures(real, data.width),
    z: toFeatures(z, z.length / JACOBIAN_SAMPLES),
    fakeNoise: fakeNoise && toFeatures(fakeNoise, data.width),
    alphas: new Float32Array(JACOBIAN_SAMPLES).fill(0.5),
  };
}
