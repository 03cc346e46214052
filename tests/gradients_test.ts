/**
 * Every hand-written backward pass equals what tfjs's autodiff computes.
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import {
  batchNorm,
  type Layer,
  layerNorm,
  type LayerType,
  leakyRelu,
  linear,
  relu,
  scale,
  sigmoid,
  silu,
  spectralLinear,
  tanh,
} from "../src/nn/layers/mod.ts";
import {
  advanceSpectral,
  backward,
  createNetwork,
  forward,
  layerParameters,
  type SpectralState,
} from "../src/nn/network.ts";
import {
  LOSS_KINDS,
  LOSSES,
  lossGradient,
  type LossKind,
  type LossName,
  lossValue,
  type Sides,
  termOf,
} from "../src/kinds/losses/mod.ts";
import { randomTensor } from "./tensors.ts";

await useBackend();

const RUNS = 3;

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function checkNetworkGradients(name: string, layers: Layer[], inputWidth: number, batch: number) {
  Deno.test(`backward of ${name} (batch ${batch}) equals tf.grads`, () => {
    tf.tidy(() => {
      const network = createNetwork(layers);
      const packed = randomTensor([RUNS, 1, network.parameterCount], 1);
      const input = randomTensor([RUNS, batch, inputWidth], 2);
      const outputWidth = forward(network, packed, input).output.shape[2]!;
      const upstream = randomTensor([RUNS, batch, outputWidth], 3);
      const [expectedParams, expectedInput] = tf.grads((p: tf.Tensor, x: tf.Tensor) =>
        tf.sum(tf.mul(forward(network, p, x).output, upstream))
      )([packed, input]);
      const pass = forward(network, packed, input);
      const ours = backward(network, pass, upstream, { parameters: true, input: true });
      const paramError = maxDifference(ours.parameters!, expectedParams);
      const inputError = maxDifference(ours.input!, expectedInput);
      assert(paramError < 1e-5, `parameter gradient off by ${paramError}`);
      assert(inputError < 1e-5, `input gradient off by ${inputError}`);
      const onlyParams = backward(network, pass, upstream, { parameters: true, input: false });
      assert(onlyParams.input === undefined);
      assert(maxDifference(onlyParams.parameters!, expectedParams) < 1e-5);
    });
  });
}

/** One network per layer kind, typed by the registry: a new kind does not compile until it has one. */
const EVERY_KIND: { [T in LayerType]: [layers: Layer[], inputWidth: number, batch: number] } = {
  linear: [[linear(4, 3)], 4, 1],
  sigmoid: [[linear(4, 3), sigmoid()], 4, 2],
  tanh: [[linear(4, 3), tanh()], 4, 2],
  relu: [[linear(4, 5), relu()], 4, 3],
  leaky_relu: [[linear(4, 5), leakyRelu(0.02)], 4, 3],
  silu: [[linear(4, 5), silu()], 4, 3],
  layer_norm: [[linear(4, 3), layerNorm(3)], 4, 2],
  batch_norm: [[linear(4, 3), batchNorm(3)], 4, 4],
  scale: [[linear(4, 3), scale(3, -1.3), tanh()], 4, 2],
};
for (const [name, [layers, inputWidth, batch]] of Object.entries(EVERY_KIND)) {
  checkNetworkGradients(name, layers, inputWidth, batch);
}
checkNetworkGradients(
  "an activation before the first linear layer",
  [
    sigmoid(),
    linear(2, 2),
  ],
  2,
  1,
);
checkNetworkGradients(
  "the seed's discriminator",
  [
    linear(6, 3),
    sigmoid(),
    layerNorm(3),
    linear(3, 3),
    sigmoid(),
    layerNorm(3),
    linear(3, 1),
    sigmoid(),
  ],
  6,
  1,
);
checkNetworkGradients(
  "the seed's generator",
  [
    linear(1, 3),
    leakyRelu(0.02),
    layerNorm(3),
    linear(3, 3),
    leakyRelu(0.02),
    layerNorm(3),
    linear(3, 6),
    leakyRelu(0.02),
  ],
  1,
  1,
);

