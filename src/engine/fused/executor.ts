/**
 * The fused engine's primitives: each operation of the schedule
 * (`../schedule.ts`) as a closure over plain arrays for every run of a batch
 * at once, compiled once per batch. A training program runs the iteration's
 * list chunk after chunk in the fused kernel (`kernel.ts`); the joint field
 * (`field.ts`) runs the field's list on fixed samples with the same
 * primitives.
 *
 * @module
 */
import { LOSS_KINDS, type LossKind, type Side } from "../../kinds/losses/mod.ts";
import type { FusedSpectral, KinkMode } from "../../nn/layers/mod.ts";
import type { Network } from "../../nn/network.ts";
import type { PlannedPenalty } from "../plan.ts";
import { type Batch, type Op, type OpName, type OpOf, sampleIndex } from "../schedule.ts";
import { type FusedNetwork, fusedNetwork } from "./network.ts";
import { penaltyPass } from "./penalty_pass.ts";
import type { FieldPasses } from "./consensus.ts";
import { type CurveKeeper } from "./records.ts";
import { chooseKernels, type Kernels } from "../../nn/kernels/mod.ts";

/** What a batch's primitives are built for: its networks, loss, penalties and sizes. */
export interface PrimitivesSetup {
  readonly discriminator: Network;
  readonly generator: Network;
  readonly loss: keyof typeof LOSS_KINDS;
  readonly penalties: readonly PlannedPenalty[];
  readonly runs: number;
  readonly batchSize: number;
  readonly width: number;
  readonly inputWidth: number;
}

/** The point the primitives act at: both players' parameters (`[P, R]`, the fused layout) and spectral vectors. */
export interface FusedPoint {
  d: Float32Array;
  g: Float32Array;
  dSpectral: readonly (FusedSpectral | undefined)[];
  gSpectral: readonly (FusedSpectral | undefined)[];
}

/**
 * Where the primitives' draws and steps come from: a training batch's
 * random streams and optimisers, or a field's fixed samples (and no steps).
 */
export interface PrimitiveSources {
  /** Critic sample `sample`'s real batch into `into` (`[width, R·B]`), and what D sees of it. */
  real(sample: number, into: Float32Array): Float32Array;
  /** G's next input into `into` (`[in, R·B]`), or false where it stays (a constant, a field's z). */
  input(into: Float32Array): boolean;
  /** What D sees of G's sample `x` (`[width, R·B]`) for batch `into` (instance noise), in `buffer` where it differs. */
  seen(x: Float32Array, batch: "fake" | "generated", buffer: Float32Array): Float32Array;
  /** Critic step `critic`'s interpolation weights of run r. */
  alphas(critic: number): (run: number) => ArrayLike<number>;
  /** One D step along `gradient`, in place; absent in a field. */
  stepD?(gradient: Float32Array): void;
  /** One G step along `gradient`, in place; absent in a field. */
  stepG?(gradient: Float32Array): void;
  /** Applies constraint `index` to D's parameters; absent in a field. */
  constrain?(index: number): void;
  /** Whether every pass first advances its network's spectral norm by one power iteration (training's; a field holds them). */
  readonly advances: boolean;
  /** Consensus's regulariser γ·∇(½‖v‖²) at a point, added into the players' gradients given; absent without consensus. */
  consensus?(
    gamma: number,
    d: Float32Array,
    g: Float32Array,
    real: Float32Array,
    z: Float32Array,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ): void;
  /** The same from the field's passes the iteration has taken (one z for both players). */
  consensusAt?(
    gamma: number,
    field: FieldPasses,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ): void;
}

/** The gradients the primitives leave: D's update's and G's, and (in a field) each player's part of the other's loss. */
export interface FusedGradients {
  /** D's update's gradient: its terms and penalties, `[P_D, R]`. */
  readonly discriminator: Float32Array;
  /** G's loss's gradient in G's parameters, `[P_G, R]`. */
  readonly generator: Float32Array;
  /** With cross terms: D's loss's gradient in G's parameters. */
  readonly discriminatorInG: Float32Array;
  /** With cross terms: G's loss's gradient in D's parameters. */
  readonly generatorInD: Float32Array;
}

