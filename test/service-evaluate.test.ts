import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src-main/common/contract.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { ensureSplit } from '../src-main/core/data/splits.ts';
import { evaluateRun, listEvaluations } from '../src-main/core/inference/evaluate.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/** Evaluate in the app (runs.evaluate): a part of the run's own split, scored and stored as the CLI stores it. */
let db: Db;
let service: WorkbenchService;
let withSplit = 0;
let withoutSplit = 0;
let testPairs = 0;

beforeAll(async () => {
  let dbPath: string;
  ({ db, dbPath } = tempDb());
  ({ runId: withSplit } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 1 }]));
  ({ runId: withoutSplit } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 2 }]));
  // The fixture's run as if it had trained on builtin:sample's default split.
  const dataset = await getDatasetByName(db, 'builtin:sample');
  const split = ensureSplit(db, dataset.id, 'default', { seed: 1, valid_ratio: 0.1, test_ratio: 0.1 });
  testPairs = split.counts.test;
  db.prepare('UPDATE runs SET split_id = ?, dataset_id = ? WHERE id = ?').run(split.id, dataset.id, withSplit);
  service = new WorkbenchService({ db, dbPath, door: 'browser', emit: () => {}, runQueue: false });
});
afterAll(() => service?.close());

describe('runs.evaluate', () => {
  it("scores the test part of the run's split and stores it with where it came from", async () => {
    const input = { runId: withSplit, maxSentences: 12 };
    const r = (await service.dispatch('runs.evaluate', input)) as Output<'runs.evaluate'>;
    expect(r).toMatchObject({ sentences: 12, srcPath: `split default/test (first 12 of ${testPairs})` });
    expect(r.signature).toMatch(/^nrefs:1\|/);
    expect(Number.isFinite(r.bleu) && Number.isFinite(r.chrf)).toBe(true);
    expect((r.decoding as { beam_size: number }).beam_size).toBe(1);
    const detail = (await service.dispatch('runs.get', { id: withSplit })) as Output<'runs.get'>;
    expect(detail.evaluations.map((e) => e.id)).toContain(r.id);
    expect(detail.test?.bleu).toBe(r.bleu);
  }, 60_000);

  it("the CLI's evaluate without files scores the same part the same way (one core: evaluateRun)", async () => {
    const app = (await service.dispatch('runs.evaluate', {
      runId: withSplit,
      maxSentences: 12,
    })) as Output<'runs.evaluate'>;
    const cli = await evaluateRun(db, await loadTranslator(db, withSplit), { part: 'test', maxSentences: 12 });
    expect(cli).toMatchObject({ sentences: 12, bleu: app.bleu, chrf: app.chrf, signature: app.signature });
    const stored = listEvaluations(db, withSplit).find((e) => e.id === cli.id);
    expect(stored).toMatchObject({ srcPath: app.srcPath, refPath: app.refPath });
  }, 60_000);

  it('a run without a split is refused in words, not evaluated on something else', async () => {
    const noSplit = /has no data split.*workbench evaluate --src/;
    await expect(service.dispatch('runs.evaluate', { runId: withoutSplit })).rejects.toThrow(noSplit);
    await expect(service.dispatch('runs.evaluate', { runId: withSplit, part: 'train' })).rejects.toThrow(/part/);
  });
});
