// The training step the training benches time: a preset's model on fixed pseudo-random batches, loss,
// gradients, clipping and Adam as the trainer does them. Call after initBackend.
// Shapes: the Tatoeba one (batch 64, vocab 2000/3000, 10+10 tokens) for the tutorial presets, and
// `real-data`: the Transformer the real-data recipe trains (d 256, 3+3 layers, ff 1024, 4 heads, BPE
// vocab 10000/10000, a token batch of 3000 target tokens as 100 sentences of 30+30 tokens).
import * as tf from '@tensorflow/tfjs-core';
import { buildRunConfig } from '../../src-main/common/config.ts';
import { buildModel } from '../../src-main/core/model/build.ts';
import { buildOptimizer } from '../../src-main/core/train/builders.ts';
import { sequenceCrossEntropy } from '../../src-main/core/train/loss.ts';
import { clipByGlobalNorm } from '../../src-main/core/train/optimizers.ts';

export const [SV, TV, B, S, T] = [2000, 3000, 64, 10, 10];

export interface BenchShape {
  /** the preset the model comes from, and what the shape changes in it */
  preset: string;
  overrides: Record<string, unknown>;
  srcVocab: number;
  trgVocab: number;
  batch: number;
  srcLen: number;
  trgLen: number;
}

/** Named shapes (`--preset=NAME` in the benches): a preset name alone means the Tatoeba shape. */
export const BENCH_SHAPES: Record<string, BenchShape> = {
  'real-data': {
    preset: 'tatoeba-transformer',
    overrides: { hidden_size: 256, embedding_dim: 256, num_layers: 3, ff_size: 1024, num_heads: 4, label_smoothing: 0.1 },
    srcVocab: 10000,
    trgVocab: 10000,
    batch: 100,
    srcLen: 30,
    trgLen: 30,
  },
};

export function benchShape(name: string): BenchShape {
  return BENCH_SHAPES[name] ?? { preset: name, overrides: {}, srcVocab: SV, trgVocab: TV, batch: B, srcLen: S, trgLen: T };
}

/** One update per call; `tokens` is the target tokens each call trains on. */
export function makeTrainStep(preset = 'tatoeba-lstm'): { step: () => Promise<void>; tokens: number } {
  const shape = benchShape(preset);
  const { batch, srcLen, trgLen, srcVocab, trgVocab } = shape;
  const config = buildRunConfig({ preset: shape.preset, overrides: { dataset: 'bench', dropout: 0, ...shape.overrides } });
  const model = buildModel(config, srcVocab, trgVocab, 1);
  const optimizer = buildOptimizer(config);
  const ids = (n: number, vocab: number) => Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + 13) % (vocab - 4)));
  const src = tf.tensor2d(ids(batch * srcLen, srcVocab), [batch, srcLen], 'int32');
  const trgIn = tf.tensor2d(ids(batch * trgLen, trgVocab), [batch, trgLen], 'int32');
  const trgOut = tf.tensor2d(ids(batch * trgLen, trgVocab).reverse(), [batch, trgLen], 'int32');
  const keys = new Map([...model.variables].map(([k, v]) => [v.name, k]));
  const smoothing = config.label_smoothing;
  const step = async () => {
    const loss = () =>
      tf.div(sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut, smoothing).sum, batch * trgLen) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, [...model.variables.values()]);
    const named: tf.NamedTensorMap = {};
    for (const [n, g] of Object.entries(grads)) named[keys.get(n) ?? n] = g;
    const clipped = await clipByGlobalNorm(named, 1);
    optimizer.apply(model.variables, clipped.grads, 1e-3);
    await value.data();
    tf.dispose([value, ...Object.values(grads), ...Object.values(clipped.grads)]);
  };
  return { step, tokens: batch * trgLen };
}
