import type { Db } from './db-handle.ts';

/**
 * A persisted columnar copy of each metric series (table metric_columns, migration 8), so a chart of 27 runs x
 * 100k steps reads 27 blobs instead of 2.7M rows (about 2 us a row). The metrics table stays the source of truth:
 * triggers on it delete a copy as soon as a row at or before the copy's last step is inserted, replaced, updated
 * or deleted, so no writer can leave one stale. A copy is written when a run ends (finishRun, finishRunIfActive)
 * and by a reader that finds an ended run without one; a live run's newer rows (step > upto_step) are read from
 * the metrics table and appended.
 *
 * Layout: `steps` and `vals` each hold `count` IEEE-754 float64 numbers, little-endian, ascending by step
 * (8 * count bytes; index i of both is one point).
 */
export interface SeriesColumns {
  steps: Float64Array;
  values: Float64Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodeColumn(a: Float64Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const out = Buffer.alloc(a.length * 8);
  for (let i = 0; i < a.length; i++) out.writeDoubleLE(a[i], i * 8);
  return out;
}

export function decodeColumn(b: Buffer): Float64Array {
  const out = new Float64Array(b.length / 8);
  // a copy: the blob's bytes need not be 8-byte aligned
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b);
  else for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

/** The rows of a series from `afterStep` on (exclusive), as columns. */
function rowsAfter(db: Db, runId: number, name: string, afterStep: number): SeriesColumns {
  const rows = db
    .prepare('SELECT step, value FROM metrics WHERE run_id = ? AND name = ? AND step > ? ORDER BY step')
    .raw()
    .all(runId, name, afterStep) as Array<[number, number]>;
  const out = { steps: new Float64Array(rows.length), values: new Float64Array(rows.length) };
  for (let i = 0; i < rows.length; i++) [out.steps[i], out.values[i]] = rows[i];
  return out;
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  if (b.length === 0) return a;
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Replaces a series' stored copy with these columns (the series as the metrics table holds it now). */
function writeColumns(db: Db, runId: number, name: string, c: SeriesColumns): void {
  if (c.steps.length === 0) return;
  db.prepare(
    `INSERT OR REPLACE INTO metric_columns (run_id, name, upto_step, count, steps, vals) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(runId, name, c.steps[c.steps.length - 1], c.steps.length, encodeColumn(c.steps), encodeColumn(c.values));
}

/** Writes the stored copy of every series of a run (at its end: the series no longer grow). */
export function writeRunColumns(db: Db, runId: number): void {
  // a skip scan of the (run_id, name, step) key, one seek per name (DISTINCT would read every row)
  const next = db.prepare('SELECT name FROM metrics WHERE run_id = ? AND name > ? ORDER BY name LIMIT 1').pluck();
  db.transaction(() => {
    for (
      let n = next.get(runId, '') as string | undefined;
      n !== undefined;
      n = next.get(runId, n) as string | undefined
    ) {
      const { columns, stored } = storedPlusTail(db, runId, n);
      if (stored !== columns.steps.length) writeColumns(db, runId, n, columns);
    }
  })();
}

/** The stored copy (if any, and whole) with the rows after it; `stored`: how many points the copy held. */
function storedPlusTail(db: Db, runId: number, name: string): { columns: SeriesColumns; stored: number } {
  const row = db
    .prepare('SELECT upto_step, count, steps, vals FROM metric_columns WHERE run_id = ? AND name = ?')
    .get(runId, name) as { upto_step: number; count: number; steps: Buffer; vals: Buffer } | undefined;
  if (!row || row.steps.length !== row.count * 8 || row.vals.length !== row.count * 8)
    return { columns: rowsAfter(db, runId, name, -Infinity), stored: 0 };
  const tail = rowsAfter(db, runId, name, row.upto_step);
  const columns = {
    steps: concat(decodeColumn(row.steps), tail.steps),
    values: concat(decodeColumn(row.vals), tail.values),
  };
  return { columns, stored: row.count };
}

/**
 * A series as columns: its stored copy plus the rows logged after it, or the rows alone when it has no copy
 * (then, for a run that has ended and a store open for writing, the copy is written for the next reader).
 */
export function readSeriesColumns(db: Db, runId: number, name: string): SeriesColumns {
  const { columns, stored } = storedPlusTail(db, runId, name);
  if (stored > 0 || db.readonly) return columns;
  const status = db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId) as string | undefined;
  if (status !== undefined && status !== 'running' && status !== 'queued') {
    // a reader never waits for the write lock (the service's one connection would stop answering for up to
    // the busy timeout): a store busy with another writer leaves the copy to a later reader
    const wait = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      writeColumns(db, runId, name, columns);
    } catch {
      // the series is right as read
    } finally {
      db.pragma(`busy_timeout = ${wait}`);
    }
  }
  return columns;
}
