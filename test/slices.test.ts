import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { command as runsCommand } from '../src-main/cli/commands/runs.ts';
import { CliContext } from '../src-main/cli/context.ts';
import { parseRunConfig } from '../src-main/common/config.ts';
import { importDataset } from '../src-main/core/data/import.ts';
import { listPairs, tagPairs } from '../src-main/core/data/pairs.ts';
import { evaluateRun, scoreEvaluation } from '../src-main/core/inference/evaluate.ts';
import { evaluationSentences, sentenceChrf, sentenceHistory } from '../src-main/core/inference/sentence-history.ts';
import { lengthBucket, runSlices } from '../src-main/core/inference/slices.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import { corpusChrf } from '../src-main/core/metrics/chrf.ts';
import { addCheckpoint, listCheckpoints } from '../src-main/core/store/checkpoints.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { recordSamples } from '../src-main/core/store/run-metrics.ts';
import { createRun } from '../src-main/core/store/runs.ts';
import { makeRun, tempDb, writeTestSet } from './inference-fixtures.ts';

const PAIRS = [
  ['Hello.', 'नमस्ते।'],
  ['Hello.', 'नमस्ते।'], // a duplicate: the validator's "duplicate"
  ['Thank you very much for all the help you gave us.', 'आपकी सारी मदद के लिए बहुत धन्यवाद।'],
  ['I am fine.', 'मैं ठीक हूँ।'],
  ['The water is cold.', 'पानी ठंडा है।'],
];
const HYPS = ['नमस्ते।', 'नमस्ते', 'बहुत धन्यवाद।', 'मैं ठीक हूँ।', 'पानी गरम है।'];

async function evaluated() {
  const dir = mkdtempSync(join(tmpdir(), 'wb-slices-'));
  const file = join(dir, 'pairs.tsv');
  writeFileSync(file, PAIRS.map((p) => p.join('\t')).join('\n') + '\n');
  const db = openDb(join(dir, 'experiments.db'));
  const { datasetId } = await importDataset(db, { name: 'slices', files: [file] });
  const pairs = listPairs(db, datasetId, { limit: 10 }).rows;
  tagPairs(db, datasetId, [pairs[3].id, pairs[4].id], { add: ['checked'] });
  const config = parseRunConfig({ dataset: 'slices' });
  const run = createRun(db, { name: 'sliced', config, datasetId });
  const ckpt = { step: 30, epoch: 3, path: join(dir, 'ckpt-30'), kind: 'best' as const };
  addCheckpoint(db, run.id, { ...ckpt, metricName: 'bleu', metricValue: 1 });
  const checkpoint = listCheckpoints(db, run.id)[0];
  const e = scoreEvaluation(
    db,
    {
      runId: run.id,
      checkpoint,
      files: { src: 'split default/test', ref: 'split default/test' },
      sources: pairs.map((p) => p.source),
      pairIds: pairs.map((p) => p.id),
      refs: pairs.map((p) => p.target),
      hyps: HYPS,
      decoding: {} as never,
      seconds: 1,
    },
    config.sacrebleu_tokenize,
  );
  return { db, runId: run.id, evaluationId: e.id as number, pairs };
}

