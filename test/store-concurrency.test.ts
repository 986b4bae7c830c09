import { execFile, execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sleep, startTrainingUnderLock } from './support/locked-store-training.ts';
import type { WorkbenchError } from '../src-main/common/errors.ts';
import { importDataset, type ImportResult } from '../src-main/core/data/import.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { getDataset, listDatasets } from '../src-main/core/store/datasets.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { listCheckpoints } from '../src-main/core/store/checkpoints.ts';
import { getMetricSeries } from '../src-main/core/store/run-metrics.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';

/**
 * Writers that overlap: a long import and other writers (a CLI command, the
 * service's own edits, a second import of the same name). Imports are slowed
 * by reading from a FIFO the test feeds, so "during the import" is certain.
 */
const TATOEBA = new URL('./fixtures/tatoeba-findings.tsv', import.meta.url).pathname;
const workbench = fileURLToPath(new URL('../bin/workbench.js', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-conc-'));
/** A busy timeout far shorter than any import: a writer blocked by the import for its whole length fails. */
const SHORT_BUSY = { ...process.env, WORKBENCH_BUSY_TIMEOUT_MS: '300' };

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `slow sentence ${from + i}\tधीमा वाक्य ${from + i}\n`).join('');

/** An import reading from a FIFO: `feed` writes lines, `end` closes it; `started` resolves once rows are going in. */
function slowImport(db: Db, name: string, dir: string, extra: { signal?: AbortSignal } = {}) {
  const fifo = join(dir, `${name}.tsv`);
  execFileSync('mkfifo', [fifo]);
  const out: WriteStream = createWriteStream(fifo);
  out.on('error', () => {});
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const work: Promise<ImportResult> = importDataset(db, {
    name,
    files: [fifo],
    onProgress: (p) => p.rows > 0 && started(),
    ...extra,
  });
  work.catch(() => started());
  return {
    work,
    started: startedP,
    // A cancelled import stops reading: the FIFO then closes (EPIPE), which ends feeding too.
    feed: (text: string) =>
      new Promise<void>((r) => {
        if (out.destroyed || out.write(text)) return r();
        out.once('drain', () => r());
        out.once('close', () => r());
      }),
    end: () => new Promise<void>((r) => (out.destroyed ? r() : out.end(r))),
  };
}

describe('a long import does not lock out other writers', () => {
  it(
    'another process adds a pair, a second import of the name ' +
      'conflicts, and the staged dataset stays invisible until published',
    async () => {
      const dir = tmp();
      const dbPath = join(dir, 'x.db');
      const db = openDb(dbPath);
      await importDataset(db, { name: 'small', files: [TATOEBA] });
      const slow = slowImport(openDb(dbPath), 'slow', dir);
      await slow.feed(lines(0, 5000));
      await slow.started;

      // Another process writes while the import is under way, with a busy timeout of 300 ms.
      const add = await promisify(execFile)(
        process.execPath,
        [workbench, '--db', dbPath, 'dataset', 'add', 'small', '--source', 'during', '--target', 'दौरान'],
        { env: SHORT_BUSY },
      ).catch((e: { stderr: string }) => e);
      expect((add as { stderr: string }).stderr).toBe('');
      expect(getDataset(db, 'small').pairCount).toBe(210);

      // Nothing of the import is visible yet, and its name is taken.
      expect(listDatasets(db).map((d) => d.name)).toEqual(['small']);
      expect(() => getDataset(db, 'slow')).toThrow('no dataset "slow"');
      const second = await importDataset(openDb(dbPath, { busyTimeoutMs: 300 }), {
        name: 'slow',
        files: [TATOEBA],
      }).catch((e: WorkbenchError) => e);
      expect(second).toMatchObject({ code: 'conflict', message: expect.stringContaining('"slow" is being imported') });

      await slow.feed(lines(5000, 12_000));
      await slow.end();
      const r = await slow.work;
      expect(r.pairs).toBe(12_000);
      expect(listDatasets(db).map((d) => [d.name, d.pairCount])).toEqual([
        ['slow', 12_000],
        ['small', 210],
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM pairs WHERE dataset_id = ?').get(r.datasetId)).toEqual({
        n: 12_000,
      });
    },
  );

  it('a cancelled import leaves nothing behind, visible or staged', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'x.db');
    const db = openDb(dbPath);
    const abort = new AbortController();
    const slow = slowImport(openDb(dbPath), 'cancelled', dir, { signal: abort.signal });
    await slow.feed(lines(0, 5000));
    await slow.started;
    abort.abort();
    await slow.feed(lines(5000, 10_000));
    await slow.end();
    await expect(slow.work).rejects.toMatchObject({ code: 'cancelled' });
    expect(db.prepare('SELECT (SELECT count(*) FROM datasets) AS d, (SELECT count(*) FROM pairs) AS p').get()).toEqual({
      d: 0,
      p: 0,
    });
  });

  it('the service runs edits during an import instead of queueing them behind it', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'x.db');
    const db = openDb(dbPath);
    await importDataset(db, { name: 'small', files: [TATOEBA] });
    const service = new WorkbenchService({ db, dbPath, door: 'electron', emit: () => {} });
    const fifo = join(dir, 'big.tsv');
    execFileSync('mkfifo', [fifo]);
    const out = createWriteStream(fifo);
    out.write(lines(0, 5000));
    let importDone = false;
    const work = service
      .dispatch('datasets.import', { name: 'big', path: fifo, jobId: 'j1' })
      .finally(() => (importDone = true));
    const edit = service.dispatch('pairs.edit', {
      name: 'small',
      label: 'add',
      changes: [{ op: 'insert', source: 'during', target: 'दौरान' }],
    });
    // Before, the edit waited for the whole import (here: forever, the FIFO stays open).
    expect(await Promise.race([edit, new Promise((r) => setTimeout(() => r('still waiting'), 5000))])).toMatchObject({
      pairIds: [expect.any(Number)],
    });
    expect(importDone).toBe(false);
    out.end(lines(5000, 6000));
    expect(await work).toMatchObject({ name: 'big', pairs: 6000 });
  });
});

