import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src-main/common/config.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { pairModelScores, scorePairs } from '../src-main/core/data/pair-scores.ts';
import { editPairs, listPairs } from '../src-main/core/data/pairs.ts';
import { forcedScores } from '../src-main/core/inference/forced-score.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { createRun } from '../src-main/core/store/runs.ts';
import { initBackend } from '../src-main/core/tf/backend.ts';
import { EOS_ID, SOS_ID } from '../src-main/core/text/vocab.ts';
import { makeRun, PAIRS, tempDb } from './inference-fixtures.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('forcedScores', () => {
  it('is the sum of the gold log-probabilities step by step, the same alone or in a batch', async () => {
    const { db } = tempDb();
    const { runId } = await makeRun(db);
    const t = await loadTranslator(db, runId, 'best', 'cpu');
    const scores = await forcedScores(t.model, t.pipeline, PAIRS);
    for (const i of [0, 3, 6]) {
      const src = t.pipeline.encodeSource(PAIRS[i].source);
      const gold = [...t.pipeline.encodeTarget(PAIRS[i].target), EOS_ID];
      // The decoder's own step function, one token at a time: what beam search scores a hypothesis with.
      const stepwise = tf.tidy(() => {
        const enc = t.model.encode(tf.tensor2d([src], [1, src.length], 'int32'), false);
        let state = t.model.initState(enc);
        let prev = SOS_ID;
        let sum = 0;
        for (const y of gold) {
          const out = t.model.step(tf.tensor1d([prev], 'int32'), state, enc, false);
          sum += tf.logSoftmax(out.logits).arraySync()[0][y];
          state = out.state;
          prev = y;
        }
        return sum;
      });
      expect(scores[i].tokens).toBe(gold.length);
      expect(scores[i].logProb).toBeCloseTo(stepwise, 3);
      expect(scores[i].logProb).toBeLessThan(0);
    }
    const alone = await forcedScores(t.model, t.pipeline, [PAIRS[3]]);
    expect(alone[0].logProb).toBeCloseTo(scores[3].logProb, 4);
  });
});

/** A scorer whose numbers are known: log-probability minus the source's length, one token. */
const byLength = async (pairs: ReadonlyArray<{ source: string; target: string }>) =>
  pairs.map((p) => ({ logProb: -p.source.length, tokens: 1 }));

async function tutorial(): Promise<{ db: Db; datasetId: number; runId: number }> {
  const db = openDb(':memory:');
  const ds = await getDatasetByName(db, 'builtin:tutorial');
  const run = createRun(db, { config: parseRunConfig({ dataset: ds.name }), datasetId: ds.id });
  return { db, datasetId: ds.id, runId: run.id };
}

describe('scorePairs and pairModelScores', () => {
  it('stores each pair score, reads it back, marks an edited pair stale, and sorts the pair table by it', async () => {
    const { db, datasetId, runId } = await tutorial();
    const progress: Array<[number, number]> = [];
    const result = await scorePairs(db, runId, datasetId, {
      checkpoint: 'best',
      scoreChunk: byLength,
      onProgress: (done, total) => progress.push([done, total]),
      chunk: 4,
    });
    const pairs = listPairs(db, datasetId, { limit: 100 }).rows;
    expect(result.scored).toBe(pairs.length);
    expect(progress).toEqual([
      [4, pairs.length],
      [pairs.length, pairs.length],
    ]);
    const scores = pairModelScores(db, runId, datasetId);
    for (const p of pairs) expect(scores.get(p.id)).toMatchObject({ score: -p.source.length, stale: false });

    editPairs(db, datasetId, 'fix', [{ op: 'update', pairId: pairs[0].id, target: 'बदला' }]);
    expect(pairModelScores(db, runId, datasetId).get(pairs[0].id)?.stale).toBe(true);
    expect(pairModelScores(db, runId, datasetId).get(pairs[1].id)?.stale).toBe(false);

    // Lowest first (the longest source here); a pair without a score last, in either direction.
    db.prepare('DELETE FROM pair_model_scores WHERE pair_id = ?').run(pairs[2].id);
    const sorted = (desc: boolean) =>
      listPairs(db, datasetId, { sort: 'model_score', runId, desc, limit: 100 }).rows.map((r) => r.id);
    const scored = pairs.filter((p) => p.id !== pairs[2].id);
    const ascending = [...scored].sort((a, b) => b.source.length - a.source.length || a.id - b.id).map((p) => p.id);
    expect(sorted(false)).toEqual([...ascending, pairs[2].id]);
    expect(sorted(true).at(-1)).toBe(pairs[2].id);
    expect(() => listPairs(db, datasetId, { sort: 'model_score' })).toThrow(/needs a run/);
  });

  it('stops at the next chunk when cancelled, keeping the pairs it scored', async () => {
    const { db, datasetId, runId } = await tutorial();
    const stop = new AbortController();
    const run = scorePairs(db, runId, datasetId, {
      checkpoint: 'best',
      chunk: 2,
      signal: stop.signal,
      scoreChunk: byLength,
      onProgress: (done) => done >= 2 && stop.abort(),
    });
    await expect(run).rejects.toThrow(/cancelled after 2 pairs/);
    expect(pairModelScores(db, runId, datasetId).size).toBe(2);
  });
});
