import { beforeAll, describe, expect, it } from 'vitest';
import { ModelCache, runTask } from '../src-main/core/inference/inference-jobs.ts';
import { resolveCheckpoint } from '../src-main/core/inference/resolve-checkpoint.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/**
 * The playground's "what if" prefix is joined into text by the run's own pipeline in the core
 * (playground.detokenize), not re-implemented in the view: its join left the char level's space
 * marker in the text ("आप▁कैसे") and spaced word-level punctuation ("कैसे हैं ?").
 */
let db: Db;
beforeAll(() => {
  ({ db } = tempDb());
});

async function detokenize(level: 'word' | 'char' | 'bpe', tokens: string[]): Promise<unknown> {
  const { runId } = await makeRun(db, { level, bpe_merges: 20 });
  const model = { runId, checkpoint: resolveCheckpoint(db, runId, 'best') };
  return runTask(new ModelCache(), { kind: 'detokenize', model, tokens });
}

describe('what-if prefixes are text as the run writes it', () => {
  it('char level: the space marker becomes a space', async () => {
    expect(await detokenize('char', ['आ', 'प', '▁', 'क', 'ै', 'स', 'े'])).toBe('आप कैसे');
  });

  it('word level: punctuation attaches as the pipeline attaches it', async () => {
    expect(await detokenize('word', ['कैसे', 'हैं', '?'])).toBe('कैसे हैं?');
  });

  it('bpe: pieces join into words', async () => {
    expect(await detokenize('bpe', ['नम@@', 'स्ते', 'दोस्त'])).toBe('नमस्ते दोस्त');
  });
});
