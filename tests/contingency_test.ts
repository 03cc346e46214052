/**
 * The comparison statistics against published worked examples.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import {
  fisherExact,
  holm,
  mcnemarExact,
  newcombe,
  newcombePaired,
} from "../src/analysis/contingency.ts";

Deno.test("Fisher's exact test: R's fisher.test documentation examples", () => {
  // TeaTasting (Agresti 1990, p. 61): p = 0.4857.
  assertAlmostEquals(fisherExact([[3, 1], [1, 3]]).p, 0.4857, 1e-4);
  // Convictions of like-sex twins of criminals (Fisher 1962): p = 0.0005367.
  assertAlmostEquals(fisherExact([[2, 10], [15, 3]]).p, 0.0005367, 1e-7);
  // Job satisfaction by income (Agresti 2002, p. 57), a 4 × 4 table: p = 0.7827.
  const job = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]];
  const exact = fisherExact(job, { maxTables: 1e8 }); // 90,208,550 tables, a few seconds
  assertEquals(exact.method, "exact");
  assertAlmostEquals(exact.p, 0.7827, 1e-4);
  // Past the enumeration limit: a seeded Monte Carlo p-value, near the exact one, reproducible.
  const sampled = fisherExact(job, { maxTables: 1000, samples: 20_000, seed: 3 });
  assertEquals(sampled.method, "monte carlo");
  assert(Math.abs(sampled.p - 0.7827) < 0.01, `${sampled.p}`);
  assertEquals(fisherExact(job, { maxTables: 1000, samples: 20_000, seed: 3 }).p, sampled.p);
});

Deno.test("Newcombe's hybrid score interval: Fagerland, Lydersen & Laake 2017, ch. 4", () => {
  // Perondi et al. 2004, high vs standard dose of epinephrine: 7/34 vs 1/34.
  const { difference, low, high } = newcombe(7, 34, 1, 34);
  assertAlmostEquals(difference, 0.1765, 1e-4);
  assertAlmostEquals(low, 0.0189, 1e-4);
  assertAlmostEquals(high, 0.3404, 1e-4);
});

Deno.test("Newcombe's paired interval and McNemar's exact test: Fagerland et al. 2017, ch. 8", () => {
  // Cavo et al. 2012, complete response before and after consolidation therapy.
  const { difference, low, high } = newcombePaired(59, 6, 16, 80);
  assertAlmostEquals(difference, -0.0621, 1e-4);
  assertAlmostEquals(low, -0.1186, 1e-4);
  assertAlmostEquals(high, -0.0046, 1e-4);
  // The exact conditional McNemar test on the same data: P = 0.0525.
  assertAlmostEquals(mcnemarExact(6, 16), 0.0525, 1e-4);
  assertEquals(mcnemarExact(0, 0), 1);
});

Deno.test("Holm's adjustment: step-down, monotone, order kept (Holm 1979)", () => {
  assertEquals(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  assertEquals(holm([0.5, 0.9]), [1, 1]);
  assertEquals(holm([]), []);
});
