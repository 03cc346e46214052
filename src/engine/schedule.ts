/**
 * The one place the iteration's order is written: a declared step
 * (`step.ts`) as a flat list of primitive operations, which each engine
 * executes with its own primitives (`reference/executor.ts` with tf ops,
 * `fused/executor.ts` with loops over its buffers). The joint gradient field
 * (consensus, the convergence check from theory) is a list of the same
 * operations without the draws, the steps and the records.
 *
 * An operation names a batch D sees: `real` (this critic step's real sample),
 * `fake` (G's sample for the critic step, detached) or `generated` (G's
 * sample for G's own step, through which G's gradient flows). D keeps one
 * pass per batch, so that a loss that couples two batches can read both.
 *
 * @module
 */
import {
  CURVE_COLUMNS,
  type CurveColumn,
  type DiscriminatorTerm,
  type DiscriminatorUpdate,
  type RecordedTerm,
  type TrainingStep,
} from "./step.ts";

/** A batch D sees in an iteration. */
export type Batch = DiscriminatorTerm | "generated";

/** A curve column an operation keeps when the iteration records: a term's loss or D's mean output. */
export interface Kept {
  readonly column: CurveColumn;
  readonly term: RecordedTerm;
  readonly of: "loss" | "mean output";
}

/** One primitive operation of an iteration. */
export type Op =
  /** Critic step `critic`'s real sample (sample `iteration × criticSteps + critic`), as D sees it. */
  | { readonly op: "draw_real"; readonly critic: number; readonly criticSteps: number }
  /**
   * G's sample into `fake` (detached, for the critic) or `generated` (for
   * G's step): a new z with a noise input, G's forward pass (its spectral
   * norm first), and what D sees of it. `reuse`: the iteration's last z and
   * G(z) instead, where G has not stepped since (no draw, no forward pass):
   * the batch reused, or a constant z's G(z).
   */
  | { readonly op: "sample_g"; readonly into: "fake" | "generated"; readonly reuse: boolean }
  /** Keeps D's parameters and G's z as the point G's consensus term is taken at (simultaneous). */
  | { readonly op: "hold_start" }
  /** D's forward pass on a batch (its spectral norm's power iteration first), kept for its backward. */
  | { readonly op: "forward_d"; readonly on: Batch }
  /** D's loss at its passes on `terms`: the gradient at each pass's output; keeps its curve columns. */
  | {
    readonly op: "seed_d";
    readonly terms: readonly DiscriminatorTerm[];
    readonly keep: readonly Kept[];
  }
  /**
   * D's parameter gradient from the pass on `on`, set as or added to the
   * update's gradient; with `cross` (a field's), also the same loss's
   * gradient in G's parameters, through G's sample.
   */
  | {
    readonly op: "backward_d";
    readonly on: DiscriminatorTerm;
    readonly accumulate: "set" | "add";
    readonly cross?: boolean;
  }
  /**
   * Penalty `index`'s gradient at critic step `critic`'s samples added to the
   * update's gradient; its value kept in `keep.column` (the first of a
   * critic step's penalties sets it, the others add).
   */
  | {
    readonly op: "penalty";
    readonly index: number;
    readonly with: DiscriminatorTerm;
    readonly critic: number;
    readonly criticSteps: number;
    readonly keep: { readonly column: CurveColumn; readonly accumulate: "set" | "add" };
  }
  /** γ·∇(½‖v‖²)'s D part at D's point, on this critic step's samples, added to the update's gradient. */
  | { readonly op: "consensus_d"; readonly gamma: number }
  /**
   * γ·∇(½‖v‖²) in both players' parameters at once, added to D's update's
   * gradient and to G's: simultaneous updates where both players' gradients
   * are on one z (the point and the samples of each part are then the same).
   */
  | { readonly op: "consensus"; readonly gamma: number }
  /** One optimiser step of D along the update's gradient. */
  | { readonly op: "step_d" }
  /** A constraint on D's parameters after its step (a weight clip). */
  | { readonly op: "constrain_d"; readonly index: number }
  /** G's loss at D's pass on `on` (and on the real sample for a paired loss); keeps its curve columns. */
  | { readonly op: "seed_g"; readonly on: "generated" | "fake"; readonly keep: readonly Kept[] }
  /**
   * G's parameter gradient: back through D's pass on `on` to its input, then
   * through G; with `cross` (a field's), also G's loss's gradient in D's parameters.
   */
  | { readonly op: "backward_g"; readonly on: "generated" | "fake"; readonly cross?: boolean }
  /** γ·∇(½‖v‖²)'s G part from the iteration's start point (simultaneous) or D as it stands, added to G's gradient. */
  | { readonly op: "consensus_g"; readonly from: "start" | "current"; readonly gamma: number }
  /** One optimiser step of G along its gradient (a constant z's G(z) is then stale). */
  | { readonly op: "step_g" }
  /**
   * The curve columns kept in this iteration, as one record in this order (on
   * a recording iteration); a penalty column no penalty kept holds 0.
   */
  | { readonly op: "record_curves"; readonly columns: readonly CurveColumn[] }
  /** G's output after its step, in evaluation mode (on a pattern-recording iteration). */
  | { readonly op: "record_pattern" };

