/**
 * `xavier_uniform`: Glorot & Bengio 2010's uniform initialisation, PyTorch's
 * `torch.nn.init.xavier_uniform_` and TensorFlow 1's `xavier_initializer()`
 * (slim's default, so The Numerics of GANs'): each kernel entry
 * U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { createRandom } from "../../core/random.ts";
 * import { xavierUniform } from "./xavier_uniform.ts";
 * const kernel = new Float32Array(16 * 16);
 * xavierUniform.kernel(kernel, { inputs: 16, outputs: 16 }, 1, createRandom(1));
 * assert(kernel.every((w) => Math.abs(w) <= Math.sqrt(6 / 32)));
 * ```
 *
 * @module
 */
import { uniform } from "../../core/random.ts";
import type { InitialisationKind } from "./kind.ts";

/** Xavier (Glorot) uniform. */
export const xavierUniform: InitialisationKind = {
  description: "Xavier (Glorot) uniform: each kernel entry U(−a, a), a = gain·√(6/(in + out))",
  reference: "Glorot & Bengio 2010; torch.nn.init.xavier_uniform_; TF 1's " +
    "xavier_initializer (slim's default, The Numerics of GANs' notebook)",
  kernel(kernel, { inputs, outputs }, gain, random) {
    const bound = gain * Math.sqrt(6 / (inputs + outputs));
    for (let i = 0; i < kernel.length; i++) kernel[i] = uniform(random, -bound, bound);
  },
};
