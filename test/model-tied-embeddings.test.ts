import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig, type RunConfigInput } from '../src-main/common/config.ts';
import { modelLayout } from '../src-main/core/export/model-layout.ts';
import { buildModel } from '../src-main/core/model/build.ts';
import { modelConfigIssues } from '../src-main/core/model/config-rules.ts';
import { TextPipeline } from '../src-main/core/text/pipeline.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../src-main/core/train/checkpoint.ts';
import { sequenceCrossEntropy } from '../src-main/core/train/loss.ts';

/** tied_embeddings: one embedding table for source and target (JoeyNMT's name), with or without tied_softmax. */
const V = 12;
const TINY: Partial<RunConfigInput> = {
  embedding_dim: 8,
  hidden_size: 8,
  num_heads: 2,
  ff_size: 16,
  dropout: 0,
  joint_vocab: true,
  tied_embeddings: true,
};
const VARIANTS: Record<string, Partial<RunConfigInput>> = {
  'transformer, tied softmax': { model_type: 'transformer', tied_softmax: true },
  transformer: { model_type: 'transformer' },
  'lstm bahdanau, tied softmax': { attention: 'bahdanau', tied_softmax: true },
  'gru, no attention': { rnn_type: 'gru', attention: 'none', init_hidden: 'last', bidirectional: false },
};
const config = (over: Partial<RunConfigInput>) => buildRunConfig({ overrides: { dataset: 'x', ...TINY, ...over } });

beforeAll(async () => {
  await initBackend('cpu');
});

describe('tied_embeddings', () => {
  it.each(Object.entries(VARIANTS))('%s: one table, as the export layout lists it', (_, over) => {
    const c = config(over);
    const model = buildModel(c, V, V, 1);
    const names = [...model.variables.keys()];
    expect(names).toContain('src_embed/weight');
    expect(names).not.toContain('trg_embed/weight');
    expect(names.includes('decoder/output_layer/kernel')).toBe(!c.tied_softmax);
    const built = Object.fromEntries([...model.variables].map(([n, v]) => [n, v.shape]));
    expect(Object.fromEntries(modelLayout(c, V, V).map((p) => [p.name, p.shape]))).toEqual(built);
    model.dispose();
  });

  it.each(Object.entries(VARIANTS))('%s: a token seen only on the target side trains the shared table', (_, over) => {
    const model = buildModel(config(over), V, V, 1);
    const table = model.variables.get('src_embed/weight') as tf.Variable;
    const src = tf.tensor2d([[4, 5, 6]], [1, 3], 'int32');
    const trgIn = tf.tensor2d([[1, 9, 10]], [1, 3], 'int32'); // <sos> 9 10
    const trgOut = tf.tensor2d([[9, 10, 2]], [1, 3], 'int32'); // 9 10 <eos>
    const { grads } = tf.variableGrads(
      () => sequenceCrossEntropy(model.forward(src, trgIn, true).logits, trgOut).sum,
      [table],
    );
    const rows = tf.sum(tf.abs(grads[table.name]), 1).arraySync() as number[]; // [V]
    expect(rows[9]).toBeGreaterThan(0); // fed to the decoder only
    expect(rows[4]).toBeGreaterThan(0); // read by the encoder only
    model.dispose();
  });

  it('needs joint_vocab, and one vocabulary size', () => {
    expect(modelConfigIssues(config({ joint_vocab: false })).map((i) => i.key)).toEqual(['tied_embeddings']);
    expect(() => buildModel(config({ model_type: 'transformer' }), V, V + 1, 1)).toThrow(/one vocabulary/);
    expect(() => buildModel(config({}), V, V + 1, 1)).toThrow(/one vocabulary/);
  });

  it('a checkpoint stores the one table and loads into a model that translates the same', async () => {
    const pairs = [
      { source: 'a house', target: 'घर' },
      { source: 'the house', target: 'एक घर' },
    ];
    const c = config({ model_type: 'transformer', tied_softmax: true, level: 'word' });
    const pipeline = TextPipeline.fit(pairs, c);
    const model = buildModel(c, pipeline.srcVocab.size, pipeline.trgVocab.size, 3);
    const dir = join(mkdtempSync(join(tmpdir(), 'tied-')), 'ckpt-1');
    await saveCheckpoint(dir, { model, pipeline, config: c, meta: { runId: null, step: 1, epoch: 1 } });
    const names = (
      JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON
    ).weightsManifest.flatMap((g) => g.weights.map((w) => w.name));
    expect(names.filter((n) => n.includes('embed'))).toEqual(['src_embed/weight']);
    const loaded = loadCheckpoint(dir);
    const src = tf.tensor2d([pipeline.encodeSource('the house')], undefined, 'int32');
    const trgIn = tf.tensor2d([[1, ...pipeline.encodeTarget('एक घर')]], undefined, 'int32');
    const a = model.forward(src, trgIn, false).logits.arraySync();
    const b = loaded.model.forward(src, trgIn, false).logits.arraySync();
    expect(b).toEqual(a);
    model.dispose();
    loaded.model.dispose();
  });
});
