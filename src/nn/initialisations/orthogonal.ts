/**
 * `orthogonal`: Saxe et al. 2014's orthogonal initialisation, as PyTorch's
 * `torch.nn.init.orthogonal_` and TensorFlow 1's `orthogonal_initializer`
 * draw it (the Unrolled GAN notebook's and GDPP's, gain 1.4): a matrix of
 * standard normals, tall side first; its QR decomposition's Q with each
 * column's sign set by R's diagonal (so Q is Haar-distributed); transposed
 * back if the kernel is wide; times the gain. The kernel's rows (when
 * `in ≤ out`) or columns (when `in ≥ out`) are orthonormal, times the gain.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { createRandom } from "../../core/random.ts";
 * import { orthogonal } from "./orthogonal.ts";
 * const kernel = new Float32Array(3 * 2);
 * orthogonal.kernel(kernel, { inputs: 3, outputs: 2 }, 2, createRandom(1));
 * // Each column (an output's weights) has norm 2, the gain.
 * assertAlmostEquals(Math.hypot(kernel[0], kernel[2], kernel[4]), 2, 1e-6);
 * ```
 *
 * @module
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { gaussian } from "../../core/random.ts";
import type { InitialisationKind } from "./kind.ts";

/** Orthogonal, with a gain. */
export const orthogonal: InitialisationKind = {
  description: "orthogonal: the Q of a standard normal matrix's QR (signs by R's diagonal), " +
    "times the gain",
  reference: "Saxe et al. 2014; torch.nn.init.orthogonal_; TF 1's orthogonal_initializer " +
    "(the Unrolled GAN notebook and GDPP's script, gain 1.4)",
  kernel(kernel, { inputs, outputs }, gain, random) {
    // PyTorch's weight is [outputs, inputs]; it draws rows × cols = outputs × inputs, transposed
    // to tall when wide. Drawn here as the tall matrix directly, row by row.
    const [tall, short] = [Math.max(inputs, outputs), Math.min(inputs, outputs)];
    const drawn = new Matrix(tall, short);
    for (let r = 0; r < tall; r++) {
      for (let c = 0; c < short; c++) drawn.set(r, c, gaussian(random));
    }
    const qr = new QrDecomposition(drawn);
    const q = qr.orthogonalMatrix;
    const r = qr.upperTriangularMatrix;
    for (let c = 0; c < short; c++) {
      const sign = r.get(c, c) < 0 ? -1 : 1;
      for (let row = 0; row < tall; row++) q.set(row, c, sign * q.get(row, c));
    }
    // The weight [outputs, inputs] is q (outputs ≥ inputs) or qᵀ (wide); the kernel is its
    // transpose: kernel[i][o] = weight[o][i].
    for (let i = 0; i < inputs; i++) {
      for (let o = 0; o < outputs; o++) {
        const value = outputs >= inputs ? q.get(o, i) : q.get(i, o);
        kernel[i * outputs + o] = gain * value;
      }
    }
  },
};
