import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output, WorkbenchEvent } from '../src-main/common/contract.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { ensureSplit } from '../src-main/core/data/splits.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/** The model-stats channels through the service: scoring in the inference process, slices of an app evaluation. */
let db: Db;
let service: WorkbenchService;
let runId = 0;
const events: WorkbenchEvent[] = [];

beforeAll(async () => {
  let dbPath: string;
  ({ db, dbPath } = tempDb());
  ({ runId } = await makeRun(db));
  const sample = await getDatasetByName(db, 'builtin:sample');
  const split = ensureSplit(db, sample.id, 'default', { seed: 1, valid_ratio: 0.1, test_ratio: 0.1 });
  db.prepare('UPDATE runs SET split_id = ?, dataset_id = ? WHERE id = ?').run(split.id, sample.id, runId);
  await getDatasetByName(db, 'builtin:tutorial');
  service = new WorkbenchService({ db, dbPath, door: 'browser', emit: (e) => events.push(e), runQueue: false });
});
afterAll(() => service?.close());

describe('model-stats channels', () => {
  it(
    'datasets.scorePairs scores every pair in the inference ' + 'process, with progress; pairs.list sorts by it',
    async () => {
      const input = { name: 'builtin:tutorial', runId, jobId: 'score-1' };
      const r = (await service.dispatch('datasets.scorePairs', input)) as Output<'datasets.scorePairs'>;
      expect(r).toMatchObject({ runId, datasetName: 'builtin:tutorial', scored: 6 });
      expect(r.checkpoint).toMatch(/^best \(step 10\)$/);
      expect(r.mean).toBeLessThan(0);
      const progress = events.filter((e) => e.type === 'job.progress' && e.jobId === 'score-1');
      expect(progress.at(-1)).toMatchObject({ rows: 6, fraction: 1 });
      const list = { name: 'builtin:tutorial', sort: 'model_score', runId, limit: 10 };
      const page = (await service.dispatch('pairs.list', list)) as Output<'pairs.list'>;
      const scores = db
        .prepare('SELECT pair_id, score FROM pair_model_scores WHERE run_id = ? ORDER BY score, pair_id')
        .all(runId) as Array<{ pair_id: number }>;
      expect(page.rows.map((p) => p.id)).toEqual(scores.map((s) => s.pair_id));
      const noRun = { name: 'builtin:tutorial', sort: 'confidence' };
      await expect(service.dispatch('pairs.list', noRun)).rejects.toThrow(/needs a run/);
    },
    60_000,
  );

  it('an app evaluation keeps its sentences: runs.evaluationSentences, runs.slices, runs.sentenceHistory', async () => {
    await service.dispatch('runs.evaluate', { runId, maxSentences: 10 });
    const sentences = (await service.dispatch('runs.evaluationSentences', {
      runId,
    })) as Output<'runs.evaluationSentences'>;
    expect(sentences.total).toBe(10);
    expect(sentences.rows.every((s) => s.pairId !== null)).toBe(true);
    const slices = (await service.dispatch('runs.slices', { runId })) as Output<'runs.slices'>;
    expect(slices.slices[0]).toMatchObject({ kind: 'all', sentences: 10 });
    expect(slices.slices.filter((s) => s.kind === 'length').reduce((n, s) => n + s.sentences, 0)).toBe(10);
    const source = sentences.rows[0].source;
    const history = (await service.dispatch('runs.sentenceHistory', { source })) as Output<'runs.sentenceHistory'>;
    expect(history.entries).toContainEqual(expect.objectContaining({ runId, kind: 'evaluation', step: 10 }));
    const map = (await service.dispatch('datasets.cartography', {
      name: 'builtin:sample',
      runId,
    })) as Output<'datasets.cartography'>;
    expect(map).toMatchObject({ pairs: 0, regions: { easy: 0, ambiguous: 0, hard: 0 }, rows: [] });
  }, 60_000);
});
