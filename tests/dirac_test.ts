/**
 * The Dirac-GAN (Mescheder, Geiger & Nowozin 2018): deterministic runs on
 * both engines, the Jacobian check against the paper's closed forms, and
 * what an experiment may and may not ask of it.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { resolveConfig, trainingSetup } from "../src/design/factors.ts";
import type { Factors } from "../src/design/levels.ts";
import { trainBatch } from "../src/engine/train.ts";
import { ENGINES } from "../src/engine/train.ts";
import { jacobianCheck } from "../src/engine/jacobian.ts";
import { judgeDirac } from "../src/design/problems/dirac.ts";

const RATES = { discriminator: 0.2, generator: 0.2 };

/** Final (θ, ψ) after the preset's 500 iterations (the fused engine's, 7 digits). */
const PINNED: [string, Partial<Factors>, number, number][] = [
  ["minimax, simultaneous", { updates: "simultaneous" }, -2.996652, 1.505115],
  ["minimax, alternating", {}, 1.262308, -0.447294],
  ["minimax, 5 critic steps", { dSteps: 5 }, -0.4981161, -2.179603],
  ["non-saturating, alternating", { loss: "bce" }, 0.1965537, 0.2048884],
  ["WGAN, clipping 1", { loss: "wasserstein", penalty: { weightClip: 1 } }, 0.2972062, 0.9797479],
  [
    "R1 0.3, simultaneous",
    { updates: "simultaneous", penalty: { r1: 0.3 } },
    -4.467866e-6,
    1.692973e-6,
  ],
  [
    "consensus 1, simultaneous",
    { updates: "simultaneous", consensus: 1 },
    4.242881e-12,
    -1.45259e-10,
  ],
  ["consensus 1, alternating", { consensus: 1 }, 8.164559e-12, -4.005235e-12],
];

for (const [name, levels, theta, psi] of PINNED) {
  for (const engine of ENGINES) {
    Deno.test(`Dirac-GAN, ${name}, ${engine} engine: ends at the pinned (θ, ψ)`, async () => {
      const [record] = await trainBatch(trainingSetup(resolveConfig("dirac", levels)), [
        { seed: 1, learningRates: RATES },
      ], { engine });
      const ours = [record.finalParameters.generator[0], record.finalParameters.discriminator[0]];
      // The engines' float32 arithmetic differs in rounding only: 2e-5 of the value (≥ 1e-3).
      for (const [got, pinned] of [[ours[0], theta], [ours[1], psi]]) {
        const tolerance = 2e-5 * Math.max(Math.abs(pinned), 1e-3);
        assert(Math.abs(got - pinned) <= tolerance, `${got} where ${pinned} is pinned`);
      }
    });
  }
}

Deno.test("Dirac-GAN: a run is the same twice, whatever the seed (no randomness without instance noise)", async () => {
  const setup = trainingSetup(resolveConfig("dirac", {}));
  const records = await trainBatch(
    setup,
    [1, 2, 99].map((seed) => ({ seed, learningRates: RATES })),
  );
  for (const record of records) {
    assertEquals(record.finalParameters.generator, records[0].finalParameters.generator);
    assertEquals(record.finalParameters.discriminator, records[0].finalParameters.discriminator);
  }
});

const AT_EQUILIBRIUM = {
  seed: 1,
  learningRates: RATES,
  discriminator: Float32Array.of(0),
  generator: Float32Array.of(0),
};

/** The check's eigenvalues at (0, 0), sorted by imaginary part then real part. */
function eigenvaluesAt(levels: Partial<Factors>) {
  const check = jacobianCheck(trainingSetup(resolveConfig("dirac", levels)), AT_EQUILIBRIUM);
  if (!check || "notComputed" in check) throw new Error(`not computed at (0, 0): ${levels}`);
  return {
    check,
    values: check.eigenvalues.real.map((re, i) => [re, check.eigenvalues.imaginary[i]])
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]),
  };
}

