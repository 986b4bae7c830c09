import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig, type RunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { Rng } from '../src-main/core/rng.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { updateGradients } from '../src-main/core/train/accumulate.ts';
import { epochBatches, makeBatch, type Example } from '../src-main/core/train/batching.ts';
import { buildOptimizer } from '../src-main/core/train/builders.ts';
import { Trainer, type StepReport } from '../src-main/core/train/trainer.ts';

/** batch_multiplier (gradient accumulation): N batches of b make the update one batch of N*b makes. */
const V = 14;
const TINY: Partial<RunConfigInput> = {
  embedding_dim: 8,
  hidden_size: 8,
  num_heads: 2,
  ff_size: 16,
  dropout: 0,
  emb_dropout: 0,
};
const config = (over: Partial<RunConfigInput>) => buildRunConfig({ overrides: { dataset: 'x', ...TINY, ...over } });

function examples(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  const ids = (len: number) => Array.from({ length: len }, () => 4 + rng.int(V - 4));
  return Array.from({ length: n }, (_, i) => ({ id: i, src: ids(1 + rng.int(7)), trg: ids(1 + rng.int(9)) }));
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('updateGradients over several batches', () => {
  const variants: Record<string, Partial<RunConfigInput>> = {
    'transformer, label smoothing, per-token loss': { model_type: 'transformer', label_smoothing: 0.1 },
    'lstm bahdanau, per-sentence loss': { attention: 'bahdanau', normalization: 'batch' },
    'gru, no attention': { rnn_type: 'gru', attention: 'none', init_hidden: 'last', bidirectional: false },
  };
  it.each(Object.entries(variants))(
    '%s: 2 batches of b give the gradients and the update of one batch of 2b',
    async (_, over) => {
      const c = config({ ...over, optimizer: 'adam', learning_rate: 0.01 });
      const data = examples(8, 3);
      const halves = [makeBatch(data, [0, 1, 2, 3]), makeBatch(data, [4, 5, 6, 7])];
      const whole = [makeBatch(data, [0, 1, 2, 3, 4, 5, 6, 7])];
      const a = buildModel(c, V, V, 5);
      const b = buildModel(c, V, V, 5);
      const split = await updateGradients(a, halves, c);
      const one = await updateGradients(b, whole, c);
      expect(split.nTokens).toBe(one.nTokens);
      expect(split.lossPerToken).toBeCloseTo(one.lossPerToken, 5);
      expect(Object.keys(split.grads).sort()).toEqual([...a.variables.keys()].sort());
      for (const [name, g] of Object.entries(split.grads)) {
        const diff = tf.max(tf.abs(tf.sub(g, one.grads[name]))).dataSync()[0];
        const scale = tf.max(tf.abs(one.grads[name])).dataSync()[0];
        expect(diff, name).toBeLessThanOrEqual(1e-5 + 1e-4 * scale);
      }
      // The same optimizer step from the same weights: the same weights after it.
      const [optA, optB] = [buildOptimizer(c), buildOptimizer(c)];
      optA.apply(a.variables, split.grads, 0.01);
      optB.apply(b.variables, one.grads, 0.01);
      for (const [name, v] of a.variables) {
        const diff = tf.max(tf.abs(tf.sub(v, b.variables.get(name) as tf.Variable))).dataSync()[0];
        expect(diff, name).toBeLessThan(1e-5);
      }
      for (const g of [...Object.values(split.grads), ...Object.values(one.grads)]) g.dispose();
      a.dispose();
      b.dispose();
    },
  );
});

describe('Trainer with batch_multiplier', () => {
  async function train(
    over: Partial<RunConfigInput>,
  ): Promise<{ steps: StepReport[]; planned: number; config: RunConfig }> {
    const c = config({
      model_type: 'transformer',
      batch_size: 3,
      max_epochs: 2,
      logging_freq: 1,
      max_valid_sents: 2,
      print_valid_sents: 0,
      ...over,
    });
    const pairs = [{ source: 'a b', target: 'x y' }];
    const pipeline = TextPipeline.fit(pairs, c);
    const model = buildModel(c, V, V, 1);
    const steps: StepReport[] = [];
    const valid = { examples: examples(2, 9), sources: ['a', 'b'], references: ['x', 'y'], sampleIdx: [] };
    const trainer = new Trainer({
      model,
      pipeline,
      config: c,
      train: examples(20, 4),
      valid,
      runDir: mkdtempSync(join(tmpdir(), 'wb-multiplier-')),
      callbacks: { onStep: (r) => steps.push(r) },
    });
    await trainer.run();
    const planned = trainer.plannedSteps;
    trainer.dispose();
    model.dispose();
    return { steps, planned, config: c };
  }

  it('updates once every batch_multiplier batches, and sees every target token of the epoch', async () => {
    const { steps, planned, config: c } = await train({ batch_multiplier: 3 });
    const opts = { batchSize: c.batch_size, batchType: c.batch_type, seed: c.random_seed, shuffle: true };
    const perEpoch = [1, 2].map((e) => epochBatches(examples(20, 4), e, opts));
    expect(perEpoch[0].length).toBe(7); // 20 sentences in batches of 3: 7 batches, so 3 updates an epoch
    expect(steps.length).toBe(6);
    expect(planned).toBe(6);
    const tokens = (plan: number[][]) => plan.reduce((n, idx) => n + makeBatch(examples(20, 4), idx).nTokens, 0);
    expect(steps.slice(0, 3).reduce((n, s) => n + s.tokens, 0)).toBe(tokens(perEpoch[0]));
    expect(steps.map((s) => s.epoch)).toEqual([3 / 7, 6 / 7, 1, 1 + 3 / 7, 1 + 6 / 7, 2]);
  });
});
