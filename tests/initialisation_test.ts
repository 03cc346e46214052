/**
 * The weight initialisations (`init`): each kind against its definition and
 * against PyTorch's own draws (tests/parity/draws/torch-init.json, made by
 * make.py there), and the factor: absent means PyTorch's default, unchanged
 * bits and ids; under a kind every bias starts at zero.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { createRandom } from "../src/core/random.ts";
import { FactorError, resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { INITIALISATION_KINDS, type InitialisationName } from "../src/nn/initialisations/mod.ts";
import { linear } from "../src/nn/layers/mod.ts";
import { initialParameters, parameterSlots, seededParameters } from "../src/nn/parameters.ts";
import { ROOT } from "./helpers.ts";

interface TorchCase {
  readonly name: InitialisationName;
  readonly gain: number;
  readonly in: number;
  readonly out: number;
  readonly draws: number;
  readonly kernels: number[][];
  readonly singular_values: number[][];
}

const TORCH: { cases: TorchCase[] } = JSON.parse(
  await Deno.readTextFile(`${ROOT}/tests/parity/draws/torch-init.json`),
);

/** `draws` kernels of ours for a case, each from its own seed. */
function ours({ name, gain, in: inputs, out: outputs }: TorchCase, draws: number): Float32Array[] {
  return Array.from({ length: draws }, (_, d) => {
    const kernel = new Float32Array(inputs * outputs);
    INITIALISATION_KINDS[name].kernel(kernel, { inputs, outputs }, gain, createRandom(100 + d));
    return kernel;
  });
}

function singularValues(kernel: ArrayLike<number>, inputs: number, outputs: number): number[] {
  const rows = Array.from(
    { length: inputs },
    (_, i) => Array.from({ length: outputs }, (_, o) => kernel[i * outputs + o]),
  );
  return new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true }).diagonal;
}

/** The two-sample Kolmogorov–Smirnov statistic sup |F₁ − F₂|. */
function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const [x, y] = [[...a].sort((p, q) => p - q), [...b].sort((p, q) => p - q)];
  let [i, j, largest] = [0, 0, 0];
  while (i < x.length && j < y.length) {
    const next = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === next) i++;
    while (j < y.length && y[j] === next) j++;
    largest = Math.max(largest, Math.abs(i / x.length - j / y.length));
  }
  return largest;
}

/** The statistic's critical value at α = 0.001 (c(α) = √(−ln(α/2)/2) = 1.949). */
function ksCritical(n: number, m: number): number {
  return Math.sqrt(-Math.log(0.001 / 2) / 2) * Math.sqrt((n + m) / (n * m));
}

Deno.test("xavier_uniform: every entry within gain·√(6/(in+out)), variance a²/3", () => {
  for (const [inputs, outputs, gain] of [[16, 16, 1], [2, 128, 1], [128, 1, 2]]) {
    const kernel = new Float32Array(inputs * outputs * 50);
    // 50 kernels' worth from one stream: the same law as one.
    INITIALISATION_KINDS.xavier_uniform.kernel(kernel, { inputs, outputs }, gain, createRandom(3));
    const bound = gain * Math.sqrt(6 / (inputs + outputs));
    assert(kernel.every((w) => Math.abs(w) <= bound));
    const variance = kernel.reduce((sum, w) => sum + w * w, 0) / kernel.length;
    assertAlmostEquals(variance / (bound ** 2 / 3), 1, 0.05);
  }
});

Deno.test("orthogonal: every singular value is the gain, for tall, square and wide kernels", () => {
  for (
    const [inputs, outputs, gain] of [[2, 128, 1.4], [128, 128, 1.4], [128, 1, 1.4], [7, 3, 1]]
  ) {
    const [kernel] = ours({ name: "orthogonal", gain, in: inputs, out: outputs } as TorchCase, 1);
    for (const value of singularValues(kernel, inputs, outputs)) {
      assertAlmostEquals(
        value,
        gain,
        2e-6,
      );
    }
  }
});

Deno.test("orthogonal: different seeds draw different kernels (Haar, not one fixed basis)", () => {
  const [a, b] = ours({ name: "orthogonal", gain: 1, in: 4, out: 4 } as TorchCase, 2);
  assert(a.some((value, i) => value !== b[i]));
});

