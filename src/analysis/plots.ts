/**
 * Vega-Lite specifications of the report's plots, and their rendering to
 * SVG headless (vega's `none` renderer).
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { LevelCurvePoint } from "./level_curves.ts";

/**
 * Vega-Lite's warnings, less one that faceted plots with an independent y
 * scale per facet (the ablation's) always raise and that a reader of the
 * report cannot act on.
 */
const LOGGER = (() => {
  const logger = vega.logger(vega.Warn);
  const warn = logger.warn.bind(logger);
  logger.warn = (...args: readonly unknown[]) => {
    if (!String(args[0]).startsWith("Detected faceted independent scales")) warn(...args);
    return logger;
  };
  return logger;
})();

/**
 * Renders a Vega-Lite specification to an SVG document, its path
 * coordinates to 2 decimals (a hundredth of a pixel; the files stay small
 * enough to commit).
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
  const view = new vega.View(vega.parse(compile(spec, { logger: LOGGER }).spec), {
    renderer: "none",
  });
  try {
    return shortPaths(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * An SVG with every number of its paths' `d` attributes rounded to 2
 * decimals.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { shortPaths } from "./plots.ts";
 * assertEquals(shortPaths('<path d="M0,26.666666666666668h40" x="1.23456"/>'), '<path d="M0,26.67h40" x="1.23456"/>');
 * ```
 */
export function shortPaths(svg: string): string {
  return svg.replace(
    / d="([^"]*)"/g,
    (_, d: string) => ` d="${d.replace(/-?\d+\.\d{3,}/g, (n) => String(+Number(n).toFixed(2)))}"`,
  );
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
 * percentile, and each seed's own curve in `runs` as a thin line), D's two
 * terms and G's in panels of their own, each on its own scale (symlog, so
 * that a D that wins, with G's loss at 27, does not flatten the rest), with
 * the loss's equilibrium line in each panel where it has one.
 *
 * @example
 * ```ts
 * import { lossCurvesSpec, renderSvg } from "./plots.ts";
 * const svg = await renderSvg(lossCurvesSpec("t", [
 *   { iteration: 10, series: "g_loss", median: 0.7, low: 0.6, high: 0.8 },
 * ], { discriminator: Math.LN2, generator: Math.LN2 }, [
 *   { level: "", series: "g_loss", run: "a", seed: "1", iteration: 10, value: 0.6 },
 * ]));
 * ```
 */
export function lossCurvesSpec(
  title: string,
  points: readonly CurvePoint[],
  targets: { readonly discriminator?: number; readonly generator?: number },
  runs: readonly LevelCurvePoint[] = [],
): TopLevelSpec {
  const network = (series: string) => (series === "g_loss" ? "G's loss" : "D's losses");
  const values = points.map((p) => ({ ...p, network: network(p.series) }));
  const runValues = runs.map(({ series, run, seed, iteration, value }) => ({
    network: network(series),
    run_series: series,
    run,
    seed,
    iteration,
    value,
  }));
  const lines = [
    ["D's losses", targets.discriminator],
    ["G's loss", targets.generator],
  ].filter(([, target]) => target !== undefined).map(([panel, target]) => ({
    network: panel,
    target,
    label: `equilibrium ${+(target as number).toFixed(4)}`,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle: "median across seeds; band: 25th–75th percentile" +
        (runs.length ? "; thin lines: each seed" : ""),
    },
    facet: { row: { field: "network", type: "nominal", title: null, sort: ["D's losses"] } },
    resolve: { scale: { y: "independent" } },
    data: { values: [...values, ...runValues, ...lines] as unknown as Record<string, unknown>[] },
    spec: {
      width: 560,
      height: 150,
      layer: [
        {
          transform: [{ filter: "isValid(datum.series)" }],
          mark: { type: "area", opacity: 0.15 },
          encoding: {
            x: { field: "iteration", type: "quantitative", title: "iteration" },
            y: {
              field: "low",
              type: "quantitative",
              title: "loss",
              scale: { type: "symlog", nice: false },
            },
            y2: { field: "high" },
            color: { field: "series", type: "nominal", title: "loss" },
          },
        },
        {
          transform: [{ filter: "isValid(datum.run_series)" }],
          mark: { type: "line", strokeWidth: 0.7, opacity: 0.45, aria: false },
          encoding: {
            x: { field: "iteration", type: "quantitative" },
            y: { field: "value", type: "quantitative" },
            color: { field: "run_series", type: "nominal", title: "loss" },
            detail: { field: "run", type: "nominal" },
            tooltip: [
              { field: "run_series", title: "loss" },
              { field: "seed" },
              {
                field: "run",
              },
              { field: "iteration" },
              { field: "value", format: ".4~g" },
            ],
          },
        },
        {
          transform: [{ filter: "isValid(datum.series)" }],
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: { field: "iteration", type: "quantitative" },
            y: { field: "median", type: "quantitative" },
            color: { field: "series", type: "nominal", title: "loss" },
          },
        },
        {
          transform: [{ filter: "isValid(datum.target)" }],
          mark: { type: "rule", strokeDash: [6, 4], color: "black" },
          encoding: { y: { field: "target", type: "quantitative" } },
        },
      ],
    },
  } as TopLevelSpec;
}

