import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConfigInput } from '../src-main/common/config.ts';
import { exportModel } from '../src-main/core/export/model-export.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { projectRoot } from '../src-main/server/renderer-build.ts';
import { makeRun, PAIRS, tempDb } from './inference-fixtures.ts';

/**
 * examples/translate-with-tfjs.mjs decodes an exported model with @tensorflow/tfjs alone. It claims every
 * recurrent variant and every tokenization level: for each, its output must be the workbench's own greedy
 * translation, text for text (before, it refused all but the tutorial's LSTM).
 */
const exec = promisify(execFile);
const example = join(projectRoot, 'examples', 'translate-with-tfjs.mjs');
const SENTENCES = [...PAIRS.map((p) => p.source), 'an unseen word, "quoted" (and 3.14)!'];

const VARIANTS: Record<string, Partial<RunConfigInput>> = {
  'tutorial: lstm, no attention, init last': { bidirectional: false, attention: 'none', init_hidden: 'last' },
  'gru, bidirectional, bahdanau, bridge': {
    rnn_type: 'gru',
    bidirectional: true,
    attention: 'bahdanau',
    init_hidden: 'bridge',
  },
  'lstm 2 layers, luong general, input feeding, bpe': {
    num_layers: 2,
    attention: 'luong',
    luong_score: 'general',
    input_feeding: true,
    level: 'bpe',
    bpe_merges: 30,
  },
  'lstm, luong dot, tied softmax, zero init, char level': {
    bidirectional: false,
    attention: 'luong',
    luong_score: 'dot',
    input_feeding: false,
    tied_softmax: true,
    init_hidden: 'zero',
    level: 'char',
  },
  'gru 2 layers, no attention, bridge, repetition rules': {
    rnn_type: 'gru',
    num_layers: 2,
    attention: 'none',
    min_output_length: 3,
    repetition_penalty: 1.5,
    no_repeat_ngram_size: 2,
  },
  'lstm, joint bpe with a vocabulary filter, tied embeddings and softmax': {
    attention: 'bahdanau',
    joint_vocab: true,
    tied_embeddings: true,
    tied_softmax: true,
    level: 'bpe',
    bpe_merges: 60,
    src_voc_limit: 60,
    trg_voc_limit: 60,
  },
};

let db: Db;
let dir = '';
beforeAll(() => {
  ({ db, dir } = tempDb());
});

describe('examples/translate-with-tfjs.mjs', () => {
  it.each(Object.keys(VARIANTS))('%s: the same translations as the workbench', async (name) => {
    const { runId } = await makeRun(db, VARIANTS[name]);
    const out = join(dir, `export-${runId}`);
    exportModel(db, runId, out);
    const expected = (await (await loadTranslator(db, runId)).translate(SENTENCES, { beam_size: 1 })).map(
      (t) => t.hypotheses[0].text,
    );
    const { stdout } = await exec(process.execPath, [example, out, ...SENTENCES], { cwd: projectRoot });
    expect(stdout.split('\n').slice(0, -1)).toEqual(expected);
  });

  it('refuses a Transformer, saying what it covers', async () => {
    const { runId } = await makeRun(db, { model_type: 'transformer', num_heads: 2, ff_size: 16 });
    const out = join(dir, 'export-transformer');
    exportModel(db, runId, out);
    await expect(exec(process.execPath, [example, out, 'hello'], { cwd: projectRoot })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('this example decodes recurrent models only, not a transformer'),
    });
  });
});
