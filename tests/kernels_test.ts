/**
 * The SIMD kernels give the scalar kernels' bits, on every shape the engine
 * meets: odd widths, widths that are not multiples of 4, one sample per run
 * (runs as lanes) and batches of 2, 3, 5, 13, run counts that are not
 * multiples of 4; and the scalar kernels compute what their definitions say
 * (against plain float64 sums, within float32 rounding).
 */
import { assert, assertEquals } from "@std/assert";
import { prepareSimd, simdFailure, simdKernels } from "../src/nn/kernels/simd.ts";
import { exp64, scalarKernels } from "../src/nn/kernels/scalar.ts";
import type { Kernels } from "../src/nn/kernels/kind.ts";
import { createRandom, uniform } from "../src/core/random.ts";

const available = await prepareSimd();

Deno.test("this machine's WebAssembly runs the SIMD kernels", () => {
  assert(available, `the SIMD kernels did not assemble or compile: ${simdFailure()}`);
});

/** Random float32 numbers in [−1, 1), with a few exact zeros (the rectifiers' kink). */
function randomArray(length: number, seed: number): Float32Array {
  const random = createRandom(seed, 9);
  return Float32Array.from({ length }, (_, i) => i % 11 === 3 ? 0 : uniform(random, -1, 1));
}

/** Copies of `arrays` in the kernels' memory. */
function into(kernels: Kernels, arrays: Float32Array[]): Float32Array[] {
  return arrays.map((array) => {
    const copy = kernels.floats(array.length);
    copy.set(array);
    return copy;
  });
}

/** The first index where two arrays' bits differ, or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  assertEquals(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/**
 * Runs `kernel` on both implementations from the same arrays (the SIMD one
 * on copies in its memory, and once more on arrays from elsewhere) and
 * asserts every array ends bit for bit the same.
 */
function assertSameBits(
  what: string,
  arrays: Float32Array[],
  kernel: (k: Kernels, a: Float32Array[]) => void,
) {
  // SIMD wherever it has a form, however small the call.
  const simd = simdKernels({ everywhere: true })!;
  const scalar = arrays.map((a) => a.slice());
  kernel(scalarKernels, scalar);
  const inPlace = into(simd, arrays);
  kernel(simd, inPlace);
  const foreign = arrays.map((a) => a.slice());
  kernel(simd, foreign);
  scalar.forEach((expected, k) => {
    for (const [how, got] of [["in place", inPlace[k]], ["copied in", foreign[k]]] as const) {
      const at = firstDifference(expected, got);
      assert(
        at < 0,
        `${what}, array ${k} (${how}): element ${at} is ${got[at]}, not ${expected[at]}`,
      );
    }
  });
}

const RUNS = [1, 2, 3, 4, 5, 8];
const BATCHES = [1, 2, 3, 4, 5, 8, 13];
const WIDTHS: [number, number][] = [[1, 1], [2, 3], [3, 3], [6, 3], [3, 1], [5, 17], [16, 16], [
  16,
  2,
]];

Deno.test("dense: forward and input-gradient products, with and without bias, every shape", () => {
  let seed = 1;
  for (const runs of RUNS) {
    for (const batch of BATCHES) {
      for (const [inputs, outputs] of WIDTHS) {
        const columns = runs * batch;
        const parameters = randomArray((inputs * outputs + outputs + 3) * runs, seed++);
        const x = randomArray(inputs * columns, seed++);
        // Forward (W[i, o] at i·outputs + o), from parameter 3, bias after the kernel.
        const forward = { runs, batch, inputs, outputs, strideIn: outputs, strideOut: 1 };
        assertSameBits(`forward R ${runs} B ${batch} ${inputs}→${outputs}`, [
          x,
          new Float32Array(outputs * columns),
          parameters,
        ], (k, [x, y, p]) => k.dense(x, y, p, 3, 3 + inputs * outputs, forward));
        // The input gradient: the same kernel through Wᵀ, no bias.
        const dy = randomArray(outputs * columns, seed++);
        const backward = {
          runs,
          batch,
          inputs: outputs,
          outputs: inputs,
          strideIn: 1,
          strideOut: outputs,
        };
        assertSameBits(`input gradient R ${runs} B ${batch}`, [
          dy,
          new Float32Array(inputs * columns),
          parameters,
        ], (k, [d, dx, p]) => k.dense(d, dx, p, 3, undefined, backward));
      }
    }
  }
});

Deno.test("dense: parameter gradients set and accumulated, every shape", () => {
  let seed = 100;
  for (const runs of RUNS) {
    for (const batch of BATCHES) {
      for (const [inputs, outputs] of WIDTHS) {
        const columns = runs * batch;
        const x = randomArray(inputs * columns, seed++);
        const dy = randomArray(outputs * columns, seed++);
        const gradient = randomArray((inputs * outputs + outputs + 2) * runs, seed++);
        const shape = { runs, batch, inputs, outputs };
        for (const accumulate of [false, true]) {
          assertSameBits(
            `gradient R ${runs} B ${batch} ${inputs}→${outputs} ${accumulate}`,
            [x, dy, gradient],
            (k, [x, d, g]) => k.denseGradient(x, d, g, 2, 2 + inputs * outputs, shape, accumulate),
          );
        }
      }
    }
  }
});

