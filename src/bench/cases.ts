/**
 * What `deno task bench` times: each case a batch (a preset, levels on top,
 * a number of runs), the row it is a variant of (its "plain" row), and the
 * PyTorch step it is compared with, if any.
 *
 * @module
 */
import type { Factors } from "../design/factors.ts";
import type { PresetName } from "../design/presets.ts";
import type { TorchRequest } from "./children.ts";

/** One timed batch. */
export interface BenchCase {
  readonly name: string;
  readonly preset: PresetName;
  readonly levels: Partial<Factors>;
  readonly runs: number;
  /** Iterations timed per repeat on each engine (default: from the bench's `--iterations`). */
  readonly iterations?: { readonly fused: number; readonly reference: number };
  /** The case this one adds something to (a penalty, consensus): its cost is stated over that one's. */
  readonly plain?: string;
  /** The same step in plain PyTorch (one run, one thread), where `python3` has `torch`. */
  readonly torch?: Omit<TorchRequest, "iterations">;
  /** A case of the seed's model, whose kernels per iteration the bench counts. */
  readonly seedModel?: boolean;
}

/** The seed's model at R runs. */
const seedAt = (runs: number): BenchCase => ({
  name: `seed's model R=${runs}`,
  preset: "seed",
  levels: {},
  runs,
  seedModel: true,
});

/** Widths at the seed's depth (D 2 hidden layers, G 3), at R = 16. */
export const WIDTHS = [3, 16, 64];

/** The runs the toy problems' rows train together. */
export const PROBLEM_RUNS = 4;

/**
 * The ring of 8 Gaussians at The Numerics of GANs' size (batch 512, D and G
 * 4×16 ReLU): the preset's step (G's own z), with R1 and with consensus γ 1;
 * The Numerics of GANs' own step (one z for both players), plain and with
 * their consensus γ 10; and the committed experiments' batch of 64. A ring
 * iteration is ~500× the seed's work: a fixed number of iterations each.
 */
const RING_CASES: readonly BenchCase[] = [
  {
    name: "ring, preset size (batch 512, G's own z)",
    preset: "ring",
    levels: {},
    runs: PROBLEM_RUNS,
    iterations: { fused: 100, reference: 15 },
    torch: { batch: "new", consensus: 0 },
  },
  {
    name: "ring, preset size, R1 γ 1",
    preset: "ring",
    levels: { penalty: { r1: 1 } },
    runs: PROBLEM_RUNS,
    iterations: { fused: 60, reference: 10 },
    plain: "ring, preset size (batch 512, G's own z)",
  },
  {
    name: "ring, preset size, consensus γ 1",
    preset: "ring",
    levels: { consensus: 1 },
    runs: PROBLEM_RUNS,
    iterations: { fused: 30, reference: 5 },
    plain: "ring, preset size (batch 512, G's own z)",
    torch: { batch: "new", consensus: 1 },
  },
  {
    name: "ring, The Numerics of GANs' step (one z per iteration)",
    preset: "ring",
    levels: { generatorBatch: "reuse" },
    runs: PROBLEM_RUNS,
    iterations: { fused: 100, reference: 15 },
    torch: { batch: "reuse", consensus: 0 },
  },
  {
    name: "ring, The Numerics of GANs' step, consensus γ 10",
    preset: "ring",
    levels: { generatorBatch: "reuse", consensus: 10 },
    runs: PROBLEM_RUNS,
    iterations: { fused: 40, reference: 5 },
    plain: "ring, The Numerics of GANs' step (one z per iteration)",
    torch: { batch: "reuse", consensus: 10 },
  },
  {
    name: "ring, batch 64 (the committed experiments')",
    preset: "ring",
    levels: { batchSize: 64 },
    runs: PROBLEM_RUNS,
    iterations: { fused: 400, reference: 60 },
  },
];

/** The penalised batches timed beside the plain one (the seed's model), at these R. */
const PENALISED_RUNS = [16, 128];

/**
 * The cases for batch sizes `sizes` of the seed's model: those sizes; with
 * 16 among them, the widths and the ring; the penalised seed's model at 16
 * and 128 where given.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { benchCases } from "./cases.ts";
 * assertEquals(benchCases([1]).map((c) => c.name), ["seed's model R=1"]);
 * assertEquals(benchCases([16]).length, 1 + 3 + 6 + 2);
 * ```
 */
export function benchCases(sizes: readonly number[]): BenchCase[] {
  const cases: BenchCase[] = sizes.map(seedAt);
  if (sizes.includes(16)) {
    for (const width of WIDTHS) {
      cases.push({
        name: `seed's depth, hidden width ${width}, R=16`,
        preset: "seed",
        levels: { hidden: { d: [width, width], g: [width, width, width] } },
        runs: 16,
      });
    }
    cases.push(...RING_CASES);
  }
  for (const runs of sizes.filter((r) => PENALISED_RUNS.includes(r))) {
    for (
      const [label, penalty] of [["WGAN-GP λ 10", { gradientPenalty: 10 }], ["R1 γ 1", {
        r1: 1,
      }]] as const
    ) {
      cases.push({
        name: `seed's model R=${runs}, ${label}`,
        preset: "seed",
        levels: { penalty },
        runs,
        plain: seedAt(runs).name,
      });
    }
  }
  return cases;
}
