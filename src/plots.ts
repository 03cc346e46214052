/**
 * Vega-Lite specifications of the report's plots, and their rendering to
 * SVG headless (vega's `none` renderer).
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * Renders a Vega-Lite specification to an SVG document.
 *
 * @example
 * ```ts
 * import { renderSvg } from "./plots.ts";
 * const svg = await renderSvg({
 *   title: "t", data: { values: [{ x: 1, y: 1 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * });
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Gradient and clip ids count up across renders: reset them so that the
  // same plot always gives the same file.
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One point of a loss curve: a series' median across seeds and its band. */
export interface CurvePoint {
  readonly iteration: number;
  readonly series: string;
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Loss curves (median across seeds, band from the 25th to the 75th
 * percentile) with the equilibrium line, like the seed's loss figure.
 */
export function lossCurvesSpec(
  title: string,
  points: readonly CurvePoint[],
  target: number,
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 560,
    height: 260,
    layer: [
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        mark: { type: "area", opacity: 0.25 },
        encoding: {
          x: { field: "iteration", type: "quantitative", title: "iteration" },
          y: {
            field: "low",
            type: "quantitative",
            title: "loss (median across seeds; band: 25th–75th percentile)",
            scale: { type: "symlog" },
          },
          y2: { field: "high" },
          color: { field: "series", type: "nominal", title: "loss" },
        },
      },
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "iteration", type: "quantitative" },
          y: { field: "median", type: "quantitative" },
          color: { field: "series", type: "nominal", title: "loss" },
        },
      },
      {
        data: { values: [{ target, label: `equilibrium ${+target.toFixed(4)}` }] },
        mark: { type: "rule", strokeDash: [6, 4], color: "black" },
        encoding: { y: { field: "target", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}

/** One cell of the generator-output heatmap. */
export interface PatternCell {
  readonly iteration: number;
  readonly position: number;
  readonly value: number;
}

/**
 * G's output as training goes on: iteration × output position, coloured by
 * value (clamped to 0–1, the pattern's range; the subtitle says so).
 */
export function patternHeatmapSpec(title: string, cells: readonly PatternCell[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle: "colour clamped to 0–1: values outside show as the end colours",
    },
    width: 560,
    height: 160,
    data: { values: cells as unknown as Record<string, unknown>[] },
    mark: "rect",
    encoding: {
      x: { field: "iteration", type: "ordinal", title: "iteration", axis: { labelOverlap: true } },
      y: { field: "position", type: "ordinal", title: "output position (0-based)" },
      color: {
        field: "value",
        type: "quantitative",
        title: "G output",
        legend: { titleLimit: 300 },
        scale: { domain: [0, 1], clamp: true, scheme: "viridis" },
      },
    },
  } as TopLevelSpec;
}

/** One level's convergence rate with its interval. */
export interface AblationPoint {
  readonly factor: string;
  readonly level: string;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
  readonly role: "base level" | "other level";
}

/** The ablation: convergence rate per factor level with its 95% Wilson interval. */
export function ablationSpec(title: string, points: readonly AblationPoint[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: { row: { field: "factor", type: "nominal", title: "factor" } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 420,
      layer: [
        {
          mark: { type: "rule" },
          encoding: {
            y: { field: "level", type: "nominal", title: "level" },
            x: {
              field: "low",
              type: "quantitative",
              title: "converged (rate, 95% Wilson interval)",
              scale: { domain: [0, 1] },
            },
            x2: { field: "high" },
          },
        },
        {
          mark: { type: "point", filled: true, size: 60 },
          encoding: {
            y: { field: "level", type: "nominal" },
            x: { field: "rate", type: "quantitative" },
            color: { field: "role", type: "nominal", title: "level" },
          },
        },
      ],
    },
  } as TopLevelSpec;
}