function assertEigenvalues(actual: number[][], expected: number[][]) {
  assertEquals(actual.length, expected.length);
  actual.forEach(([re, im], i) => {
    assertAlmostEquals(re, expected[i][0], 1e-6, `Re λ${i}`);
    assertAlmostEquals(im, expected[i][1], 1e-6, `Im λ${i}`);
  });
}

for (const loss of ["bce_minimax", "bce"] as const) {
  Deno.test(`Jacobian at (0, 0), ${loss}, unregularised: eigenvalues ±f′(0)·i = ±i/2`, () => {
    assertEigenvalues(eigenvaluesAt({ loss }).values, [[0, -0.5], [0, 0.5]]);
  });
}

for (const gamma of [0.3, 1, 3]) {
  Deno.test(`Jacobian at (0, 0), R1 γ ${gamma}: eigenvalues −γ/2 ± √(γ²/4 − 1/4)`, () => {
    const discriminant = gamma ** 2 / 4 - 1 / 4;
    const expected = discriminant < 0
      ? [[-gamma / 2, -Math.sqrt(-discriminant)], [-gamma / 2, Math.sqrt(-discriminant)]]
      : [[-gamma / 2 - Math.sqrt(discriminant), 0], [-gamma / 2 + Math.sqrt(discriminant), 0]];
    const { check, values } = eigenvaluesAt({ penalty: { r1: gamma } });
    assertEigenvalues(values, expected);
    assertAlmostEquals(check.maxReal, Math.max(...expected.map(([re]) => re)), 1e-6);
    assert(check.locallyStable);
  });
}

Deno.test("Jacobian at (0, 0), consensus γ: A − γAᵀA has eigenvalues −γ/4 ± i/2", () => {
  for (const gamma of [0.5, 1, 2]) {
    assertEigenvalues(eigenvaluesAt({ consensus: gamma }).values, [
      [-gamma / 4, -0.5],
      [-gamma / 4, 0.5],
    ]);
  }
});

Deno.test("one update at (0, 0): simultaneous SGD 0.2 spirals out (ρ = √1.01), alternating circles (ρ = 1)", () => {
  const simultaneous = eigenvaluesAt({ updates: "simultaneous" }).check;
  assertAlmostEquals(simultaneous.spectralRadius, Math.sqrt(1 + 0.1 ** 2), 1e-9);
  assertEquals(simultaneous.locallyStable, false);
  const alternating = eigenvaluesAt({}).check;
  assertAlmostEquals(alternating.spectralRadius, 1, 1e-9);
  assertEquals(alternating.locallyStable, false);
  // R1 1 with alternating updates: I + H_G A after I + H_D A, a contraction.
  assert(eigenvaluesAt({ penalty: { r1: 1 } }).check.spectralRadius < 1);
});

Deno.test("the Dirac verdicts: within 0.05 of (0, 0) converged, beyond 2√2 or not finite diverged, at rest elsewhere stalled, else cycling", () => {
  assertEquals(judgeDirac(0.03, 0.03).verdict, "converged");
  assertEquals(judgeDirac(1, 1).verdict, "cycling");
  assertEquals(judgeDirac(2, 0, 5e-5).verdict, "stalled");
  assertEquals(judgeDirac(2, 0, 2e-4).verdict, "cycling");
  assertEquals(judgeDirac(2, 2.1).verdict, "diverged");
  assertEquals(judgeDirac(Infinity, 0).learned, false);
});

Deno.test("the Dirac-GAN refuses a hidden layer, a normalisation, another activation, saying why", () => {
  for (
    const [factor, level] of [
      ["hidden", { d: [3] }],
      ["normalisation", "layer_norm"],
      ["activation", "relu"],
    ] as const
  ) {
    assertThrows(
      () => resolveConfig("dirac", { [factor]: level }),
      Error,
      "the Dirac-GAN's players are one parameter each",
    );
  }
});
