/**
 * The toy problems' plots: the Dirac-GAN's trajectories in the (θ, ψ)
 * plane (Mescheder et al. 2018's Figure 1), and a mixture's samples over
 * its modes (the figures of VEEGAN and PacGAN).
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";

/** One point of a trajectory. */
export interface TrajectoryPoint {
  readonly method: string;
  readonly scheme: string;
  readonly iteration: number;
  readonly theta: number;
  readonly psi: number;
}

/**
 * Trajectories in the (θ, ψ) plane: one panel per method (rows) and
 * scheme (columns), the start (1, 1) and the equilibrium (0, 0) marked;
 * the axes clipped to ±3 (a diverging run leaves the panel).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { trajectorySpec } from "./problem_plots.ts";
 * const spec = trajectorySpec("t", [{ method: "m", scheme: "s", iteration: 0, theta: 1, psi: 1 }]);
 * assertEquals((spec as { facet: { row: { field: string } } }).facet.row.field, "method");
 * ```
 */
export function trajectorySpec(
  title: string,
  points: readonly TrajectoryPoint[],
  order: { readonly methods?: readonly string[]; readonly schemes?: readonly string[] } = {},
): TopLevelSpec {
  const axis = (name: string) => ({
    type: "quantitative",
    title: name,
    scale: { domain: [-3, 3], clamp: false },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: "start (1, 1) as a cross, equilibrium (0, 0) as a dot" },
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: {
      row: {
        field: "method",
        type: "nominal",
        title: null,
        sort: order.methods,
        header: { labelAngle: 0, labelAlign: "left", labelLimit: 140 },
      },
      column: { field: "scheme", type: "nominal", title: null, sort: order.schemes },
    },
    spec: {
      width: 150,
      height: 150,
      layer: [
        {
          mark: { type: "line", clip: true, strokeWidth: 1 },
          encoding: {
            x: { field: "theta", ...axis("θ") },
            y: { field: "psi", ...axis("ψ") },
            order: { field: "iteration", type: "quantitative" },
          },
        },
        {
          data: { values: [{ theta: 0, psi: 0 }] },
          mark: { type: "point", filled: true, color: "black", size: 30 },
          encoding: { x: { field: "theta", ...axis("θ") }, y: { field: "psi", ...axis("ψ") } },
        },
        {
          data: { values: [{ theta: 1, psi: 1 }] },
          mark: { type: "point", shape: "cross", color: "firebrick", size: 40 },
          encoding: { x: { field: "theta", ...axis("θ") }, y: { field: "psi", ...axis("ψ") } },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}

/** One sample of G, or one mode, in a configuration's panel. */
export interface SamplePoint {
  readonly configuration: string;
  readonly x: number;
  readonly y: number;
}

/**
 * G's samples per configuration over the mixture's modes (red crosses), one
 * panel each, on the modes' extent plus a margin.
 *
 * @example
 * ```ts
 * import { samplesSpec } from "./problem_plots.ts";
 * samplesSpec("t", [{ configuration: "c", x: 0, y: 0 }], [[1, 0]], ["c"]);
 * ```
 */
export function samplesSpec(
  title: string,
  samples: readonly SamplePoint[],
  modes: readonly (readonly number[])[],
  configurations: readonly string[],
): TopLevelSpec {
  const extent = Math.max(...modes.flat().map(Math.abs)) * 1.5;
  const axis = (name: string) => ({
    type: "quantitative",
    title: name,
    scale: { domain: [-extent, extent] },
  });
  const modePoints = configurations.flatMap((configuration) =>
    modes.map(([x, y]) => ({ configuration, x, y }))
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: "G's samples (blue), the modes (red crosses)" },
    data: { values: [...samples, ...modePoints.map((p) => ({ ...p, mode: true }))] },
    facet: { field: "configuration", type: "nominal", title: null, columns: 3 },
    spec: {
      width: 180,
      height: 180,
      layer: [
        {
          transform: [{ filter: "!datum.mode" }],
          mark: { type: "circle", size: 6, opacity: 0.4, clip: true },
          encoding: { x: { field: "x", ...axis("x") }, y: { field: "y", ...axis("y") } },
        },
        {
          transform: [{ filter: "datum.mode" }],
          mark: { type: "point", shape: "cross", color: "firebrick", size: 30 },
          encoding: { x: { field: "x", ...axis("x") }, y: { field: "y", ...axis("y") } },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}