for (const loss of LOSSES) {
  const kind: LossKind = LOSS_KINDS[loss];
  for (const player of ["discriminator", "generator"] as const) {
    Deno.test(`${loss}, ${player}'s objective: its gradients at both batches' outputs equal tf.grad of its value and central differences`, () => {
      tf.tidy(() => {
        const objective = kind[player];
        const [low, high] = kind.head === "sigmoid" ? [0.05, 0.95] : [-2, 2];
        const outputs = {
          real: randomTensor([RUNS, 4, 1], 17, low, high),
          fake: randomTensor([RUNS, 4, 1], 18, low, high),
        };
        const given = <T>(o: { real: T; fake: T }): Sides<T> =>
          Object.fromEntries(objective.reads.map((side) => [side, o[side]]));
        const total = (real: tf.Tensor, fake: tf.Tensor) => {
          const parts = objective.parts(given({ real, fake }));
          return tf.sum(tf.addN(Object.values(parts) as tf.Tensor[]));
        };
        const gradients = objective.gradients(given(outputs), false);
        const expected = {
          real: () => tf.grad((real: tf.Tensor) => total(real, outputs.fake))(outputs.real),
          fake: () => tf.grad((fake: tf.Tensor) => total(outputs.real, fake))(outputs.fake),
        };
        // D's objective is differentiated at both batches; G's at its own (the real one is fixed).
        const sides = player === "discriminator"
          ? (["real", "fake"] as const)
          : (["fake"] as const);
        for (const side of sides) {
          const error = maxDifference(gradients[side]!, expected[side]());
          assert(error < 1e-5, `${side}: off by ${error} from tf.grad`);
        }
        // Central differences in float64 of the fused value, one output at a time.
        const values = { real: outputs.real.dataSync(), fake: outputs.fake.dataSync() };
        const h = 1e-3;
        for (const side of sides) {
          const analytic = gradients[side]!.dataSync();
          for (const at of [0, 5, 11]) {
            const valueWith = (delta: number) => {
              const moved = {
                real: Float32Array.from(values.real),
                fake: Float32Array.from(values.fake),
              };
              moved[side][at] += delta;
              const parts = { real: new Float64Array(RUNS), fake: new Float64Array(RUNS) };
              objective.fused.parts(given(moved), { runs: RUNS, batch: 4 }, parts);
              return objective.partsOn.reduce(
                (sum, part) => sum + parts[part].reduce((a, b) => a + b),
                0,
              );
            };
            const numeric = (valueWith(h) - valueWith(-h)) / (2 * h);
            assertAlmostEquals(analytic[at], numeric, 2e-3, `${side}[${at}]`);
          }
        }
      });
    });
  }
  if (!kind.terms) continue;
  for (const term of ["real", "fake", "generator"] as const) {
    Deno.test(`${loss}, ${term} term: its gradients equal tf.grad of its value`, () => {
      tf.tidy(() => {
        const sigmoidHead = kind.head === "sigmoid";
        const output = sigmoidHead
          ? randomTensor([RUNS, 4, 1], 7, 0.05, 0.95)
          : randomTensor([RUNS, 4, 1], 7, -2, 2);
        const value = (o: tf.Tensor) => tf.sum(lossValue(loss, term, o));
        const error = maxDifference(lossGradient(loss, term, output), tf.grad(value)(output));
        assert(error < 1e-5, `at the output: off by ${error}`);
        const atLogit = termOf(loss, term).gradientAtLogit;
        if (sigmoidHead) {
          assert(atLogit, "a sigmoid-headed loss gives its gradient at the logit");
          const logit = randomTensor([RUNS, 4, 1], 8, -3, 3);
          const expected = tf.grad((z: tf.Tensor) => value(tf.sigmoid(z)))(logit);
          const logitError = maxDifference(atLogit!(tf.sigmoid(logit)), expected);
          assert(logitError < 1e-5, `at the logit: off by ${logitError}`);
        }
      });
    });
  }
}

Deno.test("every loss term's value per run: hand-computed examples", () => {
  tf.tidy(() => {
    const at = (loss: LossName, term: "real" | "fake" | "generator", output: number) =>
      lossValue(loss, term, tf.tensor3d([[[output]]])).dataSync()[0];
    assertAlmostEquals(at("bce", "real", 0.8), -Math.log(0.8), 1e-6);
    assertAlmostEquals(at("bce", "fake", 0.8), -Math.log(0.2), 1e-6);
    assertAlmostEquals(at("bce_minimax", "generator", 0.8), Math.log(0.2), 1e-6);
    assertAlmostEquals(at("bce", "generator", 0.8), -Math.log(0.8), 1e-6);
    assertAlmostEquals(at("mse", "fake", 0.8), 0.64, 1e-6);
    assertAlmostEquals(at("hinge", "real", 0.3), 0.7, 1e-6);
    assertAlmostEquals(at("hinge", "real", 1.5), 0, 1e-6);
    assertAlmostEquals(at("hinge", "fake", -0.3), 0.7, 1e-6);
    assertAlmostEquals(at("hinge", "generator", -0.3), 0.3, 1e-6);
    assertAlmostEquals(at("wasserstein", "real", 0.3), -0.3, 1e-6);
    assertAlmostEquals(at("wasserstein", "fake", 0.3), 0.3, 1e-6);
  });
});