describe('per-sentence evaluation results', () => {
  it('keeps each hypothesis and its sentence chrF, worst first', async () => {
    const { db, runId, evaluationId, pairs } = await evaluated();
    const page = evaluationSentences(db, runId);
    expect(page).toMatchObject({ evaluationId, total: 5, offset: 0 });
    expect(page.rows[0].pairId).toBe(pairs[page.rows[0].idx].id);
    expect(page.rows.map((r) => r.chrf)).toEqual([...page.rows.map((r) => r.chrf)].sort((a, b) => a - b));
    expect(page.rows.find((r) => r.idx === 0)?.chrf).toBe(100);
    expect(sentenceChrf('पानी गरम है।', 'पानी ठंडा है।')).toBeLessThan(100);
    expect(() => evaluationSentences(db, runId, { evaluationId: evaluationId + 1 })).toThrow(/no evaluation/);
  });

  it("lists a sentence's translations across validations and evaluations of every run", async () => {
    const { db, runId } = await evaluated();
    const source = 'The water is cold.';
    recordSamples(db, runId, 10, [{ idx: 0, source, reference: 'पानी ठंडा है।', hypothesis: 'पानी' }]);
    recordSamples(db, runId, 20, [{ idx: 0, source, reference: 'पानी ठंडा है।', hypothesis: 'पानी ठंडा' }]);
    const other = createRun(db, { name: 'other', config: parseRunConfig({ dataset: 'slices' }) });
    recordSamples(db, other.id, 5, [{ idx: 2, source, reference: 'पानी ठंडा है।', hypothesis: 'ठंडा' }]);
    recordSamples(db, other.id, 5, [{ idx: 3, source: 'Hello.', reference: 'नमस्ते।', hypothesis: 'x' }]);
    const h = sentenceHistory(db, source);
    expect(h.entries.map((e) => [e.runId, e.kind, e.step, e.hypothesis])).toEqual([
      [runId, 'validation', 10, 'पानी'],
      [runId, 'validation', 20, 'पानी ठंडा'],
      [runId, 'evaluation', 30, 'पानी गरम है।'],
      [other.id, 'validation', 5, 'ठंडा'],
    ]);
    expect(h.entries[1].chrf).toBeGreaterThan(h.entries[0].chrf);
    expect(sentenceHistory(db, source, [other.id]).entries).toHaveLength(1);
  });

  it('stores the sentences of a file evaluation too (no pairs)', async () => {
    const { db, dir } = tempDb();
    const { runId } = await makeRun(db);
    const t = await loadTranslator(db, runId, 'best', 'cpu');
    const files = writeTestSet(dir);
    const e = await evaluateRun(db, t, files);
    const page = evaluationSentences(db, runId);
    expect(page.evaluationId).toBe(e.id);
    expect(page.total).toBe(e.sentences);
    expect(page.rows.every((r) => r.pairId === null)).toBe(true);
    expect(runSlices(db, runId).slices.map((s) => s.kind)).not.toContain('tag');
  });
});

describe('slices of a test set', () => {
  it('scores the whole set, each finding kind, each length bucket and each tag', async () => {
    const { db, runId, evaluationId, pairs } = await evaluated();
    const s = runSlices(db, runId);
    expect(s.evaluationId).toBe(evaluationId);
    const slice = (kind: string, name: string) => s.slices.find((x) => x.kind === kind && x.name === name);
    const chrfOf = (idx: number[]) =>
      corpusChrf(
        idx.map((i) => HYPS[i]),
        [idx.map((i) => pairs[i].target)],
      ).score;
    expect(slice('all', 'all')).toMatchObject({ sentences: 5 });
    expect(slice('all', 'all')?.chrf).toBeCloseTo(chrfOf([0, 1, 2, 3, 4]), 6);
    expect(slice('tag', 'checked')).toMatchObject({ sentences: 2 });
    expect(slice('tag', 'checked')?.chrf).toBeCloseTo(chrfOf([3, 4]), 6);
    expect(slice('finding', 'duplicate')?.sentences).toBe(1);
    expect(slice('length', '1-5 words')?.sentences).toBe(4);
    expect(slice('length', '11-20 words')?.sentences).toBe(1);
    expect(s.slices[0].kind).toBe('all');
    expect(lengthBucket('one two three four five six')).toBe('6-10 words');
  });
});

describe('runs slices / runs history (CLI)', () => {
  /** The runs command in this process, on the store of `db`: what it prints. */
  async function runs(db: { name: string }, ...args: string[]): Promise<string> {
    const out = new PassThrough();
    const ctx = new CliContext(db.name, out, new PassThrough(), false);
    try {
      await runsCommand.run(args, ctx);
    } finally {
      ctx.close();
    }
    return String(out.read() ?? '');
  }

  it('prints the slices and the sentence history the service answers, as text and --json', async () => {
    const { db, runId, evaluationId } = await evaluated();
    const json = JSON.parse(await runs(db, 'slices', String(runId), '--json')) as unknown;
    expect(json).toEqual(runSlices(db, runId));
    const text = await runs(db, 'slices', String(runId), '--evaluation', String(evaluationId));
    expect(text).toContain(`run ${runId} (sliced), evaluation ${evaluationId}`);
    expect(text).toMatch(/tag: checked\s+2\s/);
    const source = 'The water is cold.';
    recordSamples(db, runId, 10, [{ idx: 0, source, reference: 'पानी ठंडा है।', hypothesis: 'पानी' }]);
    const history = JSON.parse(await runs(db, 'history', source, '--runs', String(runId), '--json')) as unknown;
    expect(history).toEqual(sentenceHistory(db, source, [runId]));
    const lines = (await runs(db, 'history', source)).split('\n');
    expect(lines[0]).toBe(`"${source}": 2 translation(s)`);
    expect(lines[1]).toMatch(new RegExp(`run ${runId} sliced, step 10: chrF`));
    await expect(runs(db, 'slices')).rejects.toThrow(/give one run id/);
  });
});
