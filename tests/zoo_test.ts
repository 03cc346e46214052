/**
 * The zoo's kinds, each checked on its own: penalty gradients against finite
 * differences, optimiser updates against their published formulas step by
 * step, and the engine's critic steps, clamping and D heads.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import { trainBatchReference as trainBatch } from "../src/engine/reference/executor.ts";
import { resolveConfig, trainingSetup } from "../src/design/factors.ts";
import { layerNorm, leakyRelu, linear, sigmoid, spectralLinear } from "../src/nn/layers/mod.ts";
import {
  advanceSpectral,
  createNetwork,
  layerParameters,
  type SpectralState,
} from "../src/nn/network.ts";
import { createOptimiser, type OptimiserOptions } from "../src/kinds/optimisers/mod.ts";
import {
  PENALTY_KINDS,
  type PenaltyContext,
  type PenaltyKind,
} from "../src/kinds/penalties/mod.ts";
import { randomTensor } from "./tensors.ts";

await useBackend();

const PENALTY_CASES: [string, PenaltyKind, number, () => ReturnType<typeof createNetwork>][] = [
  [
    "r1 on a sigmoid-headed D",
    PENALTY_KINDS.r1,
    10,
    () => createNetwork([linear(4, 3), sigmoid(), linear(3, 1), sigmoid()]),
  ],
  [
    "gradient_penalty on a score-headed D",
    PENALTY_KINDS.gradient_penalty,
    10,
    () => createNetwork([linear(4, 3), leakyRelu(0.2), linear(3, 1)]),
  ],
  [
    "gradient_penalty through LayerNorm (the seed's D)",
    PENALTY_KINDS.gradient_penalty,
    10,
    () =>
      createNetwork([
        linear(4, 3),
        sigmoid(),
        layerNorm(3),
        linear(3, 3),
        sigmoid(),
        layerNorm(3),
        linear(3, 1),
        sigmoid(),
      ]),
  ],
  [
    "r1 through LayerNorm, batches of 2",
    PENALTY_KINDS.r1,
    10,
    () => createNetwork([linear(4, 3), sigmoid(), layerNorm(3), linear(3, 1), sigmoid()]),
  ],
  [
    "gradient_penalty with spectral norm",
    PENALTY_KINDS.gradient_penalty,
    1,
    () => createNetwork([spectralLinear(4, 3), leakyRelu(0.2), spectralLinear(3, 1)]),
  ],
];

for (const [name, kind, weight, network] of PENALTY_CASES) {
  Deno.test(`${name}: its gradient equals finite differences of its value`, () => {
    tf.tidy(() => {
      const D = network();
      const runs = 2;
      const batch = 2;
      const parameters = randomTensor([runs, 1, D.parameterCount], 24);
      // u and v after a few power iterations, as in training (σ near the top singular value).
      let spectral: SpectralState = D.layers.map((layer) =>
        layer.type === "linear" && layer.spectralNorm
          ? {
            u: tf.div(tf.ones([runs, layer.out, 1]), Math.sqrt(layer.out)),
            v: tf.div(tf.ones([runs, layer.in, 1]), Math.sqrt(layer.in)),
          }
          : undefined
      );
      for (let i = 0; i < 10 && spectral.some(Boolean); i++) {
        spectral = advanceSpectral(D, layerParameters(D, parameters), spectral);
      }
      const real = randomTensor([runs, batch, 4], 21, 0, 1);
      const fake = randomTensor([runs, batch, 4], 22, 0, 1);
      const alphas = randomTensor([runs, batch, 1], 23, 0, 1);
      const at = (parameters: tf.Tensor) => {
        const context: PenaltyContext = {
          network: D,
          parameters,
          spectral,
          real,
          fake,
          alphas: () => alphas,
          // Held still, so that the value is a function of the parameters alone.
          advance: (state) => state,
        };
        return (kind.onReal ?? kind.onFake)!(context, weight);
      };
      const { gradient } = at(parameters);
      const direction = randomTensor([runs, 1, D.parameterCount], 25);
      const h = 1e-3; // central differences: the error shrinks as h² (checked down to 1e-3)
      const value = (p: tf.Tensor) => tf.sum(at(p).value).dataSync()[0];
      const numeric = (value(tf.add(parameters, tf.mul(direction, h))) -
        value(tf.sub(parameters, tf.mul(direction, h)))) / (2 * h);
      const analytic = tf.sum(tf.mul(gradient, direction)).dataSync()[0];
      assert(Math.abs(analytic) > 1e-3, `a trivial gradient (${analytic}) proves nothing`);
      const error = Math.abs(analytic - numeric) / Math.max(1, Math.abs(numeric));
      assert(error < 2e-3, `directional derivative ${analytic} vs ${numeric} (error ${error})`);
    });
  });
}

/** Runs an optimiser over two steps on one run's two parameters. */
function twoSteps(options: OptimiserOptions, rate: number): number[][] {
  return tf.tidy(() => {
    const optimiser = createOptimiser(options, [rate], 2);
    let parameters: tf.Tensor = tf.tensor3d([[[1, -2]]]);
    const out: number[][] = [];
    for (const gradient of [[0.5, 0.1], [-0.3, 0.2]]) {
      parameters = optimiser.step(parameters, tf.tensor3d([[gradient]]));
      out.push(Array.from(parameters.dataSync()));
    }
    tf.dispose(optimiser.state());
    return out;
  });
}