/** A batch's compiled primitives. */
export interface FusedPrimitives {
  /** Compiles a list of operations into closures, run in order by {@link FusedPrimitives.run}. */
  compile(ops: readonly Op[]): readonly (() => void)[];
  /**
   * Runs compiled operations as iteration `iteration` (which decides the
   * critic steps' sample indices), recording what `records` says.
   */
  run(
    compiled: readonly (() => void)[],
    iteration: number,
    records?: { readonly curves: boolean; readonly pattern: boolean },
  ): void;
  /** The gradients the last run left. */
  readonly gradients: FusedGradients;
  /** G's input buffer `[in, R·B]` (a field sets it; training draws into it). */
  readonly z: Float32Array;
  /** Records or holds every rectifier's kink in every pass (see `FusedOperation.holdKinks`). */
  holdKinks(mode: KinkMode): void;
  /** G(z) for the z at hand is stale: G moved. */
  invalidate(): void;
  /** G's forward pass on z without advancing its spectral norm (the pattern record's evaluation mode). */
  evaluateG(): Float32Array;
}

/**
 * Prepares a batch's primitives over `point`, drawing from `sources` and
 * keeping curve values in `keeper`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fusedPrimitives } from "./executor.ts";
 * import { fieldSchedule } from "../schedule.ts";
 * import { declaredStep, JOINT_UPDATE } from "../step.ts";
 * import { createNetwork } from "../../nn/network.ts";
 * import { scale, sigmoid } from "../../nn/layers/mod.ts";
 * const step = declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE });
 * const setup = { discriminator: createNetwork([scale(1, 1), sigmoid()]), generator: createNetwork([scale(1, 1)]),
 *   loss: "bce_minimax", penalties: [], step, runs: 1, batchSize: 1, width: 1, inputWidth: 1 } as const;
 * const point = { d: Float32Array.of(0), g: Float32Array.of(1), dSpectral: [], gSpectral: [] };
 * const primitives = fusedPrimitives(setup, point, {
 *   real: (_critic, into) => into.fill(0), input: () => false, seen: (x) => x,
 *   alphas: () => () => [0.5], advances: false,
 * });
 * primitives.z.fill(1);
 * primitives.run(primitives.compile(fieldSchedule(step)), 0);
 * // The Dirac-GAN at (θ, ψ) = (1, 0): D's gradient ½·θ, G's −½·ψ.
 * assertEquals([primitives.gradients.discriminator[0], primitives.gradients.generator[0]], [0.5, -0]);
 * ```
 */
