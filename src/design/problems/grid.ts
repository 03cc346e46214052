/**
 * The grid: 25 Gaussians at {−4, −2, 0, 2, 4}², σ 0.05 (VEEGAN, PacGAN).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { grid } from "./grid.ts";
 * assertEquals([grid.data.means.length, grid.data.sigma], [25, 0.05]);
 * ```
 *
 * @module
 */
import { mixtureProblem } from "./mixture.ts";
import { gridMeans } from "./modes.ts";

/** The grid of 25. */
export const grid = mixtureProblem({
  description: "a grid of 25 Gaussians on {−4, −2, 0, 2, 4}², σ 0.05",
  reference: "Srivastava et al. 2017 (VEEGAN); Lin et al. 2018 (PacGAN)",
  means: gridMeans([-4, -2, 0, 2, 4]),
  sigma: 0.05,
});