/** An operation's name. */
export type OpName = Op["op"];

/** The operation named `K`. */
export type OpOf<K extends OpName> = Extract<Op, { op: K }>;

/**
 * The real sample critic step `critic` of iteration `iteration` draws: the
 * data stream's position.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { sampleIndex } from "./schedule.ts";
 * assertEquals(sampleIndex(3, 5, 2), 17);
 * ```
 */
export function sampleIndex(iteration: number, criticSteps: number, critic: number): number {
  return iteration * criticSteps + critic;
}

/**
 * What an iteration records: the curves every `recordEvery` iterations, G's
 * output every `patternEvery` (counted after the iteration).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { recordsAt } from "./schedule.ts";
 * assertEquals(recordsAt(99, { recordEvery: 10, patternEvery: 100 }), { curves: true, pattern: true });
 * assertEquals(recordsAt(0, { recordEvery: 10, patternEvery: 100 }), { curves: false, pattern: false });
 * ```
 */
export function recordsAt(
  iteration: number,
  { recordEvery, patternEvery }: { readonly recordEvery: number; readonly patternEvery: number },
): { curves: boolean; pattern: boolean } {
  const done = iteration + 1;
  return { curves: done % recordEvery === 0, pattern: done % patternEvery === 0 };
}

/** The curve columns a seed of `terms` keeps, as the step's records declare them. */
function keptFor(step: TrainingStep, terms: readonly RecordedTerm[]): Kept[] {
  return Object.entries(step.records).flatMap(([column, source]) =>
    "term" in source && terms.includes(source.term)
      ? [{ column: column as CurveColumn, term: source.term, of: source.of }]
      : []
  );
}

/** The penalty operation of a place, in critic step `critic`, keeping its value in the penalty column. */
function penaltyOp(
  step: TrainingStep,
  place: { readonly index: number; readonly with: DiscriminatorTerm },
  critic: number,
): Op {
  const first = step.penalties.find((one) => one.with)!;
  const column = Object.entries(step.records).find(([, source]) => source.of === "penalty")![0];
  return {
    op: "penalty",
    index: place.index,
    with: place.with,
    critic,
    criticSteps: step.criticSteps,
    keep: {
      column: column as CurveColumn,
      accumulate: place.index === first.index ? "set" : "add",
    },
  };
}

/** The penalties placed with `term`, as operations of critic step `critic`. */
function penaltiesWith(step: TrainingStep, term: DiscriminatorTerm, critic: number): Op[] {
  return step.penalties
    .filter((place) => place.with === term)
    .map((place) => penaltyOp(step, { index: place.index, with: term }, critic));
}

/**
 * One D update of critic step `critic`: its passes, seeds, backward passes,
 * penalties, consensus (D's part, or both players' where `jointConsensus`),
 * step and constraints.
 */
function updateOps(
  step: TrainingStep,
  update: DiscriminatorUpdate,
  critic: number,
  jointConsensus: boolean,
): Op[] {
  const ops: Op[] = [];
  if (step.paired) {
    // The loss couples both batches: both passes first, one seed, then each backward pass.
    for (const term of update.terms) ops.push({ op: "forward_d", on: term });
    ops.push({ op: "seed_d", terms: update.terms, keep: keptFor(step, update.terms) });
    update.terms.forEach((term, t) => {
      ops.push({ op: "backward_d", on: term, accumulate: t === 0 ? "set" : "add" });
      ops.push(...penaltiesWith(step, term, critic));
    });
  } else {
    update.terms.forEach((term, t) => {
      ops.push(
        { op: "forward_d", on: term },
        { op: "seed_d", terms: [term], keep: keptFor(step, [term]) },
        { op: "backward_d", on: term, accumulate: t === 0 ? "set" : "add" },
        ...penaltiesWith(step, term, critic),
      );
    });
  }
  if (step.consensus > 0) {
    ops.push({ op: jointConsensus ? "consensus" : "consensus_d", gamma: step.consensus });
  }
  ops.push({ op: "step_d" });
  for (const place of step.penalties) {
    if (place.constraint) ops.push({ op: "constrain_d", index: place.index });
  }
  return ops;
}

/** G's gradient through D as it stands: its sample, D's pass on it (and on the real sample for a paired loss), the seed, the backward pass. */
function generatorOps(step: TrainingStep, reuse: boolean): Op[] {
  return [
    { op: "sample_g", into: "generated", reuse },
    { op: "forward_d", on: "generated" },
    ...(step.paired ? [{ op: "forward_d", on: "real" } as const] : []),
    { op: "seed_g", on: "generated", keep: keptFor(step, ["generator"]) },
    { op: "backward_g", on: "generated" },
  ];
}