export function fusedPrimitives(
  setup: PrimitivesSetup,
  point: FusedPoint,
  sources: PrimitiveSources,
  keeper?: CurveKeeper,
  kernels: Kernels = chooseKernels(),
): FusedPrimitives {
  const { runs, batchSize: batch, width } = setup;
  const loss: LossKind = LOSS_KINDS[setup.loss];
  const D: Record<Batch, FusedNetwork> = {
    real: fusedNetwork(setup.discriminator, runs, batch, width, kernels),
    fake: fusedNetwork(setup.discriminator, runs, batch, width, kernels),
    generated: fusedNetwork(setup.discriminator, runs, batch, width, kernels),
  };
  const G = fusedNetwork(setup.generator, runs, batch, setup.inputWidth, kernels);
  const penalties = setup.penalties.map((planned) =>
    penaltyPass(setup.discriminator, { runs, batch, width }, planned, kernels)
  );
  const dSize = setup.discriminator.parameterCount;
  const gSize = setup.generator.parameterCount;
  const gLast = setup.generator.layers.length;
  // D's sigmoid head is skipped where the loss has a gradient at its logit.
  const last = setup.discriminator.layers.length - 1;
  const sigmoidHead = setup.discriminator.layers[last].type === "sigmoid";
  const dFrom = sigmoidHead && loss.discriminator.atLogit ? last - 1 : last;
  const gFrom = sigmoidHead && loss.generator.atLogit ? last - 1 : last;
  const real = kernels.floats(runs * batch * width);
  const z = kernels.floats(runs * batch * setup.inputWidth);
  const noisy = {
    fake: kernels.floats(runs * batch * width),
    generated: kernels.floats(runs * batch * width),
  };
  const gradients: FusedGradients = {
    discriminator: kernels.floats(runs * dSize),
    // G's gradient is where G's backward pass leaves it.
    generator: G.parameterGradient,
    discriminatorInG: kernels.floats(runs * gSize),
    generatorInD: kernels.floats(runs * dSize),
  };
  const penaltyValues = new Float64Array(runs);
  const shape = { runs, batch };
  const inputs: Partial<Record<Batch, Float32Array>> = {};
  const outputs: Partial<Record<Batch, Float32Array>> = {};
  // Where each batch's pass had D's spectral vectors (a penalty with a term reads its pass's).
  const spectralCopies = point.dSpectral.length
    ? Object.fromEntries((["real", "fake", "generated"] as const).map((batch) => [
      batch,
      point.dSpectral.map((vectors) =>
        vectors && { u: new Float32Array(vectors.u.length), v: new Float32Array(vectors.v.length) }
      ),
    ])) as Record<Batch, (FusedSpectral | undefined)[]>
    : undefined;
  // The point G's consensus term is taken at with simultaneous updates (made on first use).
  let startD: Float32Array | undefined;
  let zOfG: Float32Array | undefined;
  let generated: Float32Array | undefined;
  let iteration = 0;
  let recording = false;
  let recordingPattern = false;

  /** One power iteration of D's spectral norm, as every D pass in training does first. */
  const advanceD = () => {
    if (sources.advances && point.dSpectral.length) {
      D.real.advanceSpectral(point.d, point.dSpectral);
    }
  };
  /** G's forward pass in training: one power iteration of its spectral norm first. */
  const generate = () => {
    if (sources.advances && point.gSpectral.length) G.advanceSpectral(point.g, point.gSpectral);
    return generated = G.forward(z, point.g, point.gSpectral);
  };
  /** Consensus's regulariser, which a schedule with a consensus operation must have been given. */
  const regularise: NonNullable<PrimitiveSources["consensus"]> = (...args) => {
    if (!sources.consensus) throw new Error("a consensus operation without a consensus pass");
    sources.consensus(...args);
  };
  /** D's outputs a seed reads (a loss calls G's batch `fake`). */
  const outputsOf = (sides: readonly Side[], fakeFrom: Batch) =>
    Object.fromEntries(
      sides.map((side) => [side, outputs[side === "fake" ? fakeFrom : side]!]),
    ) as Partial<Record<Side, Float32Array>>;

  /** G's gradient of D's input gradient now in `pass.gradients[0]`, into `into`. */
  const throughG = (pass: FusedNetwork, into: Float32Array) => {
    G.gradients[gLast].set(pass.gradients[0]);
    G.backward(point.g, gLast - 1, { parameters: true, input: false });
    if (into !== G.parameterGradient) into.set(G.parameterGradient);
  };

  const primitives: { readonly [K in OpName]: (op: OpOf<K>) => () => void } = {
    draw_real: ({ critic, criticSteps }) => () => {
      inputs.real = sources.real(sampleIndex(iteration, criticSteps, critic), real);
    },
    sample_g: ({ into, reuse }) => () => {
      let fromG = reuse ? generated : undefined;
      if (!fromG) {
        sources.input(z);
        fromG = generate();
      }
      inputs[into] = sources.seen(fromG, into, noisy[into]);
    },
    hold_start: () => {
      startD ??= kernels.floats(runs * dSize);
      zOfG ??= kernels.floats(z.length);
      return () => {
        startD!.set(point.d);
        zOfG!.set(z);
      };
    },
    forward_d: ({ on }) => () => {
      advanceD();
      if (spectralCopies) {
        spectralCopies[on].forEach((copy, l) => {
          copy?.u.set(point.dSpectral[l]!.u);
          copy?.v.set(point.dSpectral[l]!.v);
        });
      }
      outputs[on] = D[on].forward(inputs[on]!, point.d, point.dSpectral);
    },
    seed_d: ({ terms, keep }) => () => {
      const given = outputsOf(terms, "fake");
      const into = Object.fromEntries(terms.map((term) => [term, D[term].gradients[dFrom + 1]]));
      loss.discriminator.fused.gradients(given, shape, into, dFrom !== last);
      if (recording && keeper) keeper.keep(keep, loss.discriminator, given, shape);
    },
    backward_d: ({ on, accumulate, cross = false }) => () => {
      const pass = D[on];
      pass.backward(point.d, dFrom, { parameters: true, input: cross });
      if (accumulate === "set") gradients.discriminator.set(pass.parameterGradient);
      else kernels.addInto(gradients.discriminator, pass.parameterGradient);
      if (cross) throughG(pass, gradients.discriminatorInG);
    },
    penalty: ({ index, with: term, critic, criticSteps, keep }) => () => {
      const pass = penalties[index]!;
      pass.add(
        point.d,
        spectralCopies?.[term] ?? point.dSpectral,
        {
          real: inputs.real!,
          fake: inputs.fake!,
          alphasOf: sources.alphas(sampleIndex(iteration, criticSteps, critic)),
        },
        gradients.discriminator,
        penaltyValues,
        advanceD,
      );
      if (recording && keeper) keeper.penalty(penaltyValues, keep);
    },
    consensus_d: ({ gamma }) => () => {
      regularise(gamma, point.d, point.g, inputs.real!, z, {
        discriminator: gradients.discriminator,
      });
    },
    consensus: ({ gamma }) => () => {
      // Both players' gradients are on this z from this point: the iteration's passes are v's.
      if (!sources.consensusAt) throw new Error("a consensus operation without a consensus pass");
      const field = {
        d: point.d,
        g: point.g,
        onReal: D.real,
        onFakeForD: D.fake,
        onFakeForG: D.generated,
        generator: G,
        vD: gradients.discriminator,
        vG: G.parameterGradient,
      };
      sources.consensusAt(gamma, field, {
        discriminator: gradients.discriminator,
        generator: G.parameterGradient,
      });
    },
    step_d: () => () => sources.stepD?.(gradients.discriminator),
    constrain_d: ({ index }) => () => sources.constrain?.(index),
    seed_g: ({ on, keep }) => () => {
      const given = outputsOf(loss.generator.reads, on);
      loss.generator.fused.gradients(
        given,
        shape,
        { fake: D[on].gradients[gFrom + 1] },
        gFrom !== last,
      );
      if (recording && keeper) keeper.keep(keep, loss.generator, given, shape);
    },
    backward_g: ({ on, cross = false }) => () => {
      const pass = D[on];
      pass.backward(point.d, gFrom, { parameters: cross, input: true });
      if (cross) gradients.generatorInD.set(pass.parameterGradient);
      throughG(pass, G.parameterGradient);
    },
    consensus_g: ({ from, gamma }) => () => {
      // From the point G steps from: the iteration's start with simultaneous updates.
      const [d, input] = from === "start" ? [startD!, zOfG!] : [point.d, z];
      regularise(gamma, d, point.g, inputs.real!, input, {
        generator: G.parameterGradient,
      });
    },
    step_g: () => () => {
      sources.stepG?.(G.parameterGradient);
      // G has moved: its next sample is a new G(z).
      generated = undefined;
    },
    record_curves: ({ columns }) => () => {
      if (recording) keeper?.record(columns);
    },
    record_pattern: () => () => {
      if (recordingPattern) keeper?.pattern(evaluateG);
    },
  };
  // As PyTorch's eval mode runs G: spectral norm does not move on.
  const evaluateG = () => G.forward(z, point.g, point.gSpectral);

  return {
    compile: (ops) => ops.map((op) => (primitives[op.op] as (op: Op) => () => void)(op)),
    run(compiled, at, records) {
      iteration = at;
      recording = records?.curves ?? false;
      recordingPattern = records?.pattern ?? false;
      for (const operation of compiled) operation();
    },
    gradients,
    z,
    holdKinks(mode) {
      for (const network of [D.real, D.fake, D.generated, G, ...penalties.map((p) => p?.network)]) {
        network?.holdKinks(mode);
      }
    },
    invalidate() {
      generated = undefined;
    },
    evaluateG,
  };
}
