/**
 * The training step, declared: what one iteration does, as data. The
 * schedule (`schedule.ts`) turns it into the flat list of operations both
 * engines execute (`reference/executor.ts` with tf ops, `fused/executor.ts`
 * with loops), so that a new scheme is written once, here and there.
 *
 * An iteration is `criticSteps` critic steps, then G's step. A critic step
 * draws one real sample (and, with a noise input, one z), then makes D's
 * updates in order: each evaluates the loss terms it names on D as it
 * stands, sums their gradients with each penalty placed on its term, takes
 * one optimiser step and applies the constraints. G's step evaluates G's
 * loss through D as it then stands. The records say which evaluation each
 * curve column reads: the last one of its term in the iteration.
 *
 * @module
 */
import type { PenaltyKind } from "../kinds/penalties/mod.ts";

/**
 * The values recorded every `recordEvery` iterations, in this order: the
 * loss terms and D's outputs of the last critic step, G's loss, and the
 * penalty term of the last critic step (the sum of its penalties; 0 without).
 */
export const CURVE_COLUMNS = [
  "d_loss_real",
  "d_loss_fake",
  "g_loss",
  "d_real",
  "d_fake",
  "penalty",
] as const;

/** One of the recorded curve values. */
export type CurveColumn = typeof CURVE_COLUMNS[number];

/**
 * How often a run records, unless its experiment says otherwise: the curve
 * values every 10 iterations and G's output every 100 (the seed's).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RECORD_INTERVALS } from "./step.ts";
 * assertEquals(RECORD_INTERVALS, { recordEvery: 10, patternEvery: 100 });
 * ```
 */
export const RECORD_INTERVALS = { recordEvery: 10, patternEvery: 100 } as const;

/** D's batches: the real sample and G's (detached) sample. */
export type DiscriminatorTerm = "real" | "fake";

/** The terms a curve column can read: D's on either batch, or G's. */
export type RecordedTerm = DiscriminatorTerm | "generator";

/** One D optimiser step: the loss terms it sums, each evaluated on D as it stands before the step. */
export interface DiscriminatorUpdate {
  readonly terms: readonly DiscriminatorTerm[];
}

/** Where a curve column's value comes from. */
export type RecordSource =
  | { readonly term: RecordedTerm; readonly of: "loss" | "mean output" }
  | { readonly of: "penalty" };

/**
 * The order of the players' updates: `alternating` (the critic steps, then
 * G's step through the updated D) or `simultaneous` (G's gradient through D
 * as it stood before this iteration's critic step, applied after it, so
 * both players move from the same point; one critic step).
 */
export type UpdateOrder = "alternating" | "simultaneous";

/**
 * G's batch: `new` (G's step draws its own z, as the seed's loop does) or
 * `reuse` (G's step takes the z, and G(z), of the iteration's last critic
 * step, as a PyTorch loop that computes `fake = G(z)` once and feeds
 * `fake.detach()` to D and `fake` to G; with simultaneous updates, both
 * players' gradients on one z, as The Numerics of GANs' code takes them).
 */
export type GeneratorBatch = "new" | "reuse";

/** A penalty's place in the step: the term whose update sums it, or a constraint after each D step. */
export interface PenaltyPlace {
  /** Its index in the batch's list of penalties. */
  readonly index: number;
  /** The D term whose update adds its gradient (absent for a constraint). */
  readonly with?: DiscriminatorTerm;
  /** Whether it is a constraint applied after each D step (a weight clip). */
  readonly constraint: boolean;
}

/** What one training iteration does. */
export interface TrainingStep {
  /** Whether G's gradient is taken after D's updates (alternating) or before (simultaneous). */
  readonly updates: UpdateOrder;
  /** Whether G's step draws its own z or takes the last critic step's. */
  readonly generatorBatch: GeneratorBatch;
  /** D steps per G step, each on its own real sample. */
  readonly criticSteps: number;
  /** D's updates in one critic step, in order. */
  readonly criticStep: readonly DiscriminatorUpdate[];
  /** Each penalty's place, in the order the batch lists them. */
  readonly penalties: readonly PenaltyPlace[];
  /**
   * Whether the loss couples D's outputs on both batches (a relativistic
   * loss): an update then evaluates both its passes before it seeds the
   * loss, and G's loss also reads D on the real sample.
   */
  readonly paired: boolean;
  /**
   * Consensus optimisation's γ (0: none): each player's step adds
   * γ·∇(½‖v‖²) to its gradient, v the joint field (D's gradient of the sum
   * of its terms, G's of its loss) at the point the player steps from, on
   * that step's samples: a critic step's real sample and z for D's update;
   * for G's step its z and the last critic step's real sample (from the
   * iteration's start point with simultaneous updates).
   */
  readonly consensus: number;
  /** Each curve column's source, read when the iteration records. */
  readonly records: { readonly [C in CurveColumn]: RecordSource };
}

