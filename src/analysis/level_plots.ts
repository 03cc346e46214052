/**
 * The plot of a factor's levels on one axis: D's two loss terms and G's loss
 * over the iterations, one colour per level, each level's median across its
 * runs as a thick line over each run's own thin, translucent line, and the
 * check window shaded.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { CheckWindow, LevelCurvePoint } from "./level_curves.ts";

/** The panels' titles, per loss series. */
const PANELS: Readonly<Record<string, string>> = {
  d_loss_real: "D's loss on real data",
  d_loss_fake: "D's loss on G's output",
  g_loss: "G's loss",
};

/**
 * One panel per loss (rows, each on its own symlog scale), the levels of
 * `factor` in `levels`' order and colours; the check windows shaded grey in
 * every panel.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { levelCurvesSpec } from "./level_plots.ts";
 * import { renderSvg } from "./plots.ts";
 * const svg = await renderSvg(levelCurvesSpec("t", "loss", ["bce"], [
 *   { level: "bce", series: "g_loss", run: "median", iteration: 10, value: 0.7 },
 *   { level: "bce", series: "g_loss", run: "median", iteration: 20, value: 0.69 },
 * ], [{ from: 18, to: 20, share: 0.1 }]));
 * assertStringIncludes(svg, "G's loss");
 * ```
 */
export function levelCurvesSpec(
  title: string,
  factor: string,
  levels: readonly string[],
  points: readonly LevelCurvePoint[],
  windows: readonly CheckWindow[],
): TopLevelSpec {
  const series = Object.keys(PANELS).filter((s) => points.some((p) => p.series === s));
  const values = [
    ...points.map((p) => ({ ...p, panel: PANELS[p.series] ?? p.series })),
    // Each window once in every panel.
    ...series.flatMap((s) =>
      windows.map((w) => ({
        panel: PANELS[s],
        window_from: w.from,
        window_to: w.to,
        window: `check window: the last ${+(100 * w.share).toFixed(1)}% of iterations`,
      }))
    ),
  ];
  const shares = [...new Set(windows.map((w) => `${+(100 * w.share).toFixed(1)}%`))];
  const colour = {
    field: "level",
    type: "nominal",
    title: factor,
    sort: [...levels],
    legend: { labelLimit: 0, symbolOpacity: 1, symbolStrokeWidth: 2.2 },
  } as const;
  const x = { field: "iteration", type: "quantitative", title: "iteration" } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle: "thick: the median across the level's runs; thin: each run (seed)" +
        (shares.length ? `; shaded: the check window (the last ${shares.join(", ")})` : ""),
    },
    data: { values: values as unknown as Record<string, unknown>[] },
    facet: {
      row: {
        field: "panel",
        type: "nominal",
        title: null,
        sort: series.map((s) => PANELS[s]),
      },
    },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 560,
      height: 150,
      layer: [
        {
          transform: [{ filter: "isValid(datum.window_from)" }],
          mark: { type: "rect", color: "#888", opacity: 0.15 },
          encoding: {
            x: { field: "window_from", type: "quantitative" },
            x2: { field: "window_to" },
            tooltip: [{ field: "window" }],
          },
        },
        {
          transform: [{ filter: "isValid(datum.series) && datum.run !== 'median'" }],
          mark: { type: "line", strokeWidth: 0.7, opacity: 0.3, aria: false },
          encoding: {
            x,
            y: {
              field: "value",
              type: "quantitative",
              title: "loss",
              scale: { type: "symlog", nice: false },
            },
            color: colour,
            detail: { field: "run", type: "nominal" },
            tooltip: [{ field: "level" }, { field: "seed" }, { field: "run" }, x, {
              field: "value",
              format: ".4~g",
            }],
          },
        },
        {
          transform: [{ filter: "isValid(datum.series) && datum.run === 'median'" }],
          mark: { type: "line", strokeWidth: 2.2 },
          encoding: {
            x,
            y: { field: "value", type: "quantitative" },
            color: colour,
            tooltip: [{ field: "level" }, x, {
              field: "value",
              title: "median",
              format: ".4~g",
            }],
          },
        },
      ],
    },
  } as TopLevelSpec;
}
