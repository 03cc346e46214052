/**
 * Consensus optimisation (Mescheder, Nowozin & Geiger 2017), checked three
 * ways: the reference regulariser ∇(½‖v‖²) against central differences of
 * ½‖v‖², the fused one (exact Hessian-vector products, forward over
 * reverse) against the reference, and whole training runs on both engines.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertThrows } from "@std/assert";
import { resolveConfig, trainingSetup } from "../src/design/factors.ts";
import type { Factors } from "../src/design/levels.ts";
import type { PresetName } from "../src/design/presets.ts";
import { planBatch } from "../src/engine/plan.ts";
import { consensusRegulariser } from "../src/engine/reference/consensus.ts";
import { consensusPass } from "../src/engine/fused/consensus.ts";
import { jointField } from "../src/engine/fused/field.ts";
import { trainBatch } from "../src/engine/train.ts";
import { seededParameters } from "../src/nn/parameters.ts";
import { createRandom, gaussian } from "../src/core/random.ts";
import { relativeError } from "./fused_helpers.ts";
import { toFeatures, toParameterMajor, toRunMajor } from "../src/engine/fused/layout.ts";

/**
 * How far the fused Jᵀv may be from the reference's tf.grads: float32
 * rounding of two exact forms (measured 1.6e-8 to 5.8e-7 on these games; the
 * central differences it replaced stood 2e-5 to 3.5e-4 off).
 */
const CONSENSUS_TOLERANCE = 2e-6;

/** Small games with every kind of layer the regulariser meets. */
const GAMES: [string, PresetName, Partial<Factors>][] = [
  ["the book's network (sigmoid, MSE)", "book", { dUpdate: "joint", batchSize: 3 }],
  ["a ring of ReLU nets, noise input", "ring", { batchSize: 4, hidden: { d: [5, 4], g: [4, 5] } }],
  ["LayerNorm, tanh, leaky ReLU, least squares", "seed", {
    dUpdate: "joint",
    loss: "mse",
    activation: { d: "tanh", g: "leaky_relu" },
    batchSize: 2,
  }],
];

function gameAt(base: PresetName, levels: Partial<Factors>, runs = 2) {
  const setup = trainingSetup(resolveConfig(base, { ...levels, consensus: 1 }));
  const rates = { discriminator: 0.01, generator: 0.01 };
  const plan = planBatch(
    setup,
    Array.from({ length: runs }, (_, r) => ({ seed: r + 1, learningRates: rates })),
  );
  const seeded = Array.from(
    { length: runs },
    (_, r) => seededParameters(r + 7, setup.discriminator, setup.generator),
  );
  const d = Float32Array.from(seeded.flatMap((p) => [...p.discriminator]));
  const g = Float32Array.from(seeded.flatMap((p) => [...p.generator]));
  const random = createRandom(5);
  const draw = (n: number) => Float32Array.from({ length: n }, () => gaussian(random));
  const real = draw(runs * plan.batchSize * plan.width);
  const z = draw(runs * plan.batchSize * plan.inputWidth);
  return { plan, d, g, real, z, runs };
}

function referenceRegulariser(game: ReturnType<typeof gameAt>) {
  return tf.tidy(() => {
    const { plan, runs } = game;
    const tensor = (values: Float32Array, width: number, rows = 1) =>
      tf.tensor3d(values, [runs, rows, width]);
    const regulariser = consensusRegulariser(
      plan,
      tensor(game.d, plan.discriminator.parameterCount),
      tensor(game.g, plan.generator.parameterCount),
      tensor(game.real, plan.width, plan.batchSize),
      tensor(game.z, plan.inputWidth, plan.batchSize),
    );
    return {
      discriminator: regulariser.discriminator.dataSync() as Float32Array,
      generator: regulariser.generator.dataSync() as Float32Array,
    };
  });
}

/** The game's samples and a point in the fused layout (`engine/fused/layout.ts`). */
function fusedGame(
  game: ReturnType<typeof gameAt>,
  d: Float32Array = game.d,
  g: Float32Array = game.g,
) {
  const { plan } = game;
  return {
    d: toParameterMajor(d, plan.discriminator.parameterCount),
    g: toParameterMajor(g, plan.generator.parameterCount),
    real: toFeatures(game.real, plan.width),
    z: toFeatures(game.z, plan.inputWidth),
  };
}

/** ½‖v‖² per run, from the fused field (float32), at (d, g). */
function halfSquaredField(game: ReturnType<typeof gameAt>, d: Float32Array, g: Float32Array) {
  const field = jointField(game.plan);
  const [ofD, ofG] = [field.buffers(), field.buffers()];
  const at = fusedGame(game, d, g);
  field.evaluate(at.d, at.g, { real: at.real, z: at.z }, ofD, ofG);
  // Run r's parameters are every R-th number from r.
  return Array.from({ length: game.runs }, (_, r) => {
    let sum = 0;
    for (let i = r; i < ofD.discriminator.length; i += game.runs) sum += ofD.discriminator[i] ** 2;
    for (let i = r; i < ofG.generator.length; i += game.runs) sum += ofG.generator[i] ** 2;
    return sum / 2;
  });
}