/**
 * The seed's loop (Make Your First GAN With PyTorch): per critic step, one
 * D update on the real sample, then one on G's sample; then G's step.
 */
export const SEPARATE_UPDATES: readonly DiscriminatorUpdate[] = [
  { terms: ["real"] },
  { terms: ["fake"] },
];

/**
 * One D update on the sum of both terms, each on D as it stood before the
 * step: the critic step of WGAN, WGAN-GP, SN-GAN and DCGAN's papers.
 */
export const JOINT_UPDATE: readonly DiscriminatorUpdate[] = [{ terms: ["real", "fake"] }];

/** The curve columns' sources: D's terms and mean output on real data, G's loss and D(G(z)) at G's step. */
export const CURVE_SOURCES: TrainingStep["records"] = {
  d_loss_real: { term: "real", of: "loss" },
  d_loss_fake: { term: "fake", of: "loss" },
  g_loss: { term: "generator", of: "loss" },
  d_real: { term: "real", of: "mean output" },
  d_fake: { term: "generator", of: "mean output" },
  penalty: { of: "penalty" },
};

/**
 * The step a batch trains with: its critic steps and D's updates (the
 * seed's by default), with each penalty placed on the term it is defined at
 * (R1 with the real sample, R2 and the gradient penalty with G's), a
 * constraint after each D step.
 *
 * @throws {Error} for a step that cannot be trained, with the reason.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { declaredStep } from "./step.ts";
 * import { PENALTY_KINDS } from "../kinds/penalties/mod.ts";
 * const step = declaredStep({ dSteps: 5, penalties: [PENALTY_KINDS.r1] });
 * assertEquals(step.criticStep.map((update) => update.terms), [["real"], ["fake"]]);
 * assertEquals([step.criticSteps, step.penalties[0].with], [5, "real"]);
 * ```
 */
export function declaredStep(
  {
    dSteps,
    criticStep = SEPARATE_UPDATES,
    updates = "alternating",
    generatorBatch = "new",
    penalties = [],
    consensus = 0,
    paired = false,
  }: {
    readonly dSteps: number;
    readonly criticStep?: readonly DiscriminatorUpdate[];
    readonly updates?: UpdateOrder;
    readonly generatorBatch?: GeneratorBatch;
    readonly penalties?: readonly PenaltyKind[];
    readonly consensus?: number;
    readonly paired?: boolean;
  },
): TrainingStep {
  if (criticStep.length === 0 || criticStep.some((update) => update.terms.length === 0)) {
    throw new Error("a critic step needs at least one D update, each with at least one term");
  }
  if (updates === "simultaneous" && dSteps !== 1) {
    throw new Error(
      `simultaneous updates take one critic step per G step (dSteps ${dSteps}): both players ` +
        "move from the same point",
    );
  }
  if (consensus > 0 && criticStep.some((update) => update.terms.length !== 2)) {
    throw new Error(
      "consensus optimisation regularises the joint field: D's step must sum both terms " +
        '(dUpdate "joint")',
    );
  }
  if (paired && criticStep.some((update) => update.terms.length !== 2)) {
    throw new Error(
      "a relativistic loss couples D's scores on both batches: D's step must sum both terms " +
        '(dUpdate "joint")',
    );
  }
  return {
    updates,
    generatorBatch,
    criticSteps: dSteps,
    criticStep,
    penalties: penalties.map((penalty, index) => ({
      index,
      ...(penalty.onReal
        ? { with: "real" as const }
        : penalty.onFake
        ? { with: "fake" as const }
        : {}),
      constraint: !penalty.onReal && !penalty.onFake,
    })),
    paired,
    consensus,
    records: CURVE_SOURCES,
  };
}
