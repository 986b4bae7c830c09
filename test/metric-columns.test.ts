import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { decodeColumn, readSeriesColumns } from '../src-main/core/store/metric-columns.ts';
import { recordMetrics, truncateRunAfter } from '../src-main/core/store/run-metrics.ts';
import { deleteRun, finishRun, finishRunIfActive } from '../src-main/core/store/runs.ts';

/**
 * The columnar copy of metric series (store/metric-columns.ts): written as a run ends, equal to the rows after
 * appends, a resume that re-logs earlier steps, an edit and a deletion (its triggers delete a stale copy).
 */
async function runWithLoss(n: number) {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'wb-metric-columns-')), 'x.db'));
  await getDatasetByName(db, 'builtin:tutorial');
  const run = createRunFromRequest(db, { preset: 'tutorial', config: { dataset: 'builtin:tutorial' } });
  // logged in a shuffled order: the copy must still ascend by step
  const steps = Array.from({ length: n }, (_, i) => 10 * (i + 1)).sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));
  recordMetrics(
    db,
    run.id,
    steps.map((step) => ({ name: 'train/loss', step, epoch: step / 1000, value: Math.sin(step) })),
  );
  recordMetrics(db, run.id, [{ name: 'valid/bleu', step: 100, epoch: 1, value: 2 }]);
  return { db, runId: run.id };
}

function rows(db: Db, runId: number, name: string) {
  const r = db
    .prepare('SELECT step, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step')
    .raw()
    .all(runId, name) as Array<[number, number]>;
  return { steps: r.map((x) => x[0]), values: r.map((x) => x[1]) };
}

function copyOf(db: Db, runId: number, name: string) {
  const row = db
    .prepare('SELECT upto_step, count, steps, vals FROM metric_columns WHERE run_id = ? AND name = ?')
    .get(runId, name) as { upto_step: number; count: number; steps: Buffer; vals: Buffer } | undefined;
  return row && { ...row, steps: [...decodeColumn(row.steps)], values: [...decodeColumn(row.vals)] };
}

const read = (db: Db, runId: number, name: string) => {
  const c = readSeriesColumns(db, runId, name);
  return { steps: [...c.steps], values: [...c.values] };
};

describe('metric columns', () => {
  it('a run that ends has a copy of every series equal to its rows, ascending', async () => {
    const { db, runId } = await runWithLoss(500);
    expect(copyOf(db, runId, 'train/loss')).toBeUndefined();
    finishRun(db, runId, 'completed');
    const copy = copyOf(db, runId, 'train/loss');
    expect(copy).toMatchObject({ upto_step: 5000, count: 500, ...rows(db, runId, 'train/loss') });
    expect(copy?.steps).toEqual(Array.from({ length: 500 }, (_, i) => 10 * (i + 1)));
    expect(copyOf(db, runId, 'valid/bleu')).toMatchObject({ steps: [100], values: [2] });
    expect(read(db, runId, 'train/loss')).toEqual(rows(db, runId, 'train/loss'));
    db.close();
  });

  it('an interrupted run gets its copy too; a reader writes one for an ended run without', async () => {
    const { db, runId } = await runWithLoss(50);
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runId);
    expect(finishRunIfActive(db, runId, 'interrupted', 'gone')).toBe(true);
    expect(copyOf(db, runId, 'train/loss')?.count).toBe(50);
    db.prepare('DELETE FROM metric_columns').run();
    expect(read(db, runId, 'train/loss')).toEqual(rows(db, runId, 'train/loss'));
    expect(copyOf(db, runId, 'train/loss')?.count).toBe(50);
    db.close();
  });

  it('rows logged after the copy are read with it (a live run resumed without truncation)', async () => {
    const { db, runId } = await runWithLoss(100);
    finishRun(db, runId, 'interrupted');
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runId);
    recordMetrics(db, runId, [{ name: 'train/loss', step: 1010, epoch: 1, value: 42 }]);
    expect(copyOf(db, runId, 'train/loss')?.count).toBe(100); // still valid: nothing at or before its last step
    expect(read(db, runId, 'train/loss')).toEqual(rows(db, runId, 'train/loss'));
    expect(read(db, runId, 'train/loss').values.at(-1)).toBe(42);
    finishRun(db, runId, 'completed');
    expect(copyOf(db, runId, 'train/loss')).toMatchObject({ count: 101, upto_step: 1010 });
    db.close();
  });

  it('a resume that truncates and re-logs earlier steps leaves no stale copy', async () => {
    const { db, runId } = await runWithLoss(100);
    finishRun(db, runId, 'interrupted');
    truncateRunAfter(db, runId, 500);
    expect(copyOf(db, runId, 'train/loss')).toBeUndefined();
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runId);
    recordMetrics(
      db,
      runId,
      Array.from({ length: 50 }, (_, k) => ({ name: 'train/loss', step: 510 + 10 * k, epoch: 1, value: -k })),
    );
    expect(read(db, runId, 'train/loss')).toEqual(rows(db, runId, 'train/loss'));
    finishRun(db, runId, 'completed');
    expect(copyOf(db, runId, 'train/loss')).toMatchObject({ count: 100, ...rows(db, runId, 'train/loss') });
    // a re-recorded step (INSERT OR REPLACE) at or before the copy's end makes it stale as well
    recordMetrics(db, runId, [{ name: 'train/loss', step: 20, epoch: 0, value: 9 }]);
    expect(copyOf(db, runId, 'train/loss')).toBeUndefined();
    expect(read(db, runId, 'train/loss').values[1]).toBe(9);
    db.close();
  });

  it('an edited or deleted row drops the copy; deleting the run drops them all', async () => {
    const { db, runId } = await runWithLoss(100);
    finishRun(db, runId, 'completed');
    db.prepare("UPDATE metrics SET value = 5 WHERE run_id = ? AND name = 'train/loss' AND step = 30").run(runId);
    expect(copyOf(db, runId, 'train/loss')).toBeUndefined();
    expect(copyOf(db, runId, 'valid/bleu')).toBeDefined();
    expect(read(db, runId, 'train/loss').values[2]).toBe(5);
    db.prepare("DELETE FROM metrics WHERE run_id = ? AND name = 'train/loss' AND step = 40").run(runId);
    expect(copyOf(db, runId, 'train/loss')).toBeUndefined();
    expect(read(db, runId, 'train/loss')).toEqual(rows(db, runId, 'train/loss'));
    deleteRun(db, runId);
    expect(db.prepare('SELECT count(*) FROM metric_columns').pluck().get()).toBe(0);
    db.close();
  });
});

describe('metric columns written by a reader', () => {
  it("a reader never waits for another connection's write lock: it reads the rows and writes later", async () => {
    const { db, runId } = await runWithLoss(100);
    finishRun(db, runId, 'completed');
    db.prepare('DELETE FROM metric_columns').run();
    db.pragma('busy_timeout = 60000'); // a writer would wait a minute for the lock
    const other = openDb(db.name);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      expect(read(db, runId, 'train/loss')).toEqual(rows(db, runId, 'train/loss'));
      expect(copyOf(db, runId, 'train/loss')).toBeUndefined();
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(db.pragma('busy_timeout', { simple: true })).toBe(60000);
    read(db, runId, 'train/loss');
    expect(copyOf(db, runId, 'train/loss')?.count).toBe(100);
    db.close();
  }, 20_000);
});
