/**
 * The ring: 8 Gaussians evenly on the unit circle, σ 0.01 (VEEGAN, PacGAN;
 * Mescheder et al. 2017 use a ring with their consensus optimisation).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ring } from "./ring.ts";
 * assertEquals([ring.data.means.length, ring.data.sigma], [8, 0.01]);
 * ```
 *
 * @module
 */
import { mixtureProblem } from "./mixture.ts";
import { ringMeans } from "./modes.ts";

/** The ring of 8. */
export const ring = mixtureProblem({
  description: "a ring of 8 Gaussians, radius 1, σ 0.01",
  reference: "Srivastava et al. 2017 (VEEGAN); Lin et al. 2018 (PacGAN); Mescheder et al. " +
    "2017 (The Numerics of GANs)",
  means: ringMeans(8, 1),
  sigma: 0.01,
});
