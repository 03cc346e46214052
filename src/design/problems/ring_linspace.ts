/**
 * The ring as the Unrolled GAN notebook and GDPP's script build it: 8 means at the angles
 * `np.linspace(0, 2π, 8)`, `(sin θ, cos θ)`, σ 0.01 (poolio/unrolled_gan `Unrolled GAN demo.ipynb`
 * `sample_mog`; M-Elfeki/GDPP `gdppgan_Synthetic.py` `sample_ring`, which copies it). `linspace`
 * includes both ends, so the first and last means are the same point (0, 1) but for the
 * −2.4·10⁻¹⁶ of sin 2π: the data has 7 distinct modes, (0, 1) with weight 2/8, the others 2π/7
 * apart. The judgement uses the same 8 means, as GDPP's evaluation does, so a sample at (0, 1) is
 * counted to the first or the last mode by the sign of its x, and a G that covers the 7 places can
 * be counted as capturing 8 modes: how GDPP's table can report 8.0 on this ring.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ringLinspace } from "./ring_linspace.ts";
 * const [first, last] = [ringLinspace.data.means[0], ringLinspace.data.means[7]];
 * assertEquals([first[1], last[1], first[0] === last[0]], [1, 1, false]);
 * ```
 *
 * @module
 */
import { mixtureProblem } from "./mixture.ts";

/**
 * `count` means at `linspace(0, 2π, count)` (both ends included), `(r·sin θ, r·cos θ)`, as the
 * Unrolled GAN notebook computes them.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { linspaceRingMeans } from "./ring_linspace.ts";
 * assertAlmostEquals(linspaceRingMeans(8, 1)[7][0], 0, 1e-15);
 * ```
 */
export function linspaceRingMeans(count: number, radius: number): number[][] {
  return Array.from({ length: count }, (_, i) => {
    // numpy's linspace: i·step with step = (stop − start)/(count − 1), the last exactly stop.
    const step = count === 1 ? 0 : (2 * Math.PI) / (count - 1);
    const angle = i === count - 1 && count > 1 ? 2 * Math.PI : i * step;
    return [radius * Math.sin(angle), radius * Math.cos(angle)];
  });
}

/** The ring of GDPP's script, with its repeated mode. */
export const ringLinspace = mixtureProblem({
  description: "the ring of GDPP's script: 8 means at linspace(0, 2π, 8), so 7 distinct " +
    "modes ((0, 1) twice), σ 0.01, judged against the same 8 means",
  reference: "Metz et al. 2017's notebook (poolio/unrolled_gan); Elfeki et al. 2019 (GDPP, " +
    "gdppgan_Synthetic.py)",
  means: linspaceRingMeans(8, 1),
  sigma: 0.01,
});
