/**
 * The mixtures' judgement (VEEGAN's and PacGAN's metrics) on samples whose
 * answers are known.
 */
import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { gridMeans, modeMetrics, ringMeans } from "../src/design/problems/modes.ts";
import { mixtureProblem, mixtureVerdict } from "../src/design/problems/mixture.ts";
import { DataError } from "../src/core/data.ts";
import { NetworkError } from "../src/nn/layers/mod.ts";
import { resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { trainBatch } from "../src/engine/train.ts";
import { PROBLEM_KINDS } from "../src/design/problems/mod.ts";
import { sampleData } from "../src/core/data.ts";
import { createRandom } from "../src/core/random.ts";

const RING = ringMeans(8, 1);
const SIGMA = 0.01;
const flat = (points: readonly (readonly number[])[]) => Float32Array.from(points.flat());

Deno.test("samples on every mode: all 8 captured, all high quality, histogram uniform (JS = KL = 0)", () => {
  const metrics = modeMetrics(flat([...RING, ...RING]), 2, RING, SIGMA);
  assertEquals([metrics.modesCaptured, metrics.highQualityShare], [8, 1]);
  assertEquals(metrics.histogram, [2, 2, 2, 2, 2, 2, 2, 2]);
  assertAlmostEquals(metrics.jsToUniform, 0, 1e-12);
  assertAlmostEquals(metrics.klToUniform, 0, 1e-12);
});

Deno.test("every sample on one mode: one mode captured, KL(p ‖ uniform) = ln 8, JS as its formula gives", () => {
  const metrics = modeMetrics(flat(Array(10).fill(RING[3])), 2, RING, SIGMA);
  assertEquals([metrics.modesCaptured, metrics.highQualityShare], [1, 1]);
  assertEquals(metrics.histogram, [0, 0, 0, 10, 0, 0, 0, 0]);
  assertAlmostEquals(metrics.klToUniform, Math.log(8), 1e-12);
  // JS(δ, U): ½·ln(2/(1 + 1/8))·1 + ½·[ (1/8)ln((1/8)/((1 + 1/8)/2)) + 7·(1/8)ln((1/8)/(1/16)) ].
  const mid = (1 + 1 / 8) / 2;
  const expected = 0.5 * Math.log(1 / mid) +
    0.5 * ((1 / 8) * Math.log((1 / 8) / mid) + (7 / 8) * Math.log(2));
  assertAlmostEquals(metrics.jsToUniform, expected, 1e-12);
  assert(metrics.jsToUniform < Math.log(2));
});

Deno.test("samples between modes: none high quality, no mode captured, the divergences undefined (NaN)", () => {
  const between = RING.map((mean, i) => {
    const next = RING[(i + 1) % 8];
    return [(mean[0] + next[0]) / 2, (mean[1] + next[1]) / 2];
  });
  const metrics = modeMetrics(flat(between), 2, RING, SIGMA);
  assertEquals([metrics.modesCaptured, metrics.highQualityShare], [0, 0]);
  assert(Number.isNaN(metrics.jsToUniform) && Number.isNaN(metrics.klToUniform));
});

Deno.test("the 3σ boundary: a sample at 3σ is high quality, one just beyond is not", () => {
  const at = [[1 + 3 * SIGMA * 0.999999, 0]];
  const beyond = [[1 + 3 * SIGMA * 1.001, 0]];
  assertEquals(modeMetrics(Float64Array.from(at.flat()), 2, RING, SIGMA).highQualityShare, 1);
  assertEquals(modeMetrics(Float64Array.from(beyond.flat()), 2, RING, SIGMA).highQualityShare, 0);
  // σ scales the boundary: the same sample is high quality for a wider mode.
  assertEquals(modeMetrics(Float64Array.from(beyond.flat()), 2, RING, 0.1).highQualityShare, 1);
});

Deno.test("a NaN sample is never high quality and has no nearest mode", () => {
  const metrics = modeMetrics(Float32Array.of(NaN, NaN, 1, 0), 2, RING, SIGMA);
  assertEquals([metrics.samples, metrics.modesCaptured, metrics.highQualityShare], [2, 1, 0.5]);
});

Deno.test("the problems' own data, sampled, meet their own judgement (every mode; ≈ 98.9% within 3σ, as in 2-D)", () => {
  for (const name of ["ring", "grid"] as const) {
    const { data } = PROBLEM_KINDS[name];
    const samples = new Float32Array(2500 * 2);
    sampleData(data, createRandom(1), samples);
    const metrics = modeMetrics(samples, 2, data.means, data.sigma);
    assertEquals(metrics.modesCaptured, data.means.length, name);
    // Within 3σ in 2-D: P(χ²₂ ≤ 9) = 1 − e^(−4.5) ≈ 0.9889.
    assertAlmostEquals(metrics.highQualityShare, 1 - Math.exp(-4.5), 0.01);
    assert(metrics.jsToUniform < 0.01, `${name}: JS ${metrics.jsToUniform}`);
  }
});

Deno.test("the grid is 25 modes on {−4, −2, 0, 2, 4}²; the ring 8 on the unit circle", () => {
  const grid = gridMeans([-4, -2, 0, 2, 4]);
  assertEquals(grid.length, 25);
  assertEquals(grid[0], [-4, -4]);
  for (const mean of RING) assertAlmostEquals(Math.hypot(mean[0], mean[1]), 1, 1e-12);
});

Deno.test("a mixture's verdict: diverged, then mode-collapsed, then low quality, then converged", () => {
  assertEquals(mixtureVerdict({ modesCaptured: 8, highQualityShare: 1 }, 8, NaN), "diverged");
  assertEquals(mixtureVerdict({ modesCaptured: 7, highQualityShare: 1 }, 8, 1), "mode_collapsed");
  assertEquals(mixtureVerdict({ modesCaptured: 8, highQualityShare: 0.4 }, 8, 1), "low_quality");
  assertEquals(mixtureVerdict({ modesCaptured: 8, highQualityShare: 0.5 }, 8, 1), "converged");
});

Deno.test("a mixture with no modes, σ ≤ 0 or a mean of the wrong width is refused, saying which", () => {
  const make = (means: number[][], sigma: number) =>
    mixtureProblem({ description: "test", reference: "test", means, sigma });
  assertThrows(
    () => make([], 0.1),
    DataError,
    "a mixture needs at least one mode (means is empty)",
  );
  assertThrows(() => make(RING, 0), DataError, "sigma must be a number > 0 (got 0)");
  assertThrows(() => make(RING, -1), DataError, "sigma must be a number > 0 (got -1)");
  assertThrows(() => make([[1, 2, 3]], 0.1), DataError, "means[0] must be 2 finite numbers");
});

Deno.test("training refuses a malformed mixture before it starts, naming the data", async () => {
  const setup = trainingSetup(resolveConfig("ring", { batchSize: 2 }));
  const bad = {
    ...setup,
    pattern: { kind: "mixture", width: 2, means: [[0, 0]], sigma: NaN },
  } as const;
  await assertRejects(
    () => trainBatch(bad, [{ seed: 1, learningRates: { discriminator: 1e-3, generator: 1e-3 } }]),
    NetworkError,
    "data: a mixture's sigma must be a number > 0 (got NaN)",
  );
});

Deno.test("GDPP's ring: 7 distinct places, yet a G that covers them is counted as 8 modes", () => {
  const { means, sigma } = PROBLEM_KINDS.ring_linspace.data;
  assertEquals(means.length, 8);
  const distinct = new Set(means.map(([x, y]) => `${Math.round(x * 1e9)},${Math.round(y * 1e9)}`));
  assertEquals(distinct.size, 7);
  // 10 samples at each of the 7 places, those at (0, 1) on both sides of x = 0.
  const samples: number[] = [];
  for (const [x, y] of means.slice(0, 7)) {
    for (let k = 0; k < 10; k++) {
      const dx = (k % 2 === 0 ? 1 : -1) * 0.001 * (1 + k);
      samples.push(x + dx, y);
    }
  }
  const metrics = modeMetrics(Float32Array.from(samples), 2, means, sigma);
  assertEquals(metrics.modesCaptured, 8);
  assertEquals(metrics.highQualityShare, 1);
  // On one side of x = 0 only, the same samples count 7.
  const oneSide = samples.map((v, i) => (i % 2 === 0 && Math.abs(v) < 0.02 ? Math.abs(v) : v));
  assertEquals(modeMetrics(Float32Array.from(oneSide), 2, means, sigma).modesCaptured, 7);
});

Deno.test("Sun et al.'s five Gaussians: 5 modes 72° apart on the unit circle, variance 0.002", () => {
  const { means, sigma } = PROBLEM_KINDS.five_gaussians.data;
  assertEquals(means.length, 5);
  means.forEach(([x, y], k) => {
    assertAlmostEquals(Math.hypot(x, y), 1, 1e-12);
    assertAlmostEquals(
      Math.atan2(y, x),
      Math.atan2(Math.sin(k * 0.4 * Math.PI), Math.cos(k * 0.4 * Math.PI)),
      1e-12,
    );
  });
  assertAlmostEquals(sigma * sigma, 0.002, 1e-15);
});
