/**
 * What every weight initialisation declares: how it fills a linear layer's
 * kernel, and where it is from. Biases start at zero under every one of
 * them (the papers' TensorFlow code: slim's `biases_initializer` is zeros);
 * without one, a layer keeps PyTorch's default (`../layers/linear.ts`).
 *
 * @module
 */
import type { Random } from "../../core/random.ts";

/** A linear layer's kernel initialisation. */
export interface InitialisationKind {
  /** What it draws, in words. */
  readonly description: string;
  /** Where it is defined (PyTorch's function, the papers' code). */
  readonly reference: string;
  /**
   * Fills `kernel`, the `[inputs, outputs]` kernel (row-major: PyTorch's
   * `weight[o][i]` at `i·outputs + o`), times `gain`, from `random`.
   */
  kernel(
    kernel: Float32Array,
    shape: { readonly inputs: number; readonly outputs: number },
    gain: number,
    random: Random,
  ): void;
}
