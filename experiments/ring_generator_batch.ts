import { defineExperiment } from "../mod.ts";
import { LAPTOP_LENGTH, LAPTOP_SWEEP } from "./ring.ts";

/**
 * `ring.ts`'s laptop budget (non-saturating BCE, Adam 1e-3, alternating updates, batch 64, 5,000
 * iterations) for the plain GAN and consensus γ 1, with G's step drawing its own z (`"new"`,
 * gansweep's default: these runs are `ring.ts`'s own, with its run ids) or taking the critic
 * step's z and G(z) (`"reuse"`, as the Unrolled GAN notebook and GDPP's script do): whether the
 * ranking of the two methods at this budget depends on which batch G's step takes.
 */
export default defineExperiment({
  name: "ring_generator_batch",
  description: "the ring at ring.ts's laptop budget (Adam 1e-3, alternating, batch 64, 5,000 " +
    "iterations): the plain GAN and consensus γ 1 with G's step on a new z or on the critic " +
    "step's; 16 seeds",
  base: "ring",
  sweep: { ...LAPTOP_SWEEP, generatorBatch: ["new", "reuse"] },
  variants: [{ penalty: "none" }, { consensus: 1 }],
  ...LAPTOP_LENGTH,
});
