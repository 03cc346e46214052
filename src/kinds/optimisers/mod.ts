/**
 * The optimiser registry: every optimiser an experiment may name, each
 * declared in one file of `optimisers/` (its options with PyTorch's defaults
 * and its update rule over packed parameters `[R, 1, P]` with a learning
 * rate per run; tfjs's own optimisers take one learning rate for all runs).
 *
 * @module
 */
import { type Kernels, scalarKernels } from "../../nn/kernels/mod.ts";
import * as tf from "@tensorflow/tfjs";
import { constant } from "../../core/constants.ts";
import { adam } from "./adam.ts";
import type { FusedOptimiser, Optimiser, OptimiserKind } from "./kind.ts";
import { optimisticAdam } from "./optimistic_adam.ts";
import { rmsprop } from "./rmsprop.ts";
import { rmspropTf } from "./rmsprop_tf.ts";
import { sgd } from "./sgd.ts";

export type { FusedOptimiser, Optimiser, OptimiserKind, OptimiserSnapshot } from "./kind.ts";

/**
 * Every optimiser by name.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { OPTIMISER_KINDS } from "./mod.ts";
 * assertEquals(OPTIMISER_KINDS.rmsprop.options.eps.default, 1e-8);
 * ```
 */
export const OPTIMISER_KINDS = {
  adam,
  sgd,
  rmsprop,
  optimistic_adam: optimisticAdam,
  rmsprop_tf: rmspropTf,
  // deno-lint-ignore no-explicit-any
} as const satisfies Record<string, OptimiserKind<any>>;

/** An optimiser name. */
export type OptimiserName = keyof typeof OPTIMISER_KINDS;

/** The optimiser names an experiment may use. */
export const OPTIMISERS = Object.keys(OPTIMISER_KINDS) as OptimiserName[];

/** The settings of the optimiser called `N`. */
export type OptimiserSettings<N extends OptimiserName> = typeof OPTIMISER_KINDS[N] extends
  OptimiserKind<infer S> ? S : never;

/** An optimiser and its settings, each optional (PyTorch's defaults). */
export type OptimiserOptions = {
  [N in OptimiserName]: { readonly name: N } & Partial<OptimiserSettings<N>>;
}[OptimiserName];

/** An optimiser with every setting filled in. */
export type ResolvedOptimiser = {
  [N in OptimiserName]: { readonly name: N } & OptimiserSettings<N>;
}[OptimiserName];

/**
 * An optimiser's settings with PyTorch's defaults filled in.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { withDefaults } from "./mod.ts";
 * assertEquals(withDefaults({ name: "sgd" }), { name: "sgd", momentum: 0 });
 * ```
 */
export function withDefaults(options: OptimiserOptions): ResolvedOptimiser {
  const defaults = Object.fromEntries(
    Object.entries(OPTIMISER_KINDS[options.name].options).map(([key, option]) => [
      key,
      option.default,
    ]),
  );
  return { ...defaults, ...options } as ResolvedOptimiser;
}

/**
 * An optimiser over `[R, 1, P]` parameters with learning rates `[R]`.
 *
 * @example
 * ```ts
 * import { createOptimiser } from "./mod.ts";
 * const optimiser = createOptimiser({ name: "sgd" }, [0.01, 0.1], 5);
 * optimiser.state().length; // 1: the learning rates
 * ```
 */
export function createOptimiser(
  options: OptimiserOptions,
  learningRates: readonly number[],
  parameterCount: number,
  perRun?: readonly OptimiserOptions[],
): Optimiser {
  const runs = learningRates.length;
  const rateValues = Float32Array.from(learningRates);
  const rates = tf.tensor3d(rateValues, [runs, 1, 1]);
  const zeros = () => tf.zeros([runs, 1, parameterCount]) as tf.Tensor;
  const fromValues = (values: Float32Array) => tf.tensor3d(values, [runs, 1, parameterCount]);
  const { name, settings, differing, settingValues } = batchSettings(options, runs, perRun);
  const owned: tf.Tensor[] = [];
  const setting = (key: string, transform = (value: number) => value) => {
    const values = differing.get(key);
    if (!values) return constant(transform((settings as Record<string, number>)[key]));
    const tensor = tf.tensor3d(values.map(transform), [runs, 1, 1]);
    owned.push(tensor);
    return tensor;
  };
  const kind = OPTIMISER_KINDS[name] as OptimiserKind<Record<string, number>>;
  const optimiser = kind.create(settings as Record<string, number>, {
    rates,
    rateValues,
    zeros,
    fromValues,
    setting,
    settingValues,
  });
  return { ...optimiser, state: () => [...optimiser.state(), ...owned] };
}

/**
 * The batch's optimiser settings: the shared ones, those in which the runs
 * differ (one value per run), and every setting's value for each run.
 */
function batchSettings(
  options: OptimiserOptions,
  runs: number,
  perRun?: readonly OptimiserOptions[],
) {
  const { name, ...rest } = withDefaults(options);
  const settings = rest as unknown as Record<string, number>;
  const each = (perRun ?? []).map(withDefaults) as unknown as Record<string, number>[];
  if (each.some((o) => o.name !== (name as unknown))) {
    throw new Error(`every run of a batch uses the batch's optimiser (${name})`);
  }
  const differing = new Map<string, number[]>();
  for (const key of Object.keys(settings)) {
    const values = each.map((o) => o[key]);
    if (each.length === runs && values.some((v) => v !== values[0])) differing.set(key, values);
  }
  const settingValues = (key: string): readonly number[] =>
    differing.get(key) ?? new Array<number>(runs).fill(settings[key]);
  return { name, settings, differing, settingValues };
}

/**
 * The fused form of an optimiser over `[P, R]` numbers (the fused layout)
 * with learning rates `[R]`, for the fused engine (what
 * {@link createOptimiser} is for the reference engine), on `kernels`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedOptimiser } from "./mod.ts";
 * const sgd = fusedOptimiser({ name: "sgd" }, [0.5], 2);
 * const parameters = Float32Array.of(1, 2);
 * sgd.step(parameters, Float32Array.of(1, -1), [], 1);
 * assertEquals(parameters, Float32Array.of(0.5, 2.5));
 * ```
 */
export function fusedOptimiser(
  options: OptimiserOptions,
  learningRates: readonly number[],
  parameterCount: number,
  perRun?: readonly OptimiserOptions[],
  kernels: Kernels = scalarKernels,
): FusedOptimiser {
  const runs = learningRates.length;
  const { name, settingValues } = batchSettings(options, runs, perRun);
  const kind = OPTIMISER_KINDS[name] as OptimiserKind<Record<string, number>>;
  return kind.fused({
    runs,
    size: parameterCount,
    rates: Float32Array.from(learningRates),
    settingValues,
    kernels,
  });
}
