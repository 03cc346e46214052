/**
 * tfjs's cpu backend, on its first tensor in a process it takes for Node.js
 * (Deno sets its `IS_NODE`), prints a banner advising its Node.js backend;
 * that advice does not apply to Deno, and neither a sweep on the cpu
 * backend nor a report that trains a few runs again (the Dirac trajectories)
 * should print it.
 *
 * @module
 */

/** Whether a `console.warn` call is tfjs's "install our node backend" banner. */
function isNodeBackendBanner(data: readonly unknown[]): boolean {
  return typeof data[0] === "string" && data[0].includes("install our node backend");
}

/**
 * Runs `work` with tfjs's "install our node backend" banner left out of
 * `console.warn`; every other warning is printed as before, and
 * `console.warn` is itself again afterwards, however `work` ends.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import * as tf from "@tensorflow/tfjs";
 * import { withoutTfjsBanner } from "./quiet_tfjs.ts";
 * const warn = console.warn;
 * const printed: unknown[] = [];
 * console.warn = (...data: unknown[]) => printed.push(...data);
 * await tf.setBackend("cpu");
 * const sum = await withoutTfjsBanner(async () => {
 *   console.warn("kept");
 *   return (await tf.scalar(2).add(1).data())[0];
 * });
 * console.warn = warn;
 * assertEquals([sum, printed], [3, ["kept"]]);
 * ```
 */
export async function withoutTfjsBanner<T>(work: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...data: unknown[]) => {
    if (!isNodeBackendBanner(data)) warn(...data);
  };
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}
