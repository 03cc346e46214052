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

/** A penalty level as experiment files write it. */
export type PenaltyLevel =
  | "none"
  | { readonly weightClip: number }
  | { readonly gradientPenalty: number }
  | { readonly r1: number }
  | { readonly r2: number };

/** A penalty as a resolved configuration holds it (absent for none). */
export type ResolvedPenalty =
  | { readonly name: "weight_clip"; readonly clip: number }
  | { readonly name: "gradient_penalty"; readonly weight: number }
  | { readonly name: "r1"; readonly gamma: number }
  | { readonly name: "r2"; readonly gamma: number };

/** What a penalty level may be, as error messages say it. */
export const PENALTY_ALLOWED = [
  `"none"`,
  ...Object.values(PENALTY_KINDS).map((kind) => `{ ${kind.key}: ${kind.allowed} }`),
].join(", ");

/**
 * A penalty level resolved, or an error message saying what is wrong.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { resolvePenalty } from "./mod.ts";
 * assertEquals(resolvePenalty({ gradientPenalty: 10 }), { name: "gradient_penalty", weight: 10 });
 * assertEquals(resolvePenalty("none"), undefined);
 * ```
 */
export function resolvePenalty(level: unknown): ResolvedPenalty | undefined | Error {
  if (level === "none") return undefined;
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

/** The penalty's label in results, e.g. `gradient_penalty(10)`; `none` for none. */
export function penaltyLabel(penalty: ResolvedPenalty | undefined): string {
  if (!penalty) return "none";
  const kind: PenaltyKind = PENALTY_KINDS[penalty.name];
  return `${penalty.name}(${(penalty as unknown as Record<string, number>)[kind.setting]})`;
}