Deno.test("BCE clamps each log at -100, as PyTorch's BCELoss does", () => {
  tf.tidy(() => {
    const certain = tf.tensor3d([0, 1], [2, 1, 1]);
    const [wrongReal, rightReal] = lossValue("bce", "real", certain).dataSync();
    assert(wrongReal === 100 && rightReal === 0);
  });
});

/** Unit vectors u, v for each spectral layer of `layers`, per run. */
function spectralVectors(layers: Layer[], seed: number): SpectralState {
  return layers.map((layer, index) => {
    if (layer.type !== "linear" || !layer.spectralNorm) return undefined;
    const unit = (size: number, offset: number) => {
      const x = randomTensor([RUNS, size, 1], seed + index + offset);
      return tf.div(x, tf.norm(x, "euclidean", 1, true));
    };
    return { u: unit(layer.out, 0), v: unit(layer.in, 50) };
  });
}

for (const batch of [1, 3]) {
  Deno.test(`backward of spectral-norm layers (batch ${batch}) equals tf.grads, u and v held`, () => {
    tf.tidy(() => {
      const layers = [spectralLinear(4, 3), leakyRelu(0.02), spectralLinear(3, 1), sigmoid()];
      const network = createNetwork(layers);
      const packed = randomTensor([RUNS, 1, network.parameterCount], 11);
      const input = randomTensor([RUNS, batch, 4], 12);
      const spectral = spectralVectors(layers, 13);
      const upstream = randomTensor([RUNS, batch, 1], 14);
      const [expectedParams, expectedInput] = tf.grads((p: tf.Tensor, x: tf.Tensor) =>
        tf.sum(tf.mul(forward(network, p, x, spectral).output, upstream))
      )([packed, input]);
      const pass = forward(network, packed, input, spectral);
      const ours = backward(network, pass, upstream, { parameters: true, input: true });
      const paramError = maxDifference(ours.parameters!, expectedParams);
      const inputError = maxDifference(ours.input!, expectedInput);
      assert(paramError < 1e-5, `parameter gradient off by ${paramError}`);
      assert(inputError < 1e-5, `input gradient off by ${inputError}`);
    });
  });
}

Deno.test("spectral norm: the power iteration and σ match a hand computation", () => {
  tf.tidy(() => {
    // One run; W = [[1, 2], [3, 4]] ([out][in]) is kernel [[1, 3], [2, 4]] ([in][out]).
    const network = createNetwork([spectralLinear(2, 2)]);
    const packed = tf.tensor3d([[[1, 3, 2, 4, 0, 0]]]);
    const u0 = [0.6, 0.8];
    const [next] = advanceSpectral(network, layerParameters(network, packed), [
      { u: tf.tensor3d([[[u0[0]], [u0[1]]]]), v: tf.zeros([1, 2, 1]) },
    ]);
    // v = normalise(Wᵀ u) = normalise([3, 4.4]); u = normalise(W v).
    const wtu = [1 * 0.6 + 3 * 0.8, 2 * 0.6 + 4 * 0.8];
    const v = wtu.map((x) => x / Math.hypot(...wtu));
    const wv = [1 * v[0] + 2 * v[1], 3 * v[0] + 4 * v[1]];
    const u = wv.map((x) => x / Math.hypot(...wv));
    const vs = next!.v.dataSync();
    const us = next!.u.dataSync();
    v.forEach((x, i) => assertAlmostEquals(vs[i], x, 1e-6));
    u.forEach((x, i) => assertAlmostEquals(us[i], x, 1e-6));
    // The layer divides by σ = uᵀ W v (= ‖W v‖): its output on x = [1, 0] is W[:, 0] / σ.
    const sigma = Math.hypot(...wv);
    const out = forward(network, packed, tf.tensor3d([[[1, 0]]]), [next]).output.dataSync();
    assertAlmostEquals(out[0], 1 / sigma, 1e-6);
    assertAlmostEquals(out[1], 3 / sigma, 1e-6);
  });
});