/** The fused Jᵀv (γ = 1) in each player's part asked for, run after run. */
function fusedRegulariser(
  game: ReturnType<typeof gameAt>,
  parts: readonly ("discriminator" | "generator")[],
) {
  const at = fusedGame(game);
  const into = Object.fromEntries(
    parts.map((
      part,
    ) => [part, new Float32Array(part === "discriminator" ? at.d.length : at.g.length)]),
  );
  consensusPass(game.plan).addRegulariser(1, at.d, at.g, at.real, at.z, into);
  const sizes = {
    discriminator: game.plan.discriminator.parameterCount,
    generator: game.plan.generator.parameterCount,
  };
  return Object.fromEntries(
    parts.map((part) => [part, toRunMajor(into[part]!, sizes[part])]),
  ) as Partial<Record<"discriminator" | "generator", Float32Array>>;
}

for (const [name, base, levels] of GAMES) {
  Deno.test(`consensus, ${name}: the reference ∇(½‖v‖²) meets central differences of ½‖v‖²`, () => {
    const game = gameAt(base, levels);
    const exact = referenceRegulariser(game);
    const direction = (n: number, phase: number) =>
      Float32Array.from({ length: n }, (_, i) => Math.sin(phase + 3 * i));
    const dd = direction(game.d.length, 1);
    const dg = direction(game.g.length, 2);
    const dSize = game.plan.discriminator.parameterCount;
    const gSize = game.plan.generator.parameterCount;
    const errorAt = (h: number) => {
      const moved = (sign: number) =>
        halfSquaredField(
          game,
          game.d.map((x, i) => x + sign * h * dd[i]),
          game.g.map((x, i) => x + sign * h * dg[i]),
        );
      const [plus, minus] = [moved(1), moved(-1)];
      return Math.max(...plus.map((_, r) => {
        let along = 0;
        for (let i = r * dSize; i < (r + 1) * dSize; i++) along += exact.discriminator[i] * dd[i];
        for (let i = r * gSize; i < (r + 1) * gSize; i++) along += exact.generator[i] * dg[i];
        const difference = (plus[r] - minus[r]) / (2 * h);
        return Math.abs(difference - along) / Math.max(1e-3, Math.abs(along));
      }));
    };
    const errors = [1e-2, 5e-3, 2.5e-3].map(errorAt);
    // Float32 central differences: truncation falls as h², rounding grows as 1/h; at the best h
    // the two meet well under 1%.
    assert(Math.min(...errors) < 5e-3, `relative errors ${errors.join(", ")}`);
  });

  Deno.test(`consensus, ${name}: the fused Jᵀv (exact Hessian-vector products) equals the reference's tf.grads, each part alone and both`, () => {
    const game = gameAt(base, levels);
    const exact = referenceRegulariser(game);
    const errors: Record<string, number> = {};
    for (
      const parts of [["discriminator"], ["generator"], ["discriminator", "generator"]] as const
    ) {
      const fused = fusedRegulariser(game, parts);
      for (const part of parts) {
        errors[`${part} (${parts.join(" and ")})`] = relativeError(fused[part]!, exact[part]);
      }
    }
    // Both exact, in float32: they part by rounding alone.
    for (const [what, error] of Object.entries(errors)) {
      assert(error < CONSENSUS_TOLERANCE, `${what}: relative error ${error}`);
    }
  });
}

const SCHEMES = [
  { updates: "alternating", generatorBatch: "new" },
  { updates: "simultaneous", generatorBatch: "new" },
  // One z for both players: both parts in one operation.
  { updates: "simultaneous", generatorBatch: "reuse" },
] as const;

for (const { updates, generatorBatch } of SCHEMES) {
  Deno.test(`consensus, ${updates} updates, G's batch ${generatorBatch}, ReLU nets: 200 iterations on both engines end within 1e-5`, async () => {
    const setup = {
      ...trainingSetup(resolveConfig("ring", {
        consensus: 1,
        updates,
        generatorBatch,
        batchSize: 4,
        hidden: { d: [6], g: [6] },
        optimiser: "sgd",
      })),
      iterations: 200,
    };
    const runs = [1, 2].map((seed) => ({
      seed,
      learningRates: { discriminator: 0.05, generator: 0.05 },
    }));
    const [fused, reference] = await Promise.all(
      (["fused", "reference"] as const).map((engine) => trainBatch(setup, runs, { engine })),
    );
    fused.forEach((record, r) => {
      const error = Math.max(
        relativeError(
          record.finalParameters.discriminator,
          reference[r].finalParameters.discriminator,
        ),
        relativeError(record.finalParameters.generator, reference[r].finalParameters.generator),
      );
      // Measured 2e-6: the fused Hessian-vector products hold ReLU's kinks as tf.grads does.
      assert(error < 1e-5, `run ${r + 1}: relative error ${error}`);
    });
  });
}

Deno.test("consensus refuses what it cannot train, saying why", () => {
  const cases: [Partial<Factors>, string][] = [
    [{ penalty: { r1: 1 } }, "penalty"],
    [{ instanceNoise: 0.1 }, "instance noise"],
    [{ normalisation: { d: "spectral_norm", g: "none" } }, "spectral norm"],
    [{ dUpdate: "separate" }, "joint"],
  ];
  for (const [levels, why] of cases) {
    assertThrows(
      () =>
        planBatch(trainingSetup(resolveConfig("ring", { consensus: 1, ...levels })), [
          { seed: 1, learningRates: { discriminator: 0.01, generator: 0.01 } },
        ]),
      Error,
      why,
    );
  }
});