describe('built-in datasets', () => {
  it('two first uses at once (two trainers starting) both get the one imported dataset', async () => {
    const dbPath = join(tmp(), 'x.db');
    const [a, b] = await Promise.all([
      getDatasetByName(openDb(dbPath, { busyTimeoutMs: 300 }), 'builtin:sample'),
      getDatasetByName(openDb(dbPath, { busyTimeoutMs: 300 }), 'builtin:sample'),
    ]);
    expect(a.id).toBe(b.id);
    expect(listDatasets(openDb(dbPath)).map((d) => d.name)).toEqual(['builtin:sample']);
  });
});

describe('a trainer whose store is locked by another writer', () => {
  it('completes with all its metrics while another connection holds the write lock past its busy timeout', async () => {
    // 20 epochs of one 6-pair batch: 20 steps, a validation per epoch, train metrics every 5 steps.
    const t = await startTrainingUnderLock(['max_epochs=20', 'hidden_size=32', 'embedding_dim=16']);
    const { locker, run } = t;
    // Hold the write lock for 0.8 s at a time (past the trainer's busy timeout, 3 x 200 ms), with 0.1 s gaps, until the
    // trainer has recorded its end (the CLI's own bookkeeping after that is not what this test is about).
    let holds = 0;
    while (!t.exited() && run()?.status === 'running') {
      locker.exec('BEGIN IMMEDIATE');
      await sleep(800);
      locker.exec('COMMIT');
      holds++;
      await sleep(100);
    }
    expect(await t.exit).toBe(0);
    expect(t.stderr()).not.toContain('locked');
    expect(holds).toBeGreaterThan(2);
    expect(JSON.parse(t.stdout().trim().split('\n').at(-1) as string)).toMatchObject({ runId: 1, status: 'completed' });
    const series = getMetricSeries(locker, 1);
    const steps = (name: string) => series[name]?.map((p) => p.step);
    expect(steps('train/loss')).toEqual([5, 10, 15, 20]);
    expect(steps('train/grad_norm')).toEqual([5, 10, 15, 20]);
    expect(steps('valid/bleu')).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(steps('valid/loss')).toHaveLength(20);
    expect(locker.prepare('SELECT count(DISTINCT step) AS n FROM samples WHERE run_id = 1').get()).toEqual({ n: 20 });
    // The checkpoint index is exactly the folders on disk (adds, removals and role changes all recorded, in order).
    expect(
      listCheckpoints(locker, 1)
        .map((c) => basename(c.path))
        .sort(),
    ).toEqual(readdirSync(join(t.dir, 'runs', '1')).sort());
    expect(run()).toMatchObject({ status: 'completed', step: 20, error: null });
  }, 120_000);
});