Deno.test("rectifiers, their backward passes and addInto, at lengths around multiples of 4", () => {
  for (const length of [1, 3, 4, 5, 8, 31, 1024]) {
    const [x, dy] = [randomArray(length, length), randomArray(length, length + 1)];
    for (const alpha of [0, 0.02, 0.2]) {
      assertSameBits(
        `rectify ${length} ${alpha}`,
        [x, new Float32Array(length)],
        (k, [x, y]) => k.rectify(x, y, alpha),
      );
      assertSameBits(
        `rectifyBackward ${length}`,
        [dy, x, new Float32Array(length)],
        (k, [d, x, dx]) => k.rectifyBackward(d, x, dx, alpha),
      );
    }
    assertSameBits(`addInto ${length}`, [x, dy], (k, [a, b]) => k.addInto(a, b));
  }
});

Deno.test("the sigmoid and its backward pass, at lengths around multiples of 4 and at the edges (±∞, NaN, ±0, |x| past the clamp)", () => {
  const edges = Float32Array.of(
    Infinity,
    -Infinity,
    NaN,
    0,
    -0,
    88,
    -88,
    100,
    -100,
    1e-30,
    20,
    -20,
  );
  for (const length of [1, 3, 4, 5, 12, 31, 1024]) {
    const x = randomArray(length, length + 7).map((v, i) => i < edges.length ? edges[i] : 8 * v);
    const dy = randomArray(length, length + 8);
    assertSameBits(
      `sigmoid ${length}`,
      [x, new Float32Array(length)],
      (k, [x, y]) => k.sigmoid(x, y),
    );
    const y = new Float32Array(length);
    scalarKernels.sigmoid(x, y);
    assertSameBits(
      `sigmoidBackward ${length}`,
      [dy, y, new Float32Array(length)],
      (k, [d, y, dx]) => k.sigmoidBackward(d, y, dx),
    );
  }
});

Deno.test("the sigmoid's exponential in float64 is the same, bit for bit, in both implementations", () => {
  const x = Float64Array.from(
    { length: 100_000 },
    (_, i) => (i - 50_000) / 70 + Math.sin(i) * 1e-3,
  );
  x.set([NaN, Infinity, -Infinity, 0, -0, 700, -700, 1e-300]);
  const y = new Float64Array(x.length);
  simdKernels()!.exp64(x, y);
  for (let i = 0; i < x.length; i++) {
    assert(Object.is(y[i], exp64(x[i])), `e^${x[i]}: ${y[i]}, not ${exp64(x[i])}`);
  }
});

Deno.test("the sigmoid is the logistic function rounded to float32 (within half an ulp), 0 and 1 at the ends, NaN at NaN", () => {
  const x = Float32Array.from({ length: 20001 }, (_, i) => (i - 10000) / 500);
  const y = new Float32Array(x.length);
  scalarKernels.sigmoid(x, y);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const exact = 1 / (1 + Math.exp(-x[i]));
    const ulp = 2 ** (Math.floor(Math.log2(exact)) - 23);
    worst = Math.max(worst, Math.abs(y[i] - exact) / ulp);
  }
  assert(worst <= 0.501, `worst error ${worst} ulps`);
  const ends = new Float32Array(3);
  scalarKernels.sigmoid(Float32Array.of(Infinity, -Infinity, NaN), ends);
  assertEquals([ends[0], ends[1] < 1e-37, Number.isNaN(ends[2])], [1, true, true]);
});

Deno.test("layer norm: forward, input gradient and parameter gradients, every shape", () => {
  let seed = 300;
  for (const runs of RUNS) {
    for (const batch of BATCHES) {
      for (const size of [1, 2, 3, 6, 16]) {
        const columns = runs * batch;
        const x = randomArray(size * columns, seed++);
        const parameters = randomArray((2 * size + 1) * runs, seed++);
        const shape = { runs, batch, size, eps: 1e-5 };
        const [normalised, inverseStd] = [
          new Float32Array(size * columns),
          new Float32Array(columns),
        ];
        scalarKernels.layerNorm(
          x,
          new Float32Array(size * columns),
          normalised,
          inverseStd,
          parameters,
          1,
          shape,
        );
        assertSameBits(`layerNorm R ${runs} B ${batch} n ${size}`, [
          x,
          new Float32Array(size * columns),
          new Float32Array(size * columns),
          new Float32Array(columns),
          parameters,
        ], (k, [x, y, n, s, p]) => k.layerNorm(x, y, n, s, p, 1, shape));
        const dy = randomArray(size * columns, seed++);
        assertSameBits(`layerNormBackward R ${runs} B ${batch} n ${size}`, [
          dy,
          new Float32Array(size * columns),
          normalised,
          inverseStd,
          parameters,
          new Float32Array((2 * size + 1) * runs),
        ], (k, [d, dx, n, s, p, g]) => k.layerNormBackward(d, dx, n, s, p, 1, g, shape));
      }
    }
  }
});