/** One level's rate of one measure (e.g. "learned the pattern") with its interval. */
export interface AblationPoint {
  readonly factor: string;
  readonly level: string;
  readonly measure: string;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The ablation: per factor level, the rate of each measure with its 95%
 * Wilson interval, the measures side by side in their own colours.
 *
 * @example
 * ```ts
 * import { ablationSpec, renderSvg } from "./plots.ts";
 * const svg = await renderSvg(ablationSpec("t", [
 *   { factor: "loss", level: "bce", measure: "learned", rate: 0.5, low: 0.2, high: 0.8 },
 * ]));
 * ```
 */
export function ablationSpec(title: string, points: readonly AblationPoint[]): TopLevelSpec {
  const order = [...new Set(points.map((p) => p.measure))];
  const measure = {
    field: "measure",
    type: "nominal",
    title: "share of runs that",
    sort: order,
    legend: { labelLimit: 300 },
  } as const;
  const offset = { field: "measure", type: "nominal", sort: order } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: { row: { field: "factor", type: "nominal", title: "factor" } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 420,
      encoding: {
        y: { field: "level", type: "nominal", title: "level" },
        yOffset: offset,
        color: measure,
      },
      layer: [
        {
          mark: { type: "rule" },
          encoding: {
            x: {
              field: "low",
              type: "quantitative",
              title: "share of runs (95% Wilson interval)",
              scale: { domain: [0, 1] },
            },
            x2: { field: "high" },
          },
        },
        {
          mark: { type: "point", filled: true, size: 60 },
          encoding: { x: { field: "rate", type: "quantitative" } },
        },
      ],
    },
  } as TopLevelSpec;
}

/** Verdicts coloured worst (red) to best (green), in the same colours on every plot. */
function verdictColour(order: readonly string[], title: string) {
  return {
    field: "verdict",
    type: "nominal",
    title,
    scale: { scheme: "redyellowgreen", domain: [...order] },
    legend: { labelLimit: 300 },
  } as const;
}

/** One level's share of one verdict. */
export interface VerdictShare {
  readonly factor: string;
  readonly level: string;
  readonly verdict: string;
  readonly share: number;
  readonly count: number;
}

/**
 * Each factor level's runs split by verdict, as a stacked bar per level
 * (worst verdict on the left, best on the right), one panel per factor: at
 * a glance, where a level moves runs.
 *
 * @example
 * ```ts
 * import { renderSvg, verdictSharesSpec } from "./plots.ts";
 * const svg = await renderSvg(verdictSharesSpec("t", [
 *   { factor: "loss", level: "bce", verdict: "converged", share: 1, count: 4 },
 * ], ["converged"]));
 * ```
 */