/**
 * One training iteration of `step` as operations, in order. `constantG`:
 * G's input is a constant and G has no spectral norm, so that G(z) stays
 * the same until G steps (and is not computed again).
 *
 * With `step.generatorBatch` "reuse", G's step takes the last critic step's
 * z and G(z) (with simultaneous updates, D's step takes G's): one z per
 * iteration. Consensus then takes both players' parts in one operation
 * where the updates are simultaneous.
 *
 * @example The seed's iteration
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { iterationSchedule } from "./schedule.ts";
 * import { declaredStep } from "./step.ts";
 * const ops = iterationSchedule(declaredStep({ dSteps: 1 }), { constantG: true });
 * assertEquals(ops.map((op) => op.op), [
 *   "draw_real", "sample_g",
 *   "forward_d", "seed_d", "backward_d", "step_d",
 *   "forward_d", "seed_d", "backward_d", "step_d",
 *   "sample_g", "forward_d", "seed_g", "backward_g", "step_g",
 *   "record_curves", "record_pattern",
 * ]);
 * ```
 */
export function iterationSchedule(
  step: TrainingStep,
  { constantG }: { readonly constantG: boolean },
): readonly Op[] {
  const ops: Op[] = [];
  const simultaneous = step.updates === "simultaneous";
  const reused = step.generatorBatch === "reuse";
  // With a paired loss G's loss reads D on the real sample: drawn before G's gradient.
  const realFirst = simultaneous && step.paired;
  // Both players' gradients on one z from one point: consensus's two parts are one operation.
  const jointConsensus = step.consensus > 0 && simultaneous && (reused || constantG);
  if (simultaneous) {
    if (realFirst) ops.push({ op: "draw_real", critic: 0, criticSteps: step.criticSteps });
    ops.push(...generatorOps(step, constantG));
    if (step.consensus > 0 && !jointConsensus) ops.push({ op: "hold_start" });
  }
  for (let critic = 0; critic < step.criticSteps; critic++) {
    if (!(realFirst && critic === 0)) {
      ops.push({ op: "draw_real", critic, criticSteps: step.criticSteps });
    }
    ops.push({ op: "sample_g", into: "fake", reuse: constantG || (simultaneous && reused) });
    for (const update of step.criticStep) {
      ops.push(...updateOps(step, update, critic, jointConsensus));
    }
  }
  if (!simultaneous) ops.push(...generatorOps(step, constantG || reused));
  if (step.consensus > 0 && !jointConsensus) {
    ops.push({
      op: "consensus_g",
      from: simultaneous ? "start" : "current",
      gamma: step.consensus,
    });
  }
  ops.push(
    { op: "step_g" },
    { op: "record_curves", columns: CURVE_COLUMNS },
    { op: "record_pattern" },
  );
  return ops;
}

/**
 * The joint gradient field `v = (∇_D (D's loss + penalties), ∇_G G's loss)`
 * at a point on fixed samples, as operations: G's sample and the real one
 * (which a field's sources give rather than draw), D's passes on both (G's
 * loss reads the same pass on G(z)), D's gradient, G's gradient, then the
 * penalties at those samples. No steps and no records: what consensus and
 * the convergence check evaluate. With `crossTerms`, each loss's gradient in
 * the other player's parameters too (consensus needs both parts of each).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { fieldSchedule } from "./schedule.ts";
 * import { declaredStep, JOINT_UPDATE } from "./step.ts";
 * const ops = fieldSchedule(declaredStep({ dSteps: 1, criticStep: JOINT_UPDATE }));
 * assertEquals(ops.map((op) => op.op), [
 *   "sample_g", "draw_real", "forward_d", "seed_d", "backward_d",
 *   "forward_d", "seed_d", "backward_d", "seed_g", "backward_g",
 * ]);
 * ```
 */
export function fieldSchedule(
  step: TrainingStep,
  { crossTerms = false }: { readonly crossTerms?: boolean } = {},
): readonly Op[] {
  const terms: readonly DiscriminatorTerm[] = ["real", "fake"];
  const cross = crossTerms ? { cross: true } : {};
  const ops: Op[] = [
    { op: "sample_g", into: "fake", reuse: false },
    { op: "draw_real", critic: 0, criticSteps: 1 },
  ];
  if (step.paired) {
    ops.push(
      { op: "forward_d", on: "real" },
      { op: "forward_d", on: "fake" },
      { op: "seed_d", terms, keep: [] },
      { op: "backward_d", on: "real", accumulate: "set" },
      { op: "backward_d", on: "fake", accumulate: "add", ...cross },
    );
  } else {
    terms.forEach((term, t) =>
      ops.push(
        { op: "forward_d", on: term },
        { op: "seed_d", terms: [term], keep: [] },
        {
          op: "backward_d",
          on: term,
          accumulate: t === 0 ? "set" : "add",
          ...(term === "fake" ? cross : {}),
        },
      )
    );
  }
  ops.push({ op: "seed_g", on: "fake", keep: [] }, { op: "backward_g", on: "fake", ...cross });
  for (const place of step.penalties) {
    if (place.with) ops.push(penaltyOp(step, { index: place.index, with: place.with }, 0));
  }
  return ops;
}