for (const torch of TORCH.cases) {
  const label = `${torch.name} gain ${torch.gain}, ${torch.in}→${torch.out}`;
  Deno.test(`${label}: the entries' law is PyTorch's (two-sample KS, α 0.001)`, () => {
    const theirs = torch.kernels.flat();
    const mine = ours(torch, torch.draws).flatMap((kernel) => [...kernel]);
    const statistic = ksStatistic(mine, theirs);
    assert(
      statistic < ksCritical(mine.length, theirs.length),
      `KS ${statistic} ≥ ${ksCritical(mine.length, theirs.length)}`,
    );
  });
  Deno.test(`${label}: the singular values are PyTorch's`, () => {
    const mine = ours(torch, 1)[0];
    const sorted = (values: number[]) => [...values].sort((p, q) => p - q);
    const [a, b] = [
      sorted(singularValues(mine, torch.in, torch.out)),
      sorted(torch.singular_values[0]),
    ];
    if (torch.name === "orthogonal") {
      assertEquals(a.length, b.length);
      a.forEach((value, i) => assertAlmostEquals(value, b[i], 2e-5));
    } else {
      // A random matrix's spectrum: the largest within a quarter of PyTorch's.
      assertAlmostEquals(a.at(-1)! / b.at(-1)!, 1, 0.25);
    }
  });
}

Deno.test("the KS check can fail: a gain of 1 is not PyTorch's orthogonal at gain 1.4", () => {
  const torch = TORCH.cases.find((c) => c.name === "orthogonal" && c.in === 2)!;
  const mine = ours({ ...torch, gain: 1 }, torch.draws).flatMap((kernel) => [...kernel]);
  const theirs = torch.kernels.flat();
  assert(ksStatistic(mine, theirs) >= ksCritical(mine.length, theirs.length));
});

Deno.test("under an initialisation every linear bias is zero; norm gains stay 1", () => {
  const config = resolveConfig("seed", { init: { name: "orthogonal", gain: 1.4 } });
  const { discriminator } = trainingSetup(config);
  const values = initialParameters(discriminator, createRandom(1));
  for (const slot of parameterSlots(discriminator)) {
    const part = values.subarray(slot.offset, slot.offset + slot.size);
    if (slot.name === "bias" || slot.name === "offset") assert(part.every((v) => v === 0));
    if (slot.name === "gain") assert(part.every((v) => v === 1));
    if (slot.name === "kernel") assert(part.some((v) => v !== 0));
  }
});

Deno.test("init 'default' is PyTorch's: the same bits as before the factor, and no key in the config", () => {
  const config = resolveConfig("ring", { init: "default" });
  assertEquals("init" in config, false);
  const layers = [linear(2, 3)];
  const values = initialParameters(layers, createRandom(9));
  // PyTorch's default: U(−1/√in, 1/√in) for kernel and bias, drawn in order.
  const bound = 1 / Math.sqrt(2);
  const again = createRandom(9);
  const reference = Float32Array.from({ length: 9 }, () => -bound + 2 * bound * again.next());
  assertEquals(values, reference);
  const setup = trainingSetup(resolveConfig("ring", {}));
  assertEquals(
    seededParameters(1, setup.discriminator, setup.generator),
    seededParameters(1, trainingSetup(config).discriminator, trainingSetup(config).generator),
  );
});

Deno.test("init levels: names, a gain, and clear errors for the rest", () => {
  assertEquals(resolveConfig("ring", { init: "xavier_uniform" }).init, {
    name: "xavier_uniform",
    gain: 1,
  });
  assertEquals(resolveConfig("ring", { init: { name: "orthogonal", gain: 1.4 } }).init, {
    name: "orthogonal",
    gain: 1.4,
  });
  // deno-lint-ignore no-explicit-any
  const level = (init: any) => () => resolveConfig("ring", { init });
  assertThrows(level("he_normal"), FactorError, '"he_normal" is not allowed');
  assertThrows(level({ name: "orthogonal", gain: 0 }), FactorError, "gain must be a number > 0");
  assertThrows(level({ name: "orthogonal", scale: 2 }), FactorError, "unknown field scale");
});
