/**
 * The baseline the engine is measured against: the seed's GAN ported to tfjs
 * the obvious way, `tf.sequential` layers and `optimizer.minimize`, one run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Trains the seed's GAN naively for `iterations` (tfjs's own initialisers); returns the last G loss. */
export function trainNaively(iterations: number): number {
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [6], units: 3, activation: "sigmoid" }),
      tf.layers.layerNormalization({ epsilon: 1e-5 }),
      tf.layers.dense({ units: 3, activation: "sigmoid" }),
      tf.layers.layerNormalization({ epsilon: 1e-5 }),
      tf.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
  const generatorLayers: tf.layers.Layer[] = [];
  for (const units of [3, 3, 3]) {
    generatorLayers.push(
      tf.layers.dense({ units, ...(generatorLayers.length ? {} : { inputShape: [1] }) }),
      tf.layers.leakyReLU({ alpha: 0.02 }),
      tf.layers.layerNormalization({ epsilon: 1e-5 }),
    );
  }
  generatorLayers.push(tf.layers.dense({ units: 6 }), tf.layers.leakyReLU({ alpha: 0.02 }));
  const generator = tf.sequential({ layers: generatorLayers });
  const optimiseD = tf.train.adam(0.001);
  const optimiseG = tf.train.adam(0.01);
  const bce = (p: tf.Tensor, target: 0 | 1) =>
    tf.neg(tf.mean(tf.maximum(tf.log(target ? p : tf.sub(1, p)), -100))) as tf.Scalar;
  const z = tf.tensor2d([[0.5]]);
  let last = NaN;
  for (let i = 0; i < iterations; i++) {
    tf.tidy(() => {
      const real = tf.tensor2d([[
        0.8 + 0.2 * Math.random(),
        0.2 * Math.random(),
        0.8 + 0.2 * Math.random(),
        0.2 * Math.random(),
        0.8 + 0.2 * Math.random(),
        0.2 * Math.random(),
      ]]);
      optimiseD.minimize(() => bce(discriminator.apply(real) as tf.Tensor, 1));
      const fake = generator.apply(z) as tf.Tensor;
      optimiseD.minimize(() => bce(discriminator.apply(fake) as tf.Tensor, 0));
      const loss = optimiseG.minimize(
        () => bce(discriminator.apply(generator.apply(z) as tf.Tensor) as tf.Tensor, 1),
        i === iterations - 1,
        generator.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      if (loss) last = loss.dataSync()[0];
    });
  }
  z.dispose();
  optimiseD.dispose();
  optimiseG.dispose();
  discriminator.dispose();
  generator.dispose();
  return last;
}
