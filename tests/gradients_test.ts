/**
 * Every hand-written backward pass equals what tfjs's autodiff computes.
 */
import * as tf from "@tensorflow/tfjs";
import { assert } from "@std/assert";
import { useBackend } from "../src/backend.ts";
import {
  batchNorm,
  type Layer,
  layerNorm,
  leakyRelu,
  linear,
  relu,
  sigmoid,
  tanh,
} from "../src/layers.ts";
import { backward, createNetwork, forward } from "../src/network.ts";
import { lossGradient, type LossName, lossValue } from "../src/losses.ts";
import { createRandom } from "../src/random.ts";

await useBackend();

const RUNS = 3;

function randomTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  const random = createRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => low + (high - low) * random.next());
  return tf.tensor(values, shape);
}

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

checkNetworkGradients("linear", [linear(4, 3)], 4, 1);
checkNetworkGradients("sigmoid", [linear(4, 3), sigmoid()], 4, 2);
checkNetworkGradients("tanh", [linear(4, 3), tanh()], 4, 2);
checkNetworkGradients("relu", [linear(4, 5), relu()], 4, 3);
checkNetworkGradients("leaky_relu", [linear(4, 5), leakyRelu(0.02)], 4, 3);
checkNetworkGradients("layer_norm", [linear(4, 3), layerNorm(3)], 4, 2);
checkNetworkGradients("batch_norm", [linear(4, 3), batchNorm(3)], 4, 4);
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

for (const loss of ["bce", "mse"] as LossName[]) {
  for (const target of [0, 1] as const) {
    Deno.test(`the ${loss} gradient for target ${target} equals tf.grad of its value`, () => {
      tf.tidy(() => {
        const prediction = randomTensor([RUNS, 4, 1], 7, 0.05, 0.95);
        const expected = tf.grad((p: tf.Tensor) => tf.sum(lossValue(loss, p, target)))(
          prediction,
        );
        const error = maxDifference(lossGradient(loss, prediction, target), expected);
        assert(error < 1e-5, `off by ${error}`);
      });
    });
  }
}

Deno.test("BCE clamps each log at -100, as PyTorch's BCELoss does", () => {
  tf.tidy(() => {
    const certain = tf.tensor3d([0, 1], [2, 1, 1]);
    const [wrongReal, rightReal] = lossValue("bce", certain, 1).dataSync();
    assert(wrongReal === 100 && rightReal === 0);
  });
});
