// Child process of test/tf-backends.test.ts: one backend per process (tfjs backends are global).
// Prints the losses of a few training steps of a small attention model and matmul checks as JSON.
import * as tf from '@tensorflow/tfjs-core';
import { buildRunConfig } from '../../src-main/common/config.ts';
import { buildModel } from '../../src-main/core/model/build.ts';
import { initBackend, type BackendPreference } from '../../src-main/core/tf/backend.ts';
import { buildOptimizer } from '../../src-main/core/train/builders.ts';
import { sequenceCrossEntropy } from '../../src-main/core/train/loss.ts';

const backend = process.argv[2] as BackendPreference;
const info = await initBackend(backend);
const ints = (n: number, v: number, salt: number) =>
  Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + salt) % (v - 4)));
const vals = (n: number, salt: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + salt));

// Matmuls with every transpose combination and a batch dimension, big enough for BLAS.
const products = [];
for (const [ta, tb] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const) {
  const a = tf.tensor3d(vals(2 * 48 * 40, 1), ta ? [2, 40, 48] : [2, 48, 40]);
  const b = tf.tensor3d(vals(2 * 40 * 56, 2), tb ? [2, 56, 40] : [2, 40, 56]);
  products.push(Array.from(tf.matMul(a, b, ta, tb).dataSync()));
}
// Exp and sums over leading axes (bias gradients), which wasm-blas routes to the addon: big enough for it.
const big = tf.tensor3d(vals(2 * 48 * 400, 3), [2, 48, 400]);
products.push(Array.from(tf.sum(big, [0, 1]).dataSync()), Array.from(tf.sum(big, 0, true).dataSync()).slice(0, 500));
products.push(Array.from(tf.exp(big).dataSync()).filter((_, i) => i % 37 === 0));

const config = buildRunConfig({
  overrides: {
    dataset: 'x',
    embedding_dim: 32,
    hidden_size: 48,
    attention: 'bahdanau',
    bidirectional: true,
    dropout: 0,
    learning_rate: 0.01,
  },
});
const model = buildModel(config, 60, 70, 3);
const optimizer = buildOptimizer(config);
const src = tf.tensor2d(ints(8 * 7, 60, 1), [8, 7], 'int32');
const trgIn = tf.tensor2d(ints(8 * 6, 70, 2), [8, 6], 'int32');
const trgOut = tf.tensor2d(ints(8 * 6, 70, 3), [8, 6], 'int32');
const keys = new Map([...model.variables].map(([k, v]) => [v.name, k]));
const losses: number[] = [];
for (let step = 0; step < 5; step++) {
  const { value, grads } = tf.variableGrads(
    () => tf.div(sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut).sum, 48) as tf.Scalar,
    [...model.variables.values()],
  );
  const named: tf.NamedTensorMap = {};
  for (const [n, g] of Object.entries(grads)) named[keys.get(n) ?? n] = g;
  optimizer.apply(model.variables, named, 0.01);
  losses.push(value.dataSync()[0]);
}
process.stdout.write(JSON.stringify({ backend: info.name, losses, products }) + '\n');