export function verdictSharesSpec(
  title: string,
  shares: readonly VerdictShare[],
  order: readonly string[],
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: shares as unknown as Record<string, unknown>[] },
    transform: [{ calculate: `indexof(${JSON.stringify(order)}, datum.verdict)`, as: "rank" }],
    facet: { row: { field: "factor", type: "nominal", title: "factor" } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 420,
      mark: { type: "bar" },
      encoding: {
        y: { field: "level", type: "nominal", title: "level" },
        x: {
          field: "share",
          type: "quantitative",
          stack: "zero",
          title: "share of the level's runs",
          scale: { domain: [0, 1] },
          axis: { format: "%" },
        },
        color: { ...verdictColour(order, "verdict"), sort: [...order] },
        order: { field: "rank", type: "quantitative" },
        tooltip: [{ field: "verdict" }, { field: "count" }, { field: "share", format: ".0%" }],
      },
    },
  } as TopLevelSpec;
}

/** One configuration of a search on the map. */
export interface SearchPoint {
  readonly lrD: number;
  readonly lrG: number;
  readonly loss: string;
  /** Its most common verdict over seeds. */
  readonly verdict: string;
  /** The share of its seeds that learned the pattern. */
  readonly learned: number;
  readonly label: string;
}

/**
 * The map of a search: each configuration at its D and G learning rates
 * (log axes), coloured by its most common verdict, ringed larger the more
 * of its seeds learned the pattern; one panel per loss.
 *
 * @example
 * ```ts
 * import { renderSvg, searchMapSpec } from "./plots.ts";
 * const svg = await renderSvg(searchMapSpec("t", [
 *   { lrD: 1e-3, lrG: 1e-2, loss: "bce", verdict: "converged", learned: 1, label: "a" },
 * ], ["converged"]));
 * ```
 */
export function searchMapSpec(
  title: string,
  points: readonly SearchPoint[],
  order: readonly string[],
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle:
        "each point a sampled configuration; size: share of its seeds that learned the pattern",
    },
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: { column: { field: "loss", type: "nominal", title: "loss" } },
    spec: {
      width: 240,
      height: 240,
      mark: { type: "point", filled: true, opacity: 0.8 },
      encoding: {
        x: {
          field: "lrD",
          type: "quantitative",
          title: "D's learning rate",
          scale: { type: "log" },
        },
        y: {
          field: "lrG",
          type: "quantitative",
          title: "G's learning rate",
          scale: { type: "log" },
        },
        color: verdictColour(order, "most common verdict"),
        size: {
          field: "learned",
          type: "quantitative",
          title: "learned the pattern",
          scale: { domain: [0, 1], range: [30, 300] },
        },
        tooltip: [{ field: "label" }, { field: "verdict" }, { field: "learned", format: ".0%" }],
      },
    },
  } as TopLevelSpec;
}

/**
 * The budget curve: the expected best rate over seeds when k of the
 * sampled configurations are tried (Lucic et al. 2018).
 *
 * @example
 * ```ts
 * import { budgetCurveSpec, renderSvg } from "./plots.ts";
 * const svg = await renderSvg(budgetCurveSpec("t", [
 *   { samples: 1, measure: "learned the pattern", rate: 0 },
 * ]));
 * ```
 */
export function budgetCurveSpec(
  title: string,
  points: readonly { samples: number; measure: string; rate: number }[],
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      subtitle: "expected best rate over seeds when k configurations are tried",
    },
    width: 480,
    height: 220,
    data: { values: points as unknown as Record<string, unknown>[] },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "samples", type: "quantitative", title: "configurations tried (k)" },
      y: {
        field: "rate",
        type: "quantitative",
        title: "expected best rate",
        scale: { domain: [0, 1] },
        axis: { format: "%" },
      },
      color: {
        field: "measure",
        type: "nominal",
        title: "share of seeds that",
        legend: { labelLimit: 300 },
      },
    },
  } as TopLevelSpec;
}
