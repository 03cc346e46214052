/**
 * The numeric kernels in WebAssembly SIMD: `kernels.wat`, assembled once per
 * worker by npm's `wabt` and compiled by the engine's WebAssembly, each
 * batch given an instance over a memory of its own (so that a finished
 * batch's buffers go with it). Every kernel gives the bits `scalar.ts`
 * gives; where a shape has no SIMD form (an optimiser over a number of
 * runs that is neither 1 nor a multiple of 4; a batch of 2 or 3) or the work
 * is too small to pay for the call, the scalar kernel runs instead.
 *
 * Buffers from {@link Kernels.floats} live in the instance's memory and are
 * worked on in place; any other array is copied in and out around the call.
 *
 * @module
 */
import wabtInit from "wabt";
import type { Kernels } from "./kind.ts";
import { adamFrom, rmspropFrom, scalarKernels, sgdFrom } from "./scalar.ts";

/** The kernels' WebAssembly text. */
const SOURCE = new URL("./kernels.wat", import.meta.url);

/** Pages (64 KiB) a batch's memory may grow to: 1 GiB. */
const MAXIMUM_PAGES = 16384;

/**
 * Work (multiply-adds, or elements) below which a call runs the scalar
 * kernel, per kind of kernel: there a call into WebAssembly (~50 ns) costs
 * more than it saves. Measured on the seed's model at R = 1: a float32
 * exponential in JavaScript costs ~20 ns, an Adam step ~8 ns an element.
 */
const SCALAR_BELOW = { dense: 128, elementwise: 64, norm: 64, optimiser: 8, sigmoid: 16 };

let module: Promise<WebAssembly.Module | undefined> | undefined;
let ready: WebAssembly.Module | undefined;
let failure: string | undefined;

/**
 * Assembles and compiles the kernels, once per worker; resolves to whether
 * this machine's WebAssembly runs them (false without SIMD or threads'
 * shared memory, or where the assembler cannot load).
 *
 * @example
 * ```ts
 * import { prepareSimd } from "./simd.ts";
 * const available = await prepareSimd(); // true on this project's machines
 * ```
 */
export function prepareSimd(): Promise<boolean> {
  module ??= assemble().then((compiled) => (ready = compiled)).catch((error) => {
    failure = error instanceof Error
      ? error.message.split("\n").slice(0, 3).join(" ")
      : String(error);
    return undefined;
  });
  return module.then((compiled) => compiled !== undefined);
}

/**
 * Why {@link prepareSimd} gave no kernels (the assembler's or the engine's
 * message), once it has settled; undefined where they are ready.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { prepareSimd, simdFailure } from "./simd.ts";
 * if (await prepareSimd()) assertEquals(simdFailure(), undefined);
 * ```
 */
export function simdFailure(): string | undefined {
  return failure;
}

async function assemble(): Promise<WebAssembly.Module | undefined> {
  const wabt = await wabtInit();
  const text = await Deno.readTextFile(SOURCE);
  // As UTF-8 bytes: a string would reach the assembler one byte per character.
  const parsed = wabt.parseWat("kernels.wat", new TextEncoder().encode(text), {
    simd: true,
    threads: true,
  });
  try {
    const bytes = Uint8Array.from(parsed.toBinary({}).buffer);
    if (!WebAssembly.validate(bytes)) {
      throw new Error("this engine's WebAssembly does not validate the kernels (no SIMD?)");
    }
    return await WebAssembly.compile(bytes);
  } finally {
    parsed.destroy();
  }
}

/** SIMD kernels, whose buffers can all be given back at once. */
export interface SimdKernels extends Kernels {
  /**
   * Frees every buffer {@link Kernels.floats} has given (their memory is
   * handed out again): for reusing the instance, and its memory, for the
   * next batch. No buffer given before may be used after.
   */
  reset(): void;
  /** `y = e^x` by the sigmoid's exponential, for checking it against `scalar.ts`'s `exp64` (even lengths). */
  exp64(x: Float64Array, y: Float64Array): void;
}

