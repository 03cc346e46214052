/**
 * Chooses the tfjs backend: wasm (SIMD, single-threaded: one Worker per core
 * is how this project uses more cores), or cpu when wasm cannot load; and
 * prepares the fused engine's own SIMD kernels (`nn/kernels/`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { installFastWasmKernels } from "./wasm_kernels.ts";
import { prepareKernels } from "../nn/kernels/mod.ts";
import { withoutTfjsBanner } from "./quiet_tfjs.ts";

/** The backends the engine can run on. */
export type BackendName = "wasm" | "cpu";

const WASM_DIRECTORY = new URL(
  "../../node_modules/@tensorflow/tfjs-backend-wasm/dist/",
  import.meta.url,
).href;

let chosen: Promise<BackendName> | undefined;

/**
 * Makes `preferred` the tfjs backend, once per process or Worker; if wasm
 * cannot load, says so in one line on stderr and uses cpu.
 *
 * @example
 * ```ts
 * import { useBackend } from "./backend.ts";
 * const name = await useBackend(); // "wasm" where its files are readable
 * ```
 */
export function useBackend(preferred: BackendName = "wasm"): Promise<BackendName> {
  chosen ??= Promise.all([choose(preferred), prepareKernels()]).then(([name]) => name);
  return chosen;
}

async function choose(preferred: BackendName): Promise<BackendName> {
  if (preferred === "wasm") {
    try {
      setWasmPaths(WASM_DIRECTORY);
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        installFastWasmKernels();
        return "wasm";
      }
    } catch (error) {
      console.error(
        `gansweep: the wasm backend did not load (${errorMessage(error)}); using cpu`,
      );
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  // The cpu backend's first tensor prints tfjs's "install our node backend" banner: not here.
  await withoutTfjsBanner(() => Promise.resolve(tf.tensor([0]).dispose()));
  return "cpu";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
