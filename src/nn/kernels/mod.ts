/**
 * The fused engine's numeric kernels (`kind.ts`): WebAssembly SIMD where
 * this machine's engine runs it, the plain loops otherwise (the same
 * numbers, slower), chosen once per batch. `GANSWEEP_SIMD=0` asks for the
 * plain loops.
 *
 * @module
 */
import type { Kernels } from "./kind.ts";
import { scalarKernels } from "./scalar.ts";
import { prepareSimd, simdFailure, type SimdKernels, simdKernels } from "./simd.ts";

export type { DenseShape, GradientShape, Kernels, NormShape } from "./kind.ts";
export { scalarKernels } from "./scalar.ts";

let noticed = false;
let prepared: Promise<boolean> | undefined;

/** Whether the environment asks for the plain loops (`GANSWEEP_SIMD=0`); unreadable counts as not. */
function simdRefused(): boolean {
  try {
    return Deno.env.get("GANSWEEP_SIMD") === "0";
  } catch {
    return false;
  }
}

/** Whether this code runs in a Worker. */
function inWorker(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined";
}

/**
 * Prepares the SIMD kernels for this process or Worker (once); when they
 * cannot run, says so in one line on stderr (but in a Worker). Resolves to the kernels'
 * name that {@link chooseKernels} will give.
 *
 * @example
 * ```ts
 * import { prepareKernels } from "./mod.ts";
 * const name = await prepareKernels(); // "simd" on this project's machines
 * ```
 */
export function prepareKernels(): Promise<"simd" | "scalar"> {
  prepared ??= simdRefused() ? Promise.resolve(false) : prepareSimd();
  return prepared.then((available) => {
    // A worker says nothing: the process that started it speaks for all.
    if (!available && !noticed && !inWorker()) {
      noticed = true;
      console.error(
        simdRefused()
          ? "gansweep: GANSWEEP_SIMD=0: the fused engine runs its plain loops (the same numbers)"
          : `gansweep: no SIMD kernels (${simdFailure() ?? "unknown reason"}): the fused engine ` +
            "runs its plain loops (the same numbers, slower)",
      );
    }
    return available ? "simd" : "scalar";
  });
}

/** SIMD instances given back, ready for the next lease (one per concurrent batch at most). */
const pool: SimdKernels[] = [];
let shared: Kernels | undefined;

/** A lease of kernels: for one batch, one field or one evaluation; give it back when done. */
export interface KernelLease {
  readonly kernels: Kernels;
  /** Gives the kernels back: none of their buffers may be used after. */
  release(): void;
}

/**
 * Kernels for one piece of work: a SIMD instance from this worker's pool
 * (a new one where every pooled one is leased) where {@link prepareKernels}
 * made them ready and SIMD is not refused, else the plain loops. A SIMD
 * instance's memory reserves ~1 GiB of address space and takes ~15 ms to
 * make, so that a sweep's thousands of batches share a few.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { leaseKernels, prepareKernels } from "./mod.ts";
 * const name = await prepareKernels();
 * const lease = leaseKernels();
 * assertEquals(lease.kernels.name, name);
 * lease.release();
 * ```
 */
export function leaseKernels(): KernelLease {
  const kernels = simdRefused() ? undefined : pool.pop() ?? simdKernels();
  if (!kernels) return { kernels: scalarKernels, release() {} };
  let released = false;
  return {
    kernels,
    release() {
      if (released) return;
      released = true;
      kernels.reset();
      pool.push(kernels);
    },
  };
}

/**
 * `use(kernels)` with kernels leased for the call and given back after,
 * however it ends.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { withKernels } from "./mod.ts";
 * const sum = withKernels((kernels) => {
 *   const [a, b] = [kernels.floats(2), kernels.floats(2)];
 *   a.set([1, 2]);
 *   b.set([3, 4]);
 *   kernels.addInto(a, b);
 *   return a[0] + a[1];
 * });
 * assertEquals(sum, 10);
 * ```
 */
export function withKernels<T>(use: (kernels: Kernels) => T): T {
  const lease = leaseKernels();
  try {
    return use(lease.kernels);
  } finally {
    lease.release();
  }
}

/**
 * Kernels that are never given back, for what has no lifetime of its own
 * (a network or pass made without kernels, in examples and tests): one
 * instance per worker, its buffers kept.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { chooseKernels, prepareKernels } from "./mod.ts";
 * const name = await prepareKernels();
 * assertEquals(chooseKernels().name, name);
 * ```
 */
export function chooseKernels(): Kernels {
  if (simdRefused()) return scalarKernels;
  shared ??= simdKernels();
  return shared ?? scalarKernels;
}
