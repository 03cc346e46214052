import { defineExperiment } from "../mod.ts";
import { GDPP_LENGTH, GDPP_SWEEP } from "./gdpp_ring.ts";

/**
 * `gdpp_ring.ts`'s settings (M-Elfeki/GDPP `gdppgan_Synthetic.py`, read at 9933aff, without its
 * GDPP term) on the ring of 8 distinct modes, `2πk/8` (gansweep's `ring`), instead of the script's
 * `linspace(0, 2π, 8)` ring with a repeated mode: what the same GAN does where the ring is the one
 * the table's caption describes. No published block: the table's numbers are for the script's
 * ring. Budget: 2 seeds (about 12 min of one core per run on the 2-core machine).
 */
export default defineExperiment({
  name: "gdpp_ring8",
  description: "GDPP's plain GAN settings (2×128 tanh, z 256, orthogonal 1.4, Adam G 1e-3 / D " +
    "1e-4 β1 0.5, batch 512, 25,000 simultaneous steps) on the ring of 8 distinct modes; 2 seeds",
  base: "ring",
  sweep: GDPP_SWEEP,
  seeds: 2,
  ...GDPP_LENGTH,
});
