/**
 * The penalty registry: every penalty or constraint on the discriminator an
 * experiment may name, each declared in one file of `penalties/`. A level is
 * `"none"` or an object with one of their keys, e.g. `{ gradientPenalty: 10 }`.
 *
 * @module
 */
import { gradientPenalty } from "./gradient_penalty.ts";
import type { PenaltyKind } from "./kind.ts";
import { r1 } from "./r1.ts";
import { r2 } from "./r2.ts";
import { weightClip } from "./weight_clip.ts";

export type {
  FusedGradientNorm,
  PenaltyContext,
  PenaltyKind,
  PenaltyTerm,
  PenaltyValue,
} from "./kind.ts";
export { perRunGradientNorm } from "./kind.ts";

/**
 * Every penalty by its name in results (`weight_clip`, …).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { PENALTY_KINDS } from "./mod.ts";
 * assertEquals(PENALTY_KINDS.r1.setting, "gamma");
 * ```
 */
export const PENALTY_KINDS = {
  weight_clip: weightClip,
  gradient_penalty: gradientPenalty,
  r1,
  r2,
} as const satisfies Record<string, PenaltyKind>;

/** A penalty's name. */
export type PenaltyName = keyof typeof PENALTY_KINDS;

/** One penalty as experiment files write it. */
export type SinglePenaltyLevel =
  | { readonly weightClip: number }
  | { readonly gradientPenalty: number }
  | { readonly r1: number }
  | { readonly r2: number };

/**
 * A penalty level as experiment files write it: `"none"`, one penalty, or
 * a list of them that act together (R3GAN's `[{ r1: γ }, { r2: γ }]`).
 */
export type PenaltyLevel = "none" | SinglePenaltyLevel | readonly SinglePenaltyLevel[];

/** A penalty as a resolved configuration holds it (absent for none). */
export type ResolvedPenalty =
  | { readonly name: "weight_clip"; readonly clip: number }
  | { readonly name: "gradient_penalty"; readonly weight: number }
  | { readonly name: "r1"; readonly gamma: number }
  | { readonly name: "r2"; readonly gamma: number };

/** A configuration's penalties: one, or several that act together (absent for none). */
export type ResolvedPenalties = ResolvedPenalty | readonly ResolvedPenalty[];

/** What one penalty may be, as error messages say it. */
const SINGLE_ALLOWED = Object.values(PENALTY_KINDS)
  .map((kind) => `{ ${kind.key}: ${kind.allowed} }`).join(", ");

/** What a penalty level may be, as error messages say it. */
export const PENALTY_ALLOWED = `"none", ${SINGLE_ALLOWED}, or a list of two or more of these`;

/** Pairs of penalties that a list may not hold together, and why. */
const EXCLUSIVE: readonly { pair: readonly [PenaltyName, PenaltyName]; why: string }[] = [
  {
    pair: ["weight_clip", "gradient_penalty"],
    why: "the gradient penalty replaces weight clipping as WGAN-GP's way to keep the critic " +
      "1-Lipschitz (Gulrajani et al. 2017); with both, the clip decides and the penalty's " +
      "target norm 1 cannot be reached by clipped weights",
  },
];

/**
 * A penalty level resolved, or an error message saying what is wrong. A
 * list is resolved in the registry's order (so that a list's order never
 * makes another configuration); a list of one is that penalty.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { resolvePenalty } from "./mod.ts";
 * assertEquals(resolvePenalty({ gradientPenalty: 10 }), { name: "gradient_penalty", weight: 10 });
 * assertEquals(resolvePenalty("none"), undefined);
 * assertEquals(resolvePenalty([{ r2: 1 }, { r1: 1 }]), [{ name: "r1", gamma: 1 }, { name: "r2", gamma: 1 }]);
 * assertEquals(resolvePenalty([]) instanceof Error, true);
 * ```
 */
export function resolvePenalty(level: unknown): ResolvedPenalties | undefined | Error {
  if (level === "none") return undefined;
  if (!Array.isArray(level)) return resolveOne(level);
  if (level.length === 0) {
    return new Error('is an empty list: write "none" for no penalty, or list the penalties');
  }
  const resolved: ResolvedPenalty[] = [];
  for (const [k, entry] of level.entries()) {
    if (entry === "none") {
      return new Error(`[${k}] is "none": a list holds penalties (write "none" alone for none)`);
    }
    const one = resolveOne(entry);
    if (one instanceof Error) return new Error(`[${k}] ${one.message}`);
    resolved.push(one);
  }
  const names = resolved.map((penalty) => penalty.name);
  const twice = names.find((name, k) => names.indexOf(name) !== k);
  if (twice) {
    return new Error(
      `lists ${PENALTY_KINDS[twice].key} twice: a penalty acts once per step (give it one setting)`,
    );
  }
  for (const { pair: [a, b], why } of EXCLUSIVE) {
    if (names.includes(a) && names.includes(b)) {
      return new Error(
        `cannot hold ${PENALTY_KINDS[a].key} and ${PENALTY_KINDS[b].key} together: ${why}`,
      );
    }
  }
  const order = Object.keys(PENALTY_KINDS);
  resolved.sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name));
  return resolved.length === 1 ? resolved[0] : resolved;
}

/** One penalty level resolved, or an error message. */
function resolveOne(level: unknown): ResolvedPenalty | Error {
  if (typeof level !== "object" || level === null || Array.isArray(level)) {
    return new Error(`must be ${PENALTY_ALLOWED}`);
  }
  const entries = Object.entries(level);
  const found = Object.entries(PENALTY_KINDS).find(([, kind]) => kind.key === entries[0]?.[0]);
  if (entries.length !== 1 || !found) return new Error(`must be ${PENALTY_ALLOWED}`);
  const [name, kind] = found;
  const value = entries[0][1];
  if (typeof value !== "number" || !Number.isFinite(value) || !kind.isAllowed(value)) {
    return new Error(`${kind.key} must be ${kind.allowed}`);
  }
  return { name, [kind.setting]: value } as ResolvedPenalty;
}

/**
 * A configuration's penalties as a list (empty for none).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { penaltyList } from "./mod.ts";
 * assertEquals(penaltyList(undefined), []);
 * assertEquals(penaltyList({ name: "r1", gamma: 1 }), [{ name: "r1", gamma: 1 }]);
 * ```
 */
export function penaltyList(penalties: ResolvedPenalties | undefined): readonly ResolvedPenalty[] {
  if (penalties === undefined) return [];
  return Array.isArray(penalties) ? penalties : [penalties as ResolvedPenalty];
}

/** One penalty's setting: the number its kind takes (`clip`, `weight`, `gamma`). */
export function penaltySetting(penalty: ResolvedPenalty): number {
  const kind: PenaltyKind = PENALTY_KINDS[penalty.name];
  return (penalty as unknown as Record<string, number>)[kind.setting];
}

/**
 * The penalties' label in results, e.g. `gradient_penalty(10)` or
 * `r1(10)+r2(10)`; `none` for none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { penaltyLabel } from "./mod.ts";
 * assertEquals(penaltyLabel([{ name: "r1", gamma: 10 }, { name: "r2", gamma: 10 }]), "r1(10)+r2(10)");
 * ```
 */
export function penaltyLabel(penalties: ResolvedPenalties | undefined): string {
  const list = penaltyList(penalties);
  if (list.length === 0) return "none";
  return list.map((penalty) => `${penalty.name}(${penaltySetting(penalty)})`).join("+");
}