/** The exported kernels' signatures (byte addresses and counts). */
interface Exports {
  dense_batch(...args: number[]): void;
  dense_lanes(...args: number[]): void;
  dense_gradient_batch(...args: number[]): void;
  dense_gradient_lanes(...args: number[]): void;
  rectify(x: number, y: number, n: number, alpha: number): void;
  rectify_backward(dy: number, x: number, dx: number, n: number, alpha: number): void;
  add_into(into: number, from: number, n: number): void;
  sigmoid(x: number, y: number, n: number): void;
  exp_f64(x: number, y: number, n: number): void;
  sigmoid_backward(dy: number, y: number, dx: number, n: number): void;
  layer_norm(...args: number[]): void;
  layer_norm_backward(...args: number[]): void;
  layer_norm_gradient(...args: number[]): void;
  adam(...args: number[]): void;
  rmsprop(...args: number[]): void;
  sgd(...args: number[]): void;
}

/**
 * A new set of SIMD kernels over a memory of its own, or undefined where
 * {@link prepareSimd} has not (yet) given a module. Calls with little work
 * run the scalar kernels (the same bits), unless `everywhere`: SIMD
 * wherever it has a form.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { prepareSimd, simdKernels } from "./simd.ts";
 * if (await prepareSimd()) {
 *   const kernels = simdKernels()!;
 *   const [x, y] = [kernels.floats(4), kernels.floats(4)];
 *   x.set([-2, -1, 1, 2]);
 *   kernels.rectify(x, y, 0.5);
 *   assertEquals(Array.from(y), [-1, -0.5, 1, 2]);
 * }
 * ```
 */
