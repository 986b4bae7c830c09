import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel, importModel } from '../src-main/core/export/model-export.ts';
import { evaluateRun } from '../src-main/core/inference/evaluate.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { listCheckpoints } from '../src-main/core/store/checkpoints.ts';
import { getRun, listRuns } from '../src-main/core/store/runs.ts';
import { makeRun, PAIRS, tempDb, writeTestSet } from './inference-fixtures.ts';

const exec = promisify(execFile);
let db: Db;
let dir = '';
let dbPath = '';
let rnnRun = 0;
let transformerRun = 0;
const sources = PAIRS.map((p) => p.source);
const EXPORTED = ['model.json', 'weights.bin', 'pipeline.json', 'config.json', 'metrics.json', 'README.md'];

beforeAll(async () => {
  ({ db, dir, dbPath } = tempDb());
  ({ runId: rnnRun } = await makeRun(db, {}, [
    { step: 10, bleu: 7.5, seed: 11 },
    { step: 20, bleu: 3, seed: 12 },
  ]));
  ({ runId: transformerRun } = await makeRun(db, { model_type: 'transformer', num_heads: 2, ff_size: 16 }, [
    { step: 6, bleu: 1, seed: 13 },
  ]));
  await evaluateRun(db, await loadTranslator(db, rnnRun), writeTestSet(dir));
});

