/**
 * The heatmap of G's output as training goes on (iteration × output
 * position), on a colour scale that shows values outside 0–1 as such, with
 * the target pattern in a column of its own beside it.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";

/** One cell of the generator-output heatmap. */
export interface PatternCell {
  readonly iteration: number;
  readonly position: number;
  readonly value: number;
}

/** Viridis over 0–1, the pattern's range, at five stops. */
const INSIDE = [
  [0, "#440154"],
  [0.25, "#3b528b"],
  [0.5, "#21918c"],
  [0.75, "#5ec962"],
  [1, "#fde725"],
] as const;

/** The ramps beyond 0–1: from the end's colour out to far below 0 (blues) or above 1 (reds). */
const BELOW = ["#440154", "#2171b5", "#6baed6", "#c6dbef"] as const;
const ABOVE = ["#fde725", "#fd8d3c", "#d7301f", "#67000d"] as const;

/** How far past the end of 0–1 a ramp reaches its last colour. */
const FAR = 100;

/** The stops beyond 0–1, as distances past the end: 1-2-5 steps up to the data's extreme. */
const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** A colour `t` (0–1) of the way along a ramp of hex colours, mixed in RGB. */
function along(ramp: readonly string[], t: number): string {
  const at = Math.min(1, Math.max(0, t)) * (ramp.length - 1);
  const k = Math.min(ramp.length - 2, Math.floor(at));
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [from, to] = [rgb(ramp[k]), rgb(ramp[k + 1])];
  return "#" +
    from.map((c, i) => Math.round(c + (to[i] - c) * (at - k)).toString(16).padStart(2, "0")).join(
      "",
    );
}

/**
 * The colour scale of the heatmap: viridis over 0–1; beyond, out to the
 * data's own extremes, blues below 0 and reds above 1, darkening with the
 * logarithm of the distance past the end (the same colour means the same
 * value in every heatmap: a distance of 100 or more is the ramp's last
 * colour); never clamped. The legend lists the extremes, 0, ½ and 1.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { patternColourScale } from "./pattern_plot.ts";
 * const { domain, legendValues } = patternColourScale([0.1, 5.2, -0.3]);
 * assertEquals([domain[0], domain.at(-1)], [-0.3, 5.2]);
 * assertEquals(legendValues, [-0.3, 0, 0.5, 1, 5.2]);
 * assertEquals(patternColourScale([0.2, 0.8]).domain, [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function patternColourScale(values: readonly number[]): {
  domain: number[];
  range: string[];
  legendValues: number[];
} {
  const finite = values.filter(Number.isFinite);
  const low = Math.min(0, ...finite);
  const high = Math.max(1, ...finite);
  const shade = (ramp: readonly string[], distance: number) =>
    along(ramp, Math.log10(1 + distance) / Math.log10(1 + FAR));
  const past = (extreme: number) => [...STEPS.filter((d) => d < extreme), extreme];
  const below = low < 0 ? past(-low).reverse() : [];
  const above = high > 1 ? past(high - 1) : [];
  return {
    domain: [...below.map((d) => -d), ...INSIDE.map(([at]) => at), ...above.map((d) => 1 + d)],
    range: [
      ...below.map((d) => shade(BELOW, d)),
      ...INSIDE.map(([, colour]) => colour),
      ...above.map((d) => shade(ABOVE, d)),
    ],
    legendValues: [...(low < 0 ? [low] : []), 0, 0.5, 1, ...(high > 1 ? [high] : [])],
  };
}

/**
 * G's output as training goes on: iteration × output position, coloured by
 * value on {@link patternColourScale}; with a `target` (what a perfect G
 * emits, one value per position), the target as a column of its own on the
 * left, on the same scale.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { patternHeatmapSpec } from "./pattern_plot.ts";
 * import { renderSvg } from "./plots.ts";
 * const svg = await renderSvg(patternHeatmapSpec("t", [
 *   { iteration: 100, position: 0, value: 5.2 },
 *   { iteration: 100, position: 1, value: 0.1 },
 * ], [0.9, 0.1]));
 * assertStringIncludes(svg, ">5.2<"); // the legend names the extreme
 * assertStringIncludes(svg, ">target<");
 * ```
 */
export function patternHeatmapSpec(
  title: string,
  cells: readonly PatternCell[],
  target?: readonly number[],
): TopLevelSpec {
  const { domain, range, legendValues } = patternColourScale(cells.map((cell) => cell.value));
  const color = {
    field: "value",
    type: "quantitative",
    title: "G output",
    scale: { type: "linear", domain, range, clamp: false, nice: false, zero: false },
    legend: {
      type: "symbol",
      values: legendValues,
      format: ".3~g",
      symbolType: "square",
      symbolSize: 150,
      symbolStrokeWidth: 0,
      titleLimit: 300,
    },
  } as const;
  const output = {
    width: 560,
    height: 160,
    data: { values: cells as unknown as Record<string, unknown>[] },
    mark: { type: "rect", aria: false },
    encoding: {
      x: { field: "iteration", type: "ordinal", title: "iteration", axis: { labelOverlap: true } },
      y: {
        field: "position",
        type: "ordinal",
        title: "output position (0-based)",
        ...(target ? { axis: null } : {}),
      },
      color,
      tooltip: [{ field: "iteration" }, { field: "position" }, {
        field: "value",
        format: ".4~g",
      }],
    },
  };
  const outside = "viridis over 0–1; below 0 blues, above 1 reds, darker the further " +
    "out; the legend names the extremes";
  if (!target) {
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: { text: title, subtitle: outside },
      ...output,
    } as TopLevelSpec;
  }
  const targetCells = target.map((value, position) => ({ column: "target", position, value }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: `left: the target pattern; ${outside}` },
    hconcat: [
      {
        width: 40,
        height: 160,
        data: { values: targetCells },
        mark: { type: "rect", aria: false },
        encoding: {
          x: { field: "column", type: "nominal", title: "target", axis: { labelAngle: 0 } },
          y: { field: "position", type: "ordinal", title: "output position (0-based)" },
          color,
          tooltip: [{ field: "position" }, { field: "value", title: "target", format: ".4~g" }],
        },
      },
      output,
    ],
    spacing: 6,
  } as TopLevelSpec;
}