Deno.test("optimisers: Adam (and its direction alone), RMSprop, SGD with and without momentum, every run count", () => {
  let seed = 500;
  for (const runs of [1, 2, 3, 4, 5, 8, 12]) {
    for (const size of [1, 3, 7, 8, 49]) {
      const length = size * runs;
      const positive = (a: Float32Array) => a.map(Math.abs);
      const p = randomArray(length, seed++);
      const g = randomArray(length, seed++);
      const m = randomArray(length, seed++);
      const v = positive(randomArray(length, seed++));
      const factors = positive(randomArray(6 * runs, seed++));
      assertSameBits(
        `adam R ${runs} P ${size}`,
        [p, g, m, v, factors],
        (k, [p, g, m, v, f]) => k.adam(p, g, m, v, f, runs),
      );
      assertSameBits(`adam into R ${runs} P ${size}`, [
        p,
        g,
        m,
        v,
        factors,
        new Float32Array(length),
      ], (k, [p, g, m, v, f, d]) => k.adam(p, g, m, v, f, runs, d));
      assertSameBits(
        `rmsprop R ${runs} P ${size}`,
        [p, g, v, factors],
        (k, [p, g, v, f]) => k.rmsprop(p, g, v, f, runs),
      );
      assertSameBits(
        `sgd R ${runs} P ${size}`,
        [p, g, factors],
        (k, [p, g, f]) => k.sgd(p, g, undefined, f, runs),
      );
      assertSameBits(
        `sgd momentum R ${runs} P ${size}`,
        [p, g, m, factors],
        (k, [p, g, u, f]) => k.sgd(p, g, u, f, runs),
      );
    }
  }
});

Deno.test("the scalar kernels compute their definitions: dense sums, lane sums, layer norm, Adam (float64 within 1e-5)", () => {
  const [runs, batch, inputs, outputs] = [3, 5, 4, 2];
  const columns = runs * batch;
  const parameters = randomArray((inputs * outputs + outputs) * runs, 7);
  const x = randomArray(inputs * columns, 8);
  const y = new Float32Array(outputs * columns);
  scalarKernels.dense(x, y, parameters, 0, inputs * outputs, {
    runs,
    batch,
    inputs,
    outputs,
    strideIn: outputs,
    strideOut: 1,
  });
  for (let o = 0; o < outputs; o++) {
    for (let c = 0; c < columns; c++) {
      const r = Math.floor(c / batch);
      let sum = parameters[(inputs * outputs + o) * runs + r];
      for (let i = 0; i < inputs; i++) {
        sum += parameters[(i * outputs + o) * runs + r] * x[i * columns + c];
      }
      assert(Math.abs(y[o * columns + c] - sum) < 1e-5, `y[${o}, ${c}]`);
    }
  }
  const dy = randomArray(outputs * columns, 9);
  const gradient = new Float32Array((inputs * outputs + outputs) * runs);
  scalarKernels.denseGradient(x, dy, gradient, 0, inputs * outputs, {
    runs,
    batch,
    inputs,
    outputs,
  }, false);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < inputs; i++) {
      for (let o = 0; o < outputs; o++) {
        let sum = 0;
        for (let b = 0; b < batch; b++) {
          sum += x[i * columns + r * batch + b] * dy[o * columns + r * batch + b];
        }
        assert(
          Math.abs(gradient[(i * outputs + o) * runs + r] - sum) < 1e-5,
          `∂W[${i}, ${o}] of run ${r}`,
        );
      }
    }
  }
  const size = 3;
  const z = randomArray(size * columns, 10);
  const norm = {
    y: new Float32Array(size * columns),
    n: new Float32Array(size * columns),
    s: new Float32Array(columns),
  };
  const gains = randomArray(2 * size * runs, 11);
  scalarKernels.layerNorm(z, norm.y, norm.n, norm.s, gains, 0, { runs, batch, size, eps: 1e-5 });
  for (let c = 0; c < columns; c++) {
    const values = Array.from({ length: size }, (_, k) => z[k * columns + c]);
    const mean = values.reduce((a, b) => a + b) / size;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / size;
    const r = Math.floor(c / batch);
    values.forEach((value, k) => {
      const expected = ((value - mean) / Math.sqrt(variance + 1e-5)) * gains[k * runs + r] +
        gains[(size + k) * runs + r];
      assert(Math.abs(norm.y[k * columns + c] - expected) < 1e-5, `layer norm (${k}, ${c})`);
    });
  }
});
