// The training step both training benches time: a preset's model on fixed pseudo-random batches of the
// Tatoeba LSTM shape (batch 64, vocab 2000/3000, 10+10 tokens), loss, gradients, clipping and Adam as the
// trainer does them. Call after initBackend.
import * as tf from '@tensorflow/tfjs-core';
import { buildRunConfig } from '../../src-main/common/config.ts';
import { buildModel } from '../../src-main/core/model/build.ts';
import { buildOptimizer } from '../../src-main/core/train/builders.ts';
import { sequenceCrossEntropy } from '../../src-main/core/train/loss.ts';
import { clipByGlobalNorm } from '../../src-main/core/train/optimizers.ts';

export const [SV, TV, B, S, T] = [2000, 3000, 64, 10, 10];

/** One update per call; `tokens` is the target tokens each call trains on. */
export function makeTrainStep(preset = 'tatoeba-lstm'): { step: () => Promise<void>; tokens: number } {
  const config = buildRunConfig({ preset, overrides: { dataset: 'bench', dropout: 0 } });
  const model = buildModel(config, SV, TV, 1);
  const optimizer = buildOptimizer(config);
  const ids = (n: number, vocab: number) => Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + 13) % (vocab - 4)));
  const src = tf.tensor2d(ids(B * S, SV), [B, S], 'int32');
  const trgIn = tf.tensor2d(ids(B * T, TV), [B, T], 'int32');
  const trgOut = tf.tensor2d(ids(B * T, TV).reverse(), [B, T], 'int32');
  const keys = new Map([...model.variables].map(([k, v]) => [v.name, k]));
  const step = async () => {
    const loss = () => tf.div(sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut).sum, B * T) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, [...model.variables.values()]);
    const named: tf.NamedTensorMap = {};
    for (const [n, g] of Object.entries(grads)) named[keys.get(n) ?? n] = g;
    const clipped = await clipByGlobalNorm(named, 1);
    optimizer.apply(model.variables, clipped.grads, 1e-3);
    await value.data();
    tf.dispose([value, ...Object.values(grads), ...Object.values(clipped.grads)]);
  };
  return { step, tokens: B * T };
}