describe('export model → import model', () => {
  it(
    'zip and folder imports translate identically to the ' + 'original, greedy and beam (n-best, attention, scores)',
    async () => {
      for (const runId of [rnnRun, transformerRun]) {
        const original = await loadTranslator(db, runId);
        for (const out of [join(dir, `m${runId}.zip`), join(dir, `m${runId}-folder`)]) {
          const e = exportModel(db, runId, out);
          expect(e.files.sort()).toEqual([...EXPORTED].sort());
          const { runId: imported } = importModel(db, out);
          expect(getRun(db, imported).status).toBe('imported');
          const t = await loadTranslator(db, imported);
          expect(t.checkpoint.step).toBe(original.checkpoint.step);
          for (const settings of [{ beam_size: 1 }, { beam_size: 4, n_best: 3 }]) {
            expect(await t.translate(sources, settings)).toEqual(await original.translate(sources, settings));
          }
        }
      }
    },
  );

  it('exports the best checkpoint by default, or the one asked for', async () => {
    const best = exportModel(db, rnnRun, join(dir, 'best'));
    const latest = exportModel(db, rnnRun, join(dir, 'latest'), 'latest');
    const step = (p: string) =>
      (
        JSON.parse(readFileSync(join(p, 'model.json'), 'utf8')) as {
          userDefinedMetadata: { workbench: { step: number } };
        }
      ).userDefinedMetadata.workbench.step;
    expect(step(best.path)).toBe(10);
    expect(step(latest.path)).toBe(20);
  });

  it(
    'the folder is self-describing: README with the run ' +
      'figures, metrics summary, config, tokenizer + vocabularies',
    () => {
      const out = join(dir, 'described');
      exportModel(db, rnnRun, out);
      const readme = readFileSync(join(out, 'README.md'), 'utf8');
      expect(readme).toContain(getRun(db, rnnRun).name);
      expect(readme).toMatch(/valid BLEU \| 7\.50 \(step 10\)/);
      expect(readme).toMatch(
        /\| test\.en \| step 10 \(this model\) \| greedy \| \d+\.\d\d \| \d+\.\d\d \| .* \| `nrefs:1\\\|/,
      );
      const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
        checkpoint: { step: number };
        best: Record<string, { value: number }>;
        test: unknown[];
      };
      expect(metrics.checkpoint.step).toBe(10);
      expect(metrics.best['valid/bleu'].value).toBe(7.5);
      expect(metrics.test).toHaveLength(1);
      const pipeline = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as {
        srcVocab: unknown;
        trgVocab: unknown;
        lowercase: boolean;
      };
      expect(pipeline.lowercase).toBe(true);
      expect(pipeline.srcVocab).toBeTruthy();
      expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toEqual(getRun(db, rnnRun).config);
      // the zip holds the same bytes
      const zipped = unzipSync(readFileSync(join(dir, `m${rnnRun}.zip`)));
      expect(Object.keys(zipped).sort()).toEqual([...EXPORTED].sort());
      expect(Buffer.from(zipped['weights.bin']).equals(readFileSync(join(out, 'weights.bin')))).toBe(true);
    },
  );

  it(
    'the README labels each test evaluation (file, checkpoint, ' +
      'decoding) and its tables stay tables (a signature\'s "|" escaped)',
    async () => {
      const t = await loadTranslator(db, transformerRun);
      mkdirSync(join(dir, 'transformer-test'));
      const files = writeTestSet(join(dir, 'transformer-test'));
      await evaluateRun(db, t, files);
      await evaluateRun(db, t, files, { beam_size: 3 });
      const out = join(dir, 'labelled');
      exportModel(db, transformerRun, out);
      const readme = readFileSync(join(out, 'README.md'), 'utf8');
      const rows = readme.split('\n').filter((l) => l.startsWith('|'));
      // Every row of a table has as many cells as its header: no bare "|" inside a cell.
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      for (const table of readme.split('\n\n').filter((b) => b.startsWith('|'))) {
        const lines = table.split('\n').filter((l) => l.startsWith('|'));
        expect(lines.map(cells)).toEqual(lines.map(() => cells(lines[0])));
      }
      const tests = rows.filter((l) => l.includes('test.en'));
      expect(tests).toHaveLength(2);
      // told apart by more than their scores
      expect(new Set(tests.map((l) => l.replace(/\d+\.\d\d/g, 'N'))).size).toBe(2);
      expect(tests[0]).toMatch(/greedy/);
      expect(tests[1]).toMatch(/beam 3/);
      expect(tests[0]).toMatch(/step 6/);
      expect(readme).toContain('nrefs:1\\|');
    },
  );

  it('every export is recorded in the exports table', () => {
    const rows = db.prepare("SELECT run_id, path FROM exports WHERE kind = 'model'").all() as Array<{
      run_id: number;
      path: string;
    }>;
    expect(rows.map((r) => r.path)).toContain(join(dir, 'described'));
    expect(rows.map((r) => r.path)).toContain(join(dir, `m${rnnRun}.zip`));
  });

  it('an imported run can be evaluated', async () => {
    const { runId } = importModel(db, join(dir, `m${rnnRun}.zip`), 'from zip');
    expect(getRun(db, runId).name).toBe('from zip');
    const r = await evaluateRun(db, await loadTranslator(db, runId), writeTestSet(dir));
    expect(r.sentences).toBe(PAIRS.length);
  });
});

describe('export/import errors name the thing', () => {
  it('unknown run, non-empty target folder, not a zip, not a model, missing file', () => {
    const runsBefore = listRuns(db).length;
    expect(() => exportModel(db, 777, join(dir, 'x'))).toThrow(/run 777/);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    expect(() => exportModel(db, rnnRun, busy)).toThrow(
      expect.objectContaining({ code: 'conflict', message: expect.stringContaining(busy) }),
    );
    expect(readdirSync(busy)).toEqual(['keep.txt']);

    const notZip = join(dir, 'notes.zip');
    writeFileSync(notZip, 'hello');
    expect(() => importModel(db, notZip)).toThrow(
      expect.objectContaining({ code: 'bad_input', message: expect.stringContaining(`${notZip}: not a zip`) }),
    );
    expect(() => importModel(db, join(dir, 'missing.zip'))).toThrow(/missing\.zip: no such file/);

    const partial = join(dir, 'partial');
    mkdirSync(partial);
    for (const f of ['model.json', 'pipeline.json', 'config.json'])
      writeFileSync(join(partial, f), readFileSync(join(dir, 'described', f)));
    expect(() => importModel(db, partial)).toThrow(`${partial}: not an exported model (missing weights.bin)`);

    const foreign = join(dir, 'foreign.zip');
    const files = unzipSync(readFileSync(join(dir, `m${rnnRun}.zip`)));
    files['model.json'] = new TextEncoder().encode(JSON.stringify({ format: 'layers-model', weightsManifest: [] }));
    writeFileSync(foreign, zipSync(files));
    expect(() => importModel(db, foreign)).toThrow(/foreign\.zip: model.json has format "layers-model"/);
    expect(listRuns(db).length).toBe(runsBefore); // nothing half-registered
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

describe('workbench export model / import model (CLI)', () => {
  it('exports a zip, imports it and the import translates like the original', async () => {
    const cli = (...args: string[]) => exec(process.execPath, ['bin/workbench.js', '--db', dbPath, ...args]);
    const zip = join(dir, 'cli.zip');
    rmSync(zip, { force: true });
    await cli('export', 'model', '--run', String(transformerRun), '--out', zip);
    const { runId } = JSON.parse((await cli('import', 'model', zip, '--json')).stdout) as { runId: number };
    expect(listCheckpoints(db, runId)).toEqual([expect.objectContaining({ kind: 'imported', step: 6 })]);
    const [a, b] = [await loadTranslator(db, runId), await loadTranslator(db, transformerRun)];
    expect(await a.translate(sources, { beam_size: 3 })).toEqual(await b.translate(sources, { beam_size: 3 }));
  }, 30_000);
});
