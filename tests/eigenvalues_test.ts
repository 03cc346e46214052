/**
 * The eigenvalues of the convergence check from theory come back in bounded
 * time on every finite matrix: ml-matrix's numbers to the bit wherever its
 * own routine returns, a guarded iteration's where it would loop forever,
 * and nothing made up where neither deflates within LAPACK's bound.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { boundedEigenvalues, maxSweeps } from "../src/engine/eigenvalues.ts";
import { finiteEigenvalues } from "../src/engine/jacobian.ts";
import { createRandom, gaussian } from "../src/core/random.ts";

/** Two 3×3 matrices on which ml-matrix 6.12.1 never returns (its shift is exactly 0), and their eigenvalues. */
const ZERO_SHIFT = [
  {
    rows: [[0, -1, 0], [1, 0, 1], [0, -1, 0]],
    real: [0, 0, 0],
    imaginary: [Math.SQRT2, -Math.SQRT2, 0],
  },
  {
    rows: [[-1, -1, 0], [1, -1, -1], [0, 1, -1]],
    real: [-1, -1, -1],
    imaginary: [Math.SQRT2, -Math.SQRT2, 0],
  },
];

/**
 * A block left by the QR iteration on a Jacobian of the five Gaussians at width 8 (seed 11),
 * entries between 1e-280 and 1e-268: its shifts underflow, so a test relative to its own
 * diagonal never deflates it.
 */
const UNDERFLOWING = [
  [1.3181833998285194e-268, -8.023201712397644e-270, -2.118803105790725e-276],
  [-8.02320138335234e-270, 4.883369270906659e-271, 1.2913729563055059e-277],
  [1.8705605816914146e-280, 1.7509232414872841e-280, 1.1274630358450351e-279],
];

/** The eigenvalues, or a failure naming the matrix where they were not computed. */
function computed<T>(eigen: T | undefined, what: string): T {
  if (eigen === undefined) throw new Error(`${what}: not computed`);
  return eigen;
}

/** A seeded matrix of standard normal entries, some of them (with probability `zeros`) exactly 0. */
function randomMatrix(n: number, seed: number, zeros = 0): number[][] {
  const random = createRandom(seed, 0);
  return Array.from({ length: n }, () =>
    Array.from({ length: n }, () => {
      const value = gaussian(random);
      return random.next() < zeros ? 0 : value;
    }));
}

Deno.test("wherever ml-matrix returns, the bounded routine gives its eigenvalues to the bit (300 seeded matrices, 2×2 to 40×40, dense and with zeros)", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rows = randomMatrix(2 + (seed % 39), seed, seed % 3 === 0 ? 0.5 : 0);
    const theirs = new EigenvalueDecomposition(new Matrix(rows));
    const ours = computed(boundedEigenvalues(rows), `seed ${seed}`);
    assertEquals(ours.real, theirs.realEigenvalues, `seed ${seed}: real parts`);
    assertEquals(ours.imaginary, theirs.imaginaryEigenvalues, `seed ${seed}: imaginary parts`);
  }
});

/** What a worker running ml-matrix's decomposition of `rows` says within 3 s: "returned", "still running" or its failure. */
async function mlMatrixWithin3s(rows: number[][]): Promise<string> {
  const source = `import { EigenvalueDecomposition, Matrix } from "ml-matrix";
    new EigenvalueDecomposition(new Matrix(${JSON.stringify(rows)}));
    self.postMessage("returned");`;
  const worker = new Worker(`data:application/typescript,${encodeURIComponent(source)}`, {
    type: "module",
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    new Promise<string>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        resolve(`failed: ${event.message}`);
      };
    }),
    new Promise<string>((resolve) => timer = setTimeout(() => resolve("still running"), 3_000)),
  ]);
  clearTimeout(timer);
  worker.terminate();
  return outcome;
}

Deno.test("ml-matrix does not return on a matrix whose shift is exactly 0 (a worker given 3 s, then terminated), and does on its neighbour", async () => {
  assertEquals(await mlMatrixWithin3s([[0.5, -1, 0], [1, 0, 1], [0, -1, 0]]), "returned");
  assertEquals(await mlMatrixWithin3s(ZERO_SHIFT[0].rows), "still running");
});

Deno.test("on matrices where ml-matrix's shift is exactly 0, the guarded iteration gives their eigenvalues", () => {
  for (const { rows, real, imaginary } of ZERO_SHIFT) {
    const eigen = computed(boundedEigenvalues(rows), JSON.stringify(rows));
    for (let i = 0; i < rows.length; i++) {
      assertAlmostEquals(eigen.real[i], real[i], 1e-15);
      assertAlmostEquals(eigen.imaginary[i], imaginary[i], 1e-15);
    }
  }
});

Deno.test("a block at the bottom of the double range deflates inside a matrix of norm 1 (to within ε·‖H‖), and alone, where nothing deflates, is not computed", () => {
  const start = performance.now();
  assertEquals(boundedEigenvalues(UNDERFLOWING), undefined);
  const rows = [
    [1, 2, 0, 0, 0],
    [-3, 1, 0, 0, 0],
    [0, 0, ...UNDERFLOWING[0]],
    [0, 0, ...UNDERFLOWING[1]],
    [0, 0, ...UNDERFLOWING[2]],
  ];
  const eigen = computed(boundedEigenvalues(rows), "the block inside a matrix of norm 1");
  assertEquals(eigen.real.slice(0, 2), [1, 1]);
  assertAlmostEquals(Math.abs(eigen.imaginary[0]), Math.sqrt(6), 1e-15);
  for (let i = 2; i < 5; i++) {
    assert(Math.hypot(eigen.real[i], eigen.imaginary[i]) < 7 * Number.EPSILON, `${eigen.real[i]}`);
  }
  assert(performance.now() - start < 5_000, "the bound holds the work to seconds");
});

Deno.test("the bound is LAPACK dlahqr's: 30·max(10, n) sweeps per eigenvalue", () => {
  assertEquals([maxSweeps(2), maxSweeps(10), maxSweeps(219)], [300, 300, 6_570]);
});

Deno.test("the check's eigenvalues: a symmetric matrix takes ml-matrix's symmetric path, any other the bounded one, both after scaling", () => {
  const symmetric = new Matrix([[2, 1e-3], [1e-3, -1]]);
  const theirs = new EigenvalueDecomposition(symmetric);
  assertEquals(finiteEigenvalues(symmetric), {
    real: theirs.realEigenvalues,
    imaginary: theirs.imaginaryEigenvalues,
  });
  const hanging = computed(
    finiteEigenvalues(new Matrix(ZERO_SHIFT[1].rows).mul(2 ** 40)),
    "the zero-shift matrix scaled",
  );
  assertEquals(hanging.real.map((re) => Math.round(re / 2 ** 40)), [-1, -1, -1]);
});
