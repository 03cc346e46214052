/**
 * An experiment's variants as one factor of the analysis. Variants set
 * factors together (`{ consensus: 10 }`, `{ penalty: { r1: 1 } }`), so
 * comparing one of those factors level against level pools the other
 * variants into its base level; the analysis compares variant against
 * variant instead, each labelled by the levels it declares.
 *
 * @module
 */
import { factorColumns, resolveConfig } from "../design/factors.ts";
import { FACTOR_VOCABULARY, type FactorVocabulary } from "../design/levels.ts";
import { type PresetName, PRESETS } from "../design/presets.ts";
import { baseLevelOf, type RunRow, SUMMARY_FACTORS, VARIANT } from "./summary.ts";
import type { Preset } from "../design/presets.ts";

/** A variant as experiment.json records it: factor name to level. */
export type RecordedVariant = Readonly<Record<string, unknown>>;

const vocabulary = (name: string): FactorVocabulary | undefined =>
  (FACTOR_VOCABULARY as Record<string, FactorVocabulary>)[name];

/**
 * The runs, each with a `variant` column naming the variant whose levels it
 * has ("consensus=10"; "penalty=r1(1)") and a `variant_order` column (its
 * place in the experiment's list): a variant's runs have its declared
 * levels and the base preset's level of every factor another variant sets.
 * Rows are returned unchanged where there are no variants; a run no variant
 * describes is labelled "other".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { labelVariants } from "./variants.ts";
 * const row = (consensus: string, seed: string) => ({ base: "dirac", consensus, seed });
 * const rows = labelVariants([row("0", "1"), row("10", "1")], [{ consensus: 0 }, { consensus: 10 }]);
 * assertEquals(rows.map((r) => r.variant), ["consensus=0", "consensus=10"]);
 * ```
 */
export function labelVariants(
  rows: readonly RunRow[],
  variants: readonly RecordedVariant[] | undefined,
  recorded?: Pick<Preset, "factors" | "iterations">,
): RunRow[] {
  const base = rows[0]?.base as PresetName | undefined;
  if (!variants?.length || !base || !(base in PRESETS)) return [...rows];
  const setBy = [...new Set(variants.flatMap((variant) => Object.keys(variant)))]
    .filter((name) => vocabulary(name));
  const keys = setBy.map((name) => vocabulary(name)!.key);
  const described = variants.map((variant) => {
    const columns = factorColumns(
      resolveConfig(base, variant as Parameters<typeof resolveConfig>[1]),
    );
    const levels = setBy.map((name, i) =>
      name in variant
        ? SUMMARY_FACTORS[keys[i]]({ ...columns, base })
        : baseLevelOf(rows, keys[i], recorded)
    );
    const label = setBy.filter((name) => name in variant)
      .map((name) => `${name}=${SUMMARY_FACTORS[vocabulary(name)!.key]({ ...columns, base })}`)
      .join("; ");
    return { levels: JSON.stringify(levels), label: label || "the preset" };
  });
  return rows.map((row) => {
    const levels = JSON.stringify(keys.map((key) => SUMMARY_FACTORS[key](row)));
    const index = described.findIndex((variant) => variant.levels === levels);
    return {
      ...row,
      [VARIANT]: index < 0 ? "other" : described[index].label,
      variant_order: String(index < 0 ? described.length : index),
    };
  });
}

/**
 * The factors a comparison or an ablation table should show: every swept
 * factor, except that where runs carry variants, the factors the variants
 * set are shown through the variant instead (they are functions of it).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { comparedFactors } from "./variants.ts";
 * const rows = [
 *   { base: "dirac", loss: "bce", consensus: "0", variant: "consensus=0" },
 *   { base: "dirac", loss: "bce", consensus: "10", variant: "consensus=10" },
 *   { base: "dirac", loss: "wasserstein", consensus: "0", variant: "consensus=0" },
 *   { base: "dirac", loss: "wasserstein", consensus: "10", variant: "consensus=10" },
 * ];
 * assertEquals(comparedFactors(rows, ["loss", "consensus"]), ["loss", "variant"]);
 * ```
 */
export function comparedFactors(rows: readonly RunRow[], swept: readonly string[]): string[] {
  if (new Set(rows.map((row) => row[VARIANT])).size < 2) return [...swept];
  return [...swept.filter((factor) => !determinedBy(rows, VARIANT, factor)), VARIANT];
}

/**
 * Whether `factor`'s level is a function of `by`'s level among `rows` (and
 * `factor` takes more than one level).
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { determinedBy } from "./variants.ts";
 * const rows = [{ variant: "a", penalty: "none" }, { variant: "b", penalty: "r1(1)" }];
 * assert(determinedBy(rows, "variant", "penalty"));
 * ```
 */
export function determinedBy(rows: readonly RunRow[], by: string, factor: string): boolean {
  const read = (row: RunRow, name: string) =>
    SUMMARY_FACTORS[name] ? SUMMARY_FACTORS[name](row) : row[name];
  const levels = new Map<string, string>();
  for (const row of rows) {
    const [key, level] = [read(row, by), read(row, factor)];
    if (levels.has(key) && levels.get(key) !== level) return false;
    levels.set(key, level);
  }
  return new Set(levels.values()).size > 1;
}

/**
 * The variants a folder's experiment.json records (none where the
 * experiment has none, as older manifests do).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { recordedVariants } from "./variants.ts";
 * assertEquals(recordedVariants({ experiment: { variants: [{ consensus: 1 }] } }), [{ consensus: 1 }]);
 * assertEquals(recordedVariants({}), []);
 * ```
 */
export function recordedVariants(manifest: Record<string, unknown>): RecordedVariant[] {
  const variants = (manifest.experiment as { variants?: unknown } | undefined)?.variants;
  return Array.isArray(variants) ? variants as RecordedVariant[] : [];
}
