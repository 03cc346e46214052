/**
 * The tables of losses, optimisers, penalties, normalisations and initialisations in
 * `docs/experiments.md`, generated from the registries (so that they are
 * never listed by hand), and the markers that hold them there.
 *
 * @module
 */
import { NORMALISATION_KINDS, type NormalisationKind } from "./normalisations/mod.ts";
import { LOSS_KINDS } from "./losses/mod.ts";
import { OPTIMISER_KINDS } from "./optimisers/mod.ts";
import type { OptimiserOption } from "./optimisers/kind.ts";
import { PENALTY_KINDS } from "./penalties/mod.ts";
import { markdownTable } from "../core/table.ts";
import { INITIALISATION_KINDS } from "../nn/initialisations/mod.ts";

/** Each generated table by name. */
export const REGISTRY_TABLES: Record<string, () => string> = {
  losses: () =>
    markdownTable(
      ["`loss`", "D's head", "what it is", "equilibrium (the checks)", "tolerances", "from"],
      Object.entries(LOSS_KINDS).map(([name, kind]) => [
        `\`"${name}"\``,
        kind.head === "sigmoid" ? "sigmoid" : "raw score",
        kind.description,
        kind.checks.equilibrium,
        `loss ${kind.thresholds.lossTolerance}, D(G(z)) ${kind.thresholds.dFakeTolerance}, ` +
        `sd ${kind.thresholds.stabilityLimit}`,
        kind.reference,
      ]),
    ),
  optimisers: () =>
    markdownTable(
      ["`optimiser`", "options (defaults: PyTorch's; TensorFlow's for `rmsprop_tf`)", "what it is"],
      Object.entries(OPTIMISER_KINDS).map(([name, kind]) => [
        `\`"${name}"\``,
        Object.entries(kind.options as Record<string, OptimiserOption>)
          .map(([option, spec]) => `\`${option}\` ${spec.default} (${spec.allowed})`).join(", "),
        kind.description,
      ]),
    ),
  penalties: () =>
    markdownTable(
      ["`penalty`", "what it is", "from"],
      [
        ['`"none"`', "no penalty or constraint (the default)", ""],
        ...Object.values(PENALTY_KINDS).map((kind) => [
          `\`{ ${kind.key}: … }\` (${kind.allowed})`,
          kind.description,
          kind.reference,
        ]),
      ],
    ),
  normalisations: () =>
    markdownTable(
      ["`normalisation`", "what it is", "networks", "from"],
      Object.entries(NORMALISATION_KINDS).map(([name, kind]: [string, NormalisationKind]) => [
        `\`"${name}"\``,
        kind.description,
        kind.networks.g === true ? "d and g" : "d only",
        kind.reference,
      ]),
    ),
  initialisations: () =>
    markdownTable(
      ["`init`", "what it is", "from"],
      [
        [
          '`"default"`',
          "PyTorch's nn.Linear default: kernel and bias U(−1/√in, 1/√in) (the default)",
          "torch.nn.Linear.reset_parameters",
        ],
        ...Object.entries(INITIALISATION_KINDS).map(([name, kind]) => [
          `\`"${name}"\` or \`{ name: "${name}", gain }\``,
          `${kind.description}; biases zero`,
          kind.reference,
        ]),
      ],
    ),
};

/**
 * `text` with every generated block (between `<!-- generated: NAME -->` and
 * `<!-- end generated -->`) replaced by the table the registries give now.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { withRegistryTables } from "./docs.ts";
 * const text = withRegistryTables("<!-- generated: penalties -->\nold\n<!-- end generated -->");
 * assertStringIncludes(text, "gradientPenalty");
 * ```
 */
export function withRegistryTables(text: string): string {
  return text.replace(
    /<!-- generated: (\w+) -->\n[\s\S]*?<!-- end generated -->/g,
    (_whole, name: string) => {
      const table = REGISTRY_TABLES[name];
      if (!table) throw new Error(`docs: no generated table called "${name}"`);
      return `<!-- generated: ${name} -->\n${table()}\n<!-- end generated -->`;
    },
  );
}

/** A table's text with its layout (padding, rule widths, blank lines) folded away. */
function folded(text: string): string {
  return text.split("\n").map((line) => line.replace(/\s*\|\s*/g, "|").replace(/-{3,}/g, "---"))
    .filter((line) => line.trim() !== "").join("\n");
}

/**
 * Whether the generated blocks of `text` hold what the registries give now
 * (layout aside, so that `deno fmt`'s padding does not count).
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { registryTablesUpToDate, withRegistryTables } from "./docs.ts";
 * const text = withRegistryTables("<!-- generated: losses -->\n<!-- end generated -->");
 * assert(registryTablesUpToDate(text));
 * assert(!registryTablesUpToDate("<!-- generated: losses -->\nold\n<!-- end generated -->"));
 * ```
 */
export function registryTablesUpToDate(text: string): boolean {
  return folded(withRegistryTables(text)) === folded(text);
}

/**
 * The generated tables whose markers `text` lacks (none when every table of
 * {@link REGISTRY_TABLES} has its place).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { missingRegistryTables } from "./docs.ts";
 * const text = "<!-- generated: losses -->\n<!-- end generated -->";
 * assertEquals(missingRegistryTables(text), [
 *   "optimisers",
 *   "penalties",
 *   "normalisations",
 *   "initialisations",
 * ]);
 * ```
 */
export function missingRegistryTables(text: string): string[] {
  return Object.keys(REGISTRY_TABLES).filter((name) =>
    !text.includes(`<!-- generated: ${name} -->`)
  );
}
