import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../src-main/common/contract.ts';
import { exportModel } from '../src-main/core/export/model-export.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/** Model import and scoring in the app (models.import, metrics.score): what `import model` and `score` do. */
let db: Db;
let service: WorkbenchService;
let zip = '';

beforeAll(async () => {
  let dbPath: string;
  ({ db, dbPath } = tempDb());
  const { runId } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 1 }]);
  zip = join(mkdtempSync(join(tmpdir(), 'wb-up-')), 'fixture-model.zip');
  exportModel(db, runId, zip);
  service = new WorkbenchService({ db, dbPath, door: 'browser', emit: () => {}, runQueue: false });
});
afterAll(() => service?.close());

describe('models.import', () => {
  it('registers an uploaded export as an imported run with its checkpoint', async () => {
    const base64 = readFileSync(zip).toString('base64');
    const input = { fileName: 'fixture-model.zip', base64 };
    const run = (await service.dispatch('models.import', input)) as Output<'models.import'>;
    expect(run).toMatchObject({ status: 'imported', name: expect.stringContaining('imported') });
    const detail = (await service.dispatch('runs.get', { id: run.id })) as Output<'runs.get'>;
    expect(detail.checkpoints.map((c) => c.kind)).toEqual(['imported']);
  });

  it('refuses what is not a model export, registering nothing', async () => {
    const before = ((await service.dispatch('runs.list', {})) as unknown[]).length;
    const junk = Buffer.from('not a zip').toString('base64');
    const notZip = service.dispatch('models.import', { fileName: 'notes.txt', base64: junk });
    await expect(notZip).rejects.toThrow(/upload the \.zip/);
    await expect(service.dispatch('models.import', { fileName: 'x.zip', base64: junk })).rejects.toThrow();
    expect(((await service.dispatch('runs.list', {})) as unknown[]).length).toBe(before);
  });
});

describe('metrics.score', () => {
  it('scores as workbench score does, and refuses texts of different lengths', async () => {
    const refs = 'आप कैसे हैं?\r\nधन्यवाद।\n';
    const input = { hypotheses: refs, references: refs };
    const same = (await service.dispatch('metrics.score', input)) as Output<'metrics.score'>;
    expect(same.sentences).toBe(2);
    expect(same.bleu).toBeCloseTo(100, 6);
    expect(same.chrf).toBeCloseTo(100, 6);
    expect(same.bleuSignature).toMatch(/tok:intl/);
    const other = { hypotheses: 'आप कैसे?\nधन्यवाद।', references: refs, tokenize: '13a' };
    const r = (await service.dispatch('metrics.score', other)) as Output<'metrics.score'>;
    expect(r.bleu).toBeLessThan(100);
    expect(r.bleuSignature).toMatch(/tok:13a/);
    const uneven = service.dispatch('metrics.score', { hypotheses: 'a\nb\nc', references: refs });
    await expect(uneven).rejects.toThrow(/3 lines, the references 2/);
  });
});