export function simdKernels(
  { everywhere = false }: { readonly everywhere?: boolean } = {},
): SimdKernels | undefined {
  if (!ready) return undefined;
  const below = everywhere
    ? { dense: 0, elementwise: 0, norm: 0, optimiser: 0, sigmoid: 0 }
    : SCALAR_BELOW;
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAXIMUM_PAGES, shared: true });
  const exports = new WebAssembly.Instance(ready, { env: { memory } })
    .exports as unknown as Exports;
  // Each buffer from `floats` carries its address under this instance's own key.
  const ADDRESS = Symbol("address");
  type Tagged = Float32Array & { [ADDRESS]?: number };
  // Every buffer object the memory has had: a view of any of them is in place.
  const buffers: ArrayBufferLike[] = [memory.buffer];
  let top = 16;
  const floats = (length: number): Float32Array => {
    const bytes = Math.max(16, Math.ceil((4 * length) / 16) * 16);
    const needed = top + bytes - memory.buffer.byteLength;
    if (needed > 0) {
      // Doubling, so that the memory has had few buffer objects to look through.
      const pages = memory.buffer.byteLength / 65536;
      const wanted = Math.max(Math.ceil(needed / 65536), Math.min(pages, MAXIMUM_PAGES - pages));
      memory.grow(wanted);
      buffers.push(memory.buffer);
    }
    const view = new Float32Array(memory.buffer, top, length) as Tagged;
    view[ADDRESS] = top;
    top += bytes;
    return view;
  };
  // Copies of arrays from elsewhere for the call under way, copied back after.
  let scratch: Float32Array = new Float32Array(0);
  let used = 0;
  const copies: [Float32Array, Float32Array][] = [];
  /** An array's address in the memory: its own where it lives there (the engine's case), else a copy's. */
  const at = (a: Tagged | undefined): number => {
    if (a === undefined) return 0;
    const address = a[ADDRESS];
    if (address !== undefined) return address;
    const buffer = a.buffer;
    for (let k = buffers.length - 1; k >= 0; k--) if (buffers[k] === buffer) return a.byteOffset;
    const length = Math.ceil(a.length / 4) * 4;
    if (used + length > scratch.length) {
      [scratch, used] = [floats(2 * (scratch.length + length)), 0];
    }
    const copy = scratch.subarray(used, used + a.length);
    used += length;
    copy.set(a);
    copies.push([a, copy]);
    return copy.byteOffset;
  };
  /** Copies the call's foreign arrays back from their copies. */
  const restore = () => {
    if (copies.length === 0) return;
    for (const [array, copy] of copies) array.set(copy);
    copies.length = 0;
    used = 0;
  };
  // One run's optimiser factors, each four times over: the kernels take runs in fours.
  const spread = floats(4 * 6);
  // What `reset` keeps: the buffers the instance itself uses.
  const base = top;
  /** The factors' address, for one run spread to four lanes. */
  const factorsOf = (factors: Float32Array, runs: number, count: number): number => {
    if (runs !== 1) return at(factors);
    for (let k = 0; k < count; k++) {
      const value = factors[k];
      spread[4 * k] =
        spread[4 * k + 1] =
        spread[4 * k + 2] =
        spread[4 * k + 3] =
          value;
    }
    return spread.byteOffset;
  };
  return {
    name: "simd",
    floats,
    exp64(x, y) {
      if (x.length % 2 || y.length !== x.length) throw new RangeError("exp64 takes even lengths");
      const [xs, ys] = [floats(2 * x.length), floats(2 * x.length)];
      new Float64Array(xs.buffer, xs.byteOffset, x.length).set(x);
      exports.exp_f64(at(xs), at(ys), x.length);
      y.set(new Float64Array(ys.buffer, ys.byteOffset, y.length));
    },
    reset() {
      // Zeroed again, as `floats` gives them.
      new Uint8Array(memory.buffer, base, top - base).fill(0);
      top = base;
      [scratch, used] = [new Float32Array(0), 0];
    },
    dense(x, y, parameters, weights, bias, shape) {
      const { runs, batch, inputs, outputs, strideIn, strideOut } = shape;
      if (batch === 2 || batch === 3 || runs * batch * inputs * outputs < below.dense) {
        return scalarKernels.dense(x, y, parameters, weights, bias, shape);
      }
      const xa = at(x), ya = at(y), pa = at(parameters);
      const b = bias ?? 0, hasBias = bias === undefined ? 0 : 1;
      if (batch === 1) {
        exports.dense_lanes(
          xa,
          ya,
          pa,
          weights,
          b,
          inputs,
          outputs,
          strideIn,
          strideOut,
          runs,
          hasBias,
        );
      } else {
        exports.dense_batch(
          xa,
          ya,
          pa,
          weights,
          b,
          inputs,
          outputs,
          strideIn,
          strideOut,
          runs,
          batch,
          hasBias,
        );
      }
      restore();
    },
    denseGradient(x, dy, gradient, weights, bias, shape, accumulate) {
      const { runs, batch, inputs, outputs } = shape;
      if (runs * batch * inputs * outputs < below.dense) {
        return scalarKernels.denseGradient(x, dy, gradient, weights, bias, shape, accumulate);
      }
      const xa = at(x), da = at(dy), ga = at(gradient);
      const b = bias ?? 0, hasBias = bias === undefined ? 0 : 1;
      const adding = accumulate ? 1 : 0;
      if (batch === 1) {
        exports.dense_gradient_lanes(
          xa,
          da,
          ga,
          weights,
          b,
          inputs,
          outputs,
          runs,
          hasBias,
          adding,
        );
      } else {
        exports.dense_gradient_batch(
          xa,
          da,
          ga,
          weights,
          b,
          inputs,
          outputs,
          runs,
          batch,
          hasBias,
          adding,
        );
      }
      restore();
    },
    rectify(x, y, alpha) {
      if (y.length < below.elementwise) return scalarKernels.rectify(x, y, alpha);
      exports.rectify(at(x), at(y), y.length, alpha);
      restore();
    },
    rectifyBackward(dy, x, dx, alpha) {
      if (dx.length < below.elementwise) return scalarKernels.rectifyBackward(dy, x, dx, alpha);
      exports.rectify_backward(at(dy), at(x), at(dx), dx.length, alpha);
      restore();
    },
    layerNorm(x, y, normalised, inverseStd, parameters, gain, shape) {
      const { runs, batch, size, eps } = shape;
      if (runs * batch * size < below.norm) {
        return scalarKernels.layerNorm(x, y, normalised, inverseStd, parameters, gain, shape);
      }
      const xa = at(x), ya = at(y), na = at(normalised), ia = at(inverseStd), pa = at(parameters);
      exports.layer_norm(xa, ya, na, ia, pa, gain, size, runs, batch, eps);
      restore();
    },
    layerNormBackward(dy, dx, normalised, inverseStd, parameters, gain, gradient, shape) {
      const { runs, batch, size } = shape;
      if (runs * batch * size < below.norm) {
        return scalarKernels.layerNormBackward(
          dy,
          dx,
          normalised,
          inverseStd,
          parameters,
          gain,
          gradient,
          shape,
        );
      }
      const da = at(dy), na = at(normalised);
      if (gradient) exports.layer_norm_gradient(da, na, at(gradient), gain, size, runs, batch);
      if (dx) {
        const dxa = at(dx), ia = at(inverseStd), pa = at(parameters);
        exports.layer_norm_backward(da, dxa, na, ia, pa, gain, size, runs, batch);
      }
      restore();
    },
    adam(parameters, gradient, mean, square, factors, runs, into) {
      const whole = vectorised(parameters.length, runs);
      if (whole < below.optimiser) {
        return scalarKernels.adam(parameters, gradient, mean, square, factors, runs, into);
      }
      const pa = at(parameters), ga = at(gradient), ma = at(mean), sa = at(square);
      exports.adam(pa, ga, ma, sa, factorsOf(factors, runs, 6), whole, lanes(runs), at(into));
      restore();
      if (whole < parameters.length) {
        adamFrom(whole, parameters, gradient, mean, square, factors, runs, into);
      }
    },
    rmsprop(parameters, gradient, square, factors, runs) {
      const whole = vectorised(parameters.length, runs);
      if (whole < below.optimiser) {
        return scalarKernels.rmsprop(parameters, gradient, square, factors, runs);
      }
      const pa = at(parameters), ga = at(gradient), sa = at(square);
      exports.rmsprop(pa, ga, sa, factorsOf(factors, runs, 4), whole, lanes(runs));
      restore();
      if (whole < parameters.length) {
        rmspropFrom(whole, parameters, gradient, square, factors, runs);
      }
    },
    sgd(parameters, gradient, velocity, factors, runs) {
      const whole = vectorised(parameters.length, runs);
      if (whole < below.optimiser) {
        return scalarKernels.sgd(parameters, gradient, velocity, factors, runs);
      }
      const pa = at(parameters), ga = at(gradient), va = at(velocity);
      exports.sgd(pa, ga, va, factorsOf(factors, runs, 2), whole, lanes(runs));
      restore();
      if (whole < parameters.length) sgdFrom(whole, parameters, gradient, velocity, factors, runs);
    },
    sigmoid(x, y) {
      if (y.length < below.sigmoid) return scalarKernels.sigmoid(x, y);
      exports.sigmoid(at(x), at(y), y.length);
      restore();
    },
    sigmoidBackward(dy, y, dx) {
      if (dx.length < below.sigmoid) return scalarKernels.sigmoidBackward(dy, y, dx);
      exports.sigmoid_backward(at(dy), at(y), at(dx), dx.length);
      restore();
    },
    addInto(into, from) {
      if (into.length < below.elementwise) return scalarKernels.addInto(into, from);
      exports.add_into(at(into), at(from), into.length);
      restore();
    },
  };
}

/** The runs an optimiser kernel walks in fours: one run spread to four lanes. */
function lanes(runs: number): number {
  return runs === 1 ? 4 : runs;
}

/**
 * How many of an optimiser's `length` numbers over `runs` runs the SIMD
 * kernel takes: whole vectors where the runs are 1 or a multiple of 4 (the
 * rest, or everything otherwise, is the scalar kernel's).
 */
function vectorised(length: number, runs: number): number {
  if (runs === 1) return length - (length % 4);
  return runs % 4 === 0 ? length : 0;
}