const GRADIENTS = [[0.5, 0.1], [-0.3, 0.2]];

/** The published update rules, in plain float64 JavaScript. */
const RULES: Record<string, (rate: number) => number[][]> = {
  rmsprop(rate) {
    const [alpha, eps] = [0.99, 1e-8];
    const theta = [1, -2];
    const v = [0, 0];
    return GRADIENTS.map((g) =>
      theta.map((_, i) => {
        v[i] = alpha * v[i] + (1 - alpha) * g[i] ** 2;
        return (theta[i] -= rate * g[i] / (Math.sqrt(v[i]) + eps));
      })
    );
  },
  // TensorFlow 1's (tf.train.RMSPropOptimizer, ApplyRMSProp): ms from 1, ε inside the root.
  rmsprop_tf(rate) {
    const [rho, eps] = [0.9, 1e-10];
    const theta = [1, -2];
    const ms = [1, 1];
    return GRADIENTS.map((g) =>
      theta.map((_, i) => {
        ms[i] += (g[i] ** 2 - ms[i]) * (1 - rho);
        return (theta[i] -= rate * g[i] / Math.sqrt(ms[i] + eps));
      })
    );
  },
  optimistic_adam(rate) {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const theta = [1, -2];
    const [m, v, previous] = [[0, 0], [0, 0], [0, 0]];
    return GRADIENTS.map((g, t) =>
      theta.map((_, i) => {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
        const d = (m[i] / (1 - b1 ** (t + 1))) / (Math.sqrt(v[i] / (1 - b2 ** (t + 1))) + eps);
        theta[i] -= 2 * rate * d - rate * previous[i];
        previous[i] = d;
        return theta[i];
      })
    );
  },
};

for (const name of ["rmsprop", "rmsprop_tf", "optimistic_adam"] as const) {
  Deno.test(`${name} follows its published update rule step by step`, () => {
    const ours = twoSteps({ name }, 0.1);
    const expected = RULES[name](0.1);
    ours.flat().forEach((value, i) => assertAlmostEquals(value, expected.flat()[i], 1e-6));
  });
}

Deno.test("rmsprop_tf is TensorFlow's rule in float32, bit for bit: ms from 1, ε inside the root", () => {
  const f = Math.fround;
  // A large ε and a small decay, so that where ε sits and where ms starts both show.
  const [rate, rho, eps] = [0.1, 0.5, 1e-2];
  const gradients = [[0.5, 0.1], [-0.3, 0.2], [2, -1e-3], [1e-4, 3]];
  const ours = tf.tidy(() => {
    const optimiser = createOptimiser({ name: "rmsprop_tf", alpha: rho, eps }, [rate], 2);
    let parameters: tf.Tensor = tf.tensor3d([[[1, -2]]]);
    const out: number[][] = [];
    for (const gradient of gradients) {
      parameters = optimiser.step(parameters, tf.tensor3d([[gradient]]));
      out.push(Array.from(parameters.dataSync()));
    }
    tf.dispose(optimiser.state());
    return out;
  });
  const theta = [1, -2];
  const ms = [1, 1];
  const expected = gradients.map((g) =>
    theta.map((_, i) => {
      ms[i] = f(ms[i] + f(f(f(g[i] * g[i]) - ms[i]) * f(1 - rho)));
      const step = f(f(g[i] * f(rate)) / f(Math.sqrt(f(ms[i] + f(eps)))));
      return (theta[i] = f(theta[i] - step));
    })
  );
  assertEquals(ours, expected);
});

