/**
 * How a mixture of Gaussians is judged in the GAN literature (Srivastava et
 * al. 2017, VEEGAN; Lin et al. 2018, PacGAN): a sample is *high quality*
 * when it lies within 3σ of its nearest mode; a mode is *captured* when it
 * is the nearest mode of at least one high-quality sample; and the
 * histogram of the high-quality samples over the modes is compared with the
 * uniform one.
 *
 * @module
 */

/** What a set of samples says about a mixture. */
export interface ModeMetrics {
  /** How many samples were judged. */
  readonly samples: number;
  /** Modes that are the nearest mode of at least one high-quality sample. */
  readonly modesCaptured: number;
  /** The share of samples within 3σ of their nearest mode. */
  readonly highQualityShare: number;
  /**
   * Jensen–Shannon divergence (nats, at most ln 2) between the high-quality
   * samples' mode histogram and the uniform one; NaN without a
   * high-quality sample.
   */
  readonly jsToUniform: number;
  /** KL(histogram ‖ uniform) in nats (finite with missing modes; at most ln K); NaN without a high-quality sample. */
  readonly klToUniform: number;
  /** High-quality samples per mode. */
  readonly histogram: readonly number[];
}

/**
 * The mode metrics of `samples` (`n × width`, one after another) for a
 * mixture with these means and σ.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { modeMetrics } from "./modes.ts";
 * const means = [[1, 0], [-1, 0]];
 * const metrics = modeMetrics(Float32Array.of(1, 0, 1.01, 0, 0, 0), 2, means, 0.01);
 * assertEquals([metrics.modesCaptured, metrics.highQualityShare], [1, 2 / 3]);
 * assertEquals(metrics.histogram, [2, 0]);
 * ```
 */
export function modeMetrics(
  samples: ArrayLike<number>,
  width: number,
  means: readonly (readonly number[])[],
  sigma: number,
): ModeMetrics {
  const count = Math.floor(samples.length / width);
  const histogram = means.map(() => 0);
  const limit = (3 * sigma) ** 2;
  let highQuality = 0;
  for (let s = 0; s < count; s++) {
    let nearest = -1;
    let best = Infinity;
    means.forEach((mean, m) => {
      let squares = 0;
      for (let i = 0; i < width; i++) squares += (samples[s * width + i] - mean[i]) ** 2;
      if (squares < best) [best, nearest] = [squares, m];
    });
    // A NaN sample has no nearest mode and is never high quality.
    if (nearest >= 0 && best <= limit) {
      highQuality++;
      histogram[nearest]++;
    }
  }
  const k = means.length;
  const p = histogram.map((h) => h / highQuality);
  const term = (a: number, b: number) => (a > 0 ? a * Math.log(a / b) : 0);
  const js = p.reduce((sum, pi) => {
    const mid = (pi + 1 / k) / 2;
    return sum + 0.5 * term(pi, mid) + 0.5 * term(1 / k, mid);
  }, 0);
  const kl = p.reduce((sum, pi) => sum + term(pi, 1 / k), 0);
  return {
    samples: count,
    modesCaptured: histogram.filter((h) => h > 0).length,
    highQualityShare: count ? highQuality / count : NaN,
    jsToUniform: highQuality ? js : NaN,
    klToUniform: highQuality ? kl : NaN,
    histogram,
  };
}

/**
 * The ring of the GAN literature: `count` modes evenly on a circle.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { ringMeans } from "./modes.ts";
 * assertAlmostEquals(ringMeans(8, 1)[2][1], 1);
 * ```
 */
export function ringMeans(count: number, radius: number): number[][] {
  return Array.from({ length: count }, (_, i) => {
    const angle = (2 * Math.PI * i) / count;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

/**
 * The grid of the GAN literature: a mode at every pair of `levels`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { gridMeans } from "./modes.ts";
 * assertEquals(gridMeans([-2, 2]), [[-2, -2], [-2, 2], [2, -2], [2, 2]]);
 * ```
 */
export function gridMeans(levels: readonly number[]): number[][] {
  return levels.flatMap((x) => levels.map((y) => [x, y]));
}
