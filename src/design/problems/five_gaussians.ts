/**
 * Five Gaussians on the unit circle, variance 0.002 (σ = √0.002 ≈ 0.0447): Sun, Fang & Schwing
 * 2020's toy problem, read from AilsaF/RS-GAN `datasets.py` (`np.linspace(0, 360, 6)[:-1]` degrees,
 * the point `(cos, sin)`, covariance `0.002·I`).
 *
 * @example
 * ```ts
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 * import { fiveGaussians } from "./five_gaussians.ts";
 * assertEquals(fiveGaussians.data.means.length, 5);
 * assertAlmostEquals(fiveGaussians.data.sigma ** 2, 0.002, 1e-12);
 * ```
 *
 * @module
 */
import { mixtureProblem } from "./mixture.ts";
import { ringMeans } from "./modes.ts";

/** The variance of each of the five modes in AilsaF/RS-GAN `datasets.py`. */
export const FIVE_GAUSSIANS_VARIANCE = 0.002;

/** The five Gaussians. */
export const fiveGaussians = mixtureProblem({
  description: "5 Gaussians evenly on the unit circle, variance 0.002 (σ ≈ 0.0447)",
  reference: "Sun, Fang & Schwing 2020 (Towards a better global loss landscape of GANs), " +
    "AilsaF/RS-GAN 5gaussian.py",
  means: ringMeans(5, 1),
  sigma: Math.sqrt(FIVE_GAUSSIANS_VARIANCE),
});
