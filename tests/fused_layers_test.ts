/**
 * Every layer kind's fused form computes what the reference's tf ops
 * compute (`nn/network.ts`, itself checked against `tf.grads`): the forward
 * output, the gradient at the input and every parameter gradient, within
 * 1e-6 of the largest value (2e-6 through a normalisation), for one run and
 * several, one sample and several, in the fused layout (`engine/fused/layout.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import { assert } from "@std/assert";
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
import { advanceSpectral, backward, createNetwork, forward } from "../src/nn/network.ts";
import { fusedNetwork } from "../src/engine/fused/network.ts";
import { randomTensor } from "./tensors.ts";
import { relativeError } from "./fused_helpers.ts";
import { toFeatures, toParameterMajor, toRunMajor, toSamples } from "../src/engine/fused/layout.ts";

await useBackend();

const TOLERANCE = 1e-6;

function checkLayers(name: string, layers: Layer[], inputWidth: number) {
  for (const [runs, batch] of [[1, 1], [3, 1], [1, 4], [3, 4]]) {
    Deno.test(`fused ${name} equals the reference (R = ${runs}, batch ${batch})`, () => {
      tf.tidy(() => {
        const network = createNetwork(layers);
        const packed = randomTensor([runs, 1, network.parameterCount], 1);
        const input = randomTensor([runs, batch, inputWidth], 2);
        const spectralLayer = layers.findIndex((l) => l.type === "linear" && l.spectralNorm);
        const spectral = layers.map((layer, index) =>
          index === spectralLayer && layer.type === "linear"
            ? {
              u: tf.div(tf.ones([runs, layer.out, 1]), Math.sqrt(layer.out)),
              v: tf.div(tf.ones([runs, layer.in, 1]), Math.sqrt(layer.in)),
            }
            : undefined
        );
        const pass = forward(network, packed, input, spectral);
        const outputWidth = pass.output.shape[2]!;
        const upstream = randomTensor([runs, batch, outputWidth], 3);
        const expected = backward(network, pass, upstream, { parameters: true, input: true });

        // The fused layout: features [width, R·B], parameters [P, R].
        const fused = fusedNetwork(network, runs, batch, inputWidth);
        const size = network.parameterCount;
        const parameters = toParameterMajor(packed.dataSync(), size);
        const vectors = spectral.map((s) =>
          s && { u: s.u.dataSync() as Float32Array, v: s.v.dataSync() as Float32Array }
        );
        const output = fused.forward(toFeatures(input.dataSync(), inputWidth), parameters, vectors);
        toFeatures(upstream.dataSync(), outputWidth, fused.gradients[layers.length]);
        fused.backward(parameters, layers.length - 1, { parameters: true, input: true });

        const errors = {
          output: relativeError(toSamples(output, outputWidth), pass.output.dataSync()),
          input: relativeError(
            toSamples(fused.gradients[0], inputWidth),
            expected.input!.dataSync(),
          ),
          parameters: size
            ? relativeError(
              toRunMajor(fused.parameterGradient, size),
              expected.parameters!.dataSync(),
            )
            : 0,
        };
        // Through a normalisation the two part a little more: the fused layer norm subtracts the
        // mean, the reference multiplies by the centring matrix I − 1/n (measured up to 1.01e-6
        // through the seed's two LayerNorms).
        const normalised = layers.some((l) => l.type === "layer_norm" || l.type === "batch_norm");
        const tolerance = normalised ? 2 * TOLERANCE : TOLERANCE;
        for (const [what, error] of Object.entries(errors)) {
          assert(error <= tolerance, `${what}: relative error ${error}`);
        }
        if (spectralLayer >= 0) {
          const next = advanceSpectral(network, pass.parameters, spectral);
          fused.advanceSpectral(parameters, vectors);
          for (const pick of ["u", "v"] as const) {
            const error = relativeError(
              vectors[spectralLayer]![pick],
              next[spectralLayer]![pick].dataSync(),
            );
            assert(error <= TOLERANCE, `power iteration ${pick}: relative error ${error}`);
          }
        }
      });
    });
  }
}

/** One network per layer kind, typed by the registry: a new kind does not compile until it has one. */
const EVERY_KIND: { [T in LayerType]: [layers: Layer[], inputWidth: number] } = {
  linear: [[linear(4, 3)], 4],
  sigmoid: [[linear(4, 3), sigmoid()], 4],
  tanh: [[linear(4, 3), tanh()], 4],
  relu: [[linear(4, 5), relu()], 4],
  leaky_relu: [[linear(4, 5), leakyRelu(0.02)], 4],
  silu: [[linear(4, 5), silu()], 4],
  layer_norm: [[linear(4, 3), layerNorm(3)], 4],
  batch_norm: [[linear(4, 3), batchNorm(3)], 4],
  scale: [[linear(4, 3), scale(3, -1.3), tanh()], 4],
};
for (const [name, [layers, inputWidth]] of Object.entries(EVERY_KIND)) {
  checkLayers(name, layers, inputWidth);
}
checkLayers("spectrally normalised linear", [spectralLinear(4, 3), sigmoid()], 4);
checkLayers("the seed's discriminator", [
  linear(6, 3),
  sigmoid(),
  layerNorm(3),
  linear(3, 3),
  sigmoid(),
  layerNorm(3),
  linear(3, 1),
  sigmoid(),
], 6);
checkLayers("an activation before the first linear layer", [sigmoid(), linear(2, 2)], 2);