Deno.test("rmsprop_tf parts from PyTorch's rmsprop at the first step", () => {
  const [tf1, torch] = [twoSteps({ name: "rmsprop_tf" }, 0.1), twoSteps({ name: "rmsprop" }, 0.1)];
  // TensorFlow: θ₁ = θ₀ − lr·g/√(0.9 + 0.1g²); PyTorch: θ₁ = θ₀ − lr·g/(√(0.01g²) + ε) ≈ θ₀ − 10·lr·sign(g).
  assertAlmostEquals(tf1[0][0], 1 - 0.1 * 0.5 / Math.sqrt(0.9 + 0.1 * 0.25), 1e-6);
  assertAlmostEquals(torch[0][0], 0, 1e-6);
  tf1[0].forEach((value, i) => assert(Math.abs(value - torch[0][i]) > 0.5, `parameter ${i}`));
});

Deno.test("the loss decides D's head: a sigmoid for BCE and MSE, the raw score otherwise", () => {
  const last = (loss: "bce" | "bce_minimax" | "mse" | "hinge" | "wasserstein") =>
    trainingSetup(resolveConfig("seed", { loss })).discriminator.at(-1)!.type;
  assertEquals(
    (["bce", "bce_minimax", "mse", "hinge", "wasserstein"] as const).map(last),
    ["sigmoid", "sigmoid", "sigmoid", "linear", "linear"],
  );
});

Deno.test("spectral_norm wraps every linear layer of D only; G keeps its own normalisation", () => {
  const setup = trainingSetup(
    resolveConfig("seed", { normalisation: { d: "spectral_norm", g: "layer_norm" } }),
  );
  const dLinear = setup.discriminator.filter((layer) => layer.type === "linear");
  assert(dLinear.length === 3 && dLinear.every((layer) => layer.spectralNorm));
  assert(!setup.discriminator.some((layer) => layer.type === "layer_norm"));
  assertEquals(setup.generator.filter((layer) => layer.type === "layer_norm").length, 3);
  assert(!setup.generator.some((layer) => layer.type === "linear" && layer.spectralNorm));
});

Deno.test("weight clipping keeps every D parameter within [−c, c]; critic steps use their own samples", async () => {
  const config = resolveConfig("seed", {
    loss: "wasserstein",
    penalty: { weightClip: 0.05 },
    dSteps: 3,
  }, { iterations: 30 });
  const runs = [1, 2].map((seed) => ({
    seed,
    learningRates: { discriminator: 0.01, generator: 0.01 },
  }));
  const [record] = await trainBatch(trainingSetup(config), runs);
  const largest = Math.max(...record.finalParameters.discriminator.map(Math.abs));
  assert(largest <= 0.05 + 1e-7, `a D parameter at ${largest}`);
  assertAlmostEquals(largest, 0.05, 1e-6);
  // 3 critic steps × 30 iterations consume 90 real samples: a run given only 89 is refused.
  const given = new Float32Array(89 * 6);
  const refused = await trainBatch(trainingSetup(config), [{ ...runs[0], realSamples: given }])
    .then(() => "", (error: Error) => error.message);
  assert(refused.includes("needs 540"), refused);
});

Deno.test("a penalised run in a batch equals it alone (per-run streams, per-run interpolates)", async () => {
  const config = resolveConfig("seed", {
    loss: "wasserstein",
    penalty: { gradientPenalty: 10 },
    normalisation: { d: "spectral_norm", g: "layer_norm" },
    dSteps: 2,
  }, { iterations: 40 });
  const run = (seed: number, d: number) => ({
    seed,
    learningRates: { discriminator: d, generator: 1e-3 },
  });
  const [alone] = await trainBatch(trainingSetup(config), [run(3, 1e-3)]);
  const batch = await trainBatch(trainingSetup(config), [run(1, 1e-2), run(3, 1e-3), run(2, 1e-4)]);
  alone.curves.penalty.forEach((value, i) =>
    assertAlmostEquals(batch[1].curves.penalty[i], value, 1e-5 * Math.max(1, Math.abs(value)))
  );
  assert(alone.curves.penalty.some((value) => value > 0), "the penalty was never recorded");
});
