// The training step the training benches time: a preset's model on fixed pseudo-random batches, loss,
// gradients, clipping and Adam as the trainer does them. Call after initBackend.
// Shapes: the Tatoeba one (batch 64, vocab 2000/3000, 10+10 tokens) for the tutorial presets, and
// `real-data`: the Transformer the real-data recipe trains (d 256, 3+3 layers, ff 1024, 4 heads, BPE
// vocab 10000/10000, a token batch of 3000 target tokens as 100 sentences of 30+30 tokens), and
// `attention-long`: tatoeba-attention on 60+60-token sentences.
import * as tf from '@tensorflow/tfjs-core';
import { buildRunConfig, type RunConfig } from '../../src-main/common/config.ts';
import { buildModel } from '../../src-main/core/model/build.ts';
import { batchTensors, makeBatch, type Example } from '../../src-main/core/train/batching.ts';
import { buildOptimizer, buildScheduler } from '../../src-main/core/train/builders.ts';
import { lossNormalizer, sequenceCrossEntropy } from '../../src-main/core/train/loss.ts';
import { clipByGlobalNorm } from '../../src-main/core/train/optimizers.ts';
import type { BatchPlan } from './tatoeba-plan.ts';

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
  // Long sentences (real data's tail): where attention training's memory per target position shows.
  'attention-long': {
    preset: 'tatoeba-attention',
    overrides: {},
    srcVocab: SV,
    trgVocab: TV,
    batch: 64,
    srcLen: 60,
    trgLen: 60,
  },
  'real-data': {
    preset: 'tatoeba-transformer',
    overrides: {
      hidden_size: 256,
      embedding_dim: 256,
      num_layers: 3,
      ff_size: 1024,
      num_heads: 4,
      label_smoothing: 0.1,
    },
    srcVocab: 10000,
    trgVocab: 10000,
    batch: 100,
    srcLen: 30,
    trgLen: 30,
  },
};

export function benchShape(name: string): BenchShape {
  return (
    BENCH_SHAPES[name] ?? { preset: name, overrides: {}, srcVocab: SV, trgVocab: TV, batch: B, srcLen: S, trgLen: T }
  );
}

/** One update per call; `tokens` is the target tokens each call trains on. */
export function makeTrainStep(preset = 'tatoeba-lstm'): { step: () => Promise<void>; tokens: number } {
  const shape = benchShape(preset);
  const { batch, srcLen, trgLen, srcVocab, trgVocab } = shape;
  const config = buildRunConfig({
    preset: shape.preset,
    overrides: { dataset: 'bench', dropout: 0, ...shape.overrides },
  });
  const model = buildModel(config, srcVocab, trgVocab, 1);
  const optimizer = buildOptimizer(config);
  const ids = (n: number, vocab: number) =>
    Int32Array.from({ length: n }, (_, i) => 4 + ((i * 7919 + 13) % (vocab - 4)));
  const src = tf.tensor2d(ids(batch * srcLen, srcVocab), [batch, srcLen], 'int32');
  const trgIn = tf.tensor2d(ids(batch * trgLen, trgVocab), [batch, trgLen], 'int32');
  const trgOut = tf.tensor2d(ids(batch * trgLen, trgVocab).reverse(), [batch, trgLen], 'int32');
  const keys = new Map([...model.variables].map(([k, v]) => [v.name, k]));
  const smoothing = config.label_smoothing;
  const step = async () => {
    const loss = () =>
      tf.div(
        sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut, smoothing).sum,
        batch * trgLen,
      ) as tf.Scalar;
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

/**
 * The trainer's update (Trainer.trainStep) on a plan's batches in order (lib/tatoeba-plan.ts), the
 * preset's config as it trains (dropout, label smoothing, the scheduler's rate); each call trains on the
 * next batch and returns its real target tokens (<eos> included), the unit of tokens/s, and its summed
 * loss (the normalised loss times the normaliser: summed over an epoch and divided by its tokens, the
 * loss per token the trainer logs).
 */
export function makePlanStep(config: RunConfig, plan: BatchPlan): () => Promise<{ tokens: number; lossSum: number }> {
  const model = buildModel(config, plan.srcVocab, plan.trgVocab, config.random_seed);
  const optimizer = buildOptimizer(config);
  const scheduler = buildScheduler(config);
  const examples: Example[] = plan.examples.map(([src, trg], id) => ({ id, src, trg }));
  const keys = new Map([...model.variables].map(([k, v]) => [v.name, k]));
  const vars = [...model.variables.values()];
  let n = 0;
  return async () => {
    const batch = makeBatch(examples, plan.batches[n++ % plan.batches.length]);
    const normalizer = lossNormalizer(config.normalization, batch.nTokens, batch.size);
    const t = batchTensors(batch);
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(t.src, t.trgIn, true, config.teacher_forcing_ratio);
      return tf.div(sequenceCrossEntropy(out.logits, t.trgOut, config.label_smoothing).sum, normalizer) as tf.Scalar;
    }, vars);
    const named: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) named[keys.get(name) ?? name] = g;
    const clipped = await clipByGlobalNorm(named, config.clip_grad_norm);
    optimizer.apply(model.variables, clipped.grads, scheduler.rateAt(n));
    const lossSum = (await value.data())[0] * normalizer;
    tf.dispose([value, t.src, t.trgIn, t.trgOut, ...Object.values(grads), ...Object.values(clipped.grads)]);
    return { tokens: batch.nTokens, lossSum };
  };
}
