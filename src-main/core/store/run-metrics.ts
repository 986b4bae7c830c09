import type { MetricPoint } from '../../common/run-state.ts';
import type { Db } from './db.ts';

/**
 * A run's metric series and sample translations: written in batches by the trainer
 * (one transaction each), read as whole series or SQL aggregates by every door.
 */

export type { MetricPoint } from '../../common/run-state.ts';

export interface SampleRecord {
  step: number;
  idx: number;
  source: string;
  reference: string;
  hypothesis: string;
}

/**
 * Before resuming from the checkpoint at `step`: drops what was recorded after it
 * (it will be recorded again), so series have no duplicates or stale tails.
 */
export function truncateRunAfter(db: Db, runId: number, step: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step);
    db.prepare('DELETE FROM samples WHERE run_id = ? AND step > ?').run(runId, step);
  })();
}
// ---- metrics --------------------------------------------------------------------

export interface NewMetric {
  name: string;
  step: number;
  epoch: number;
  value: number;
  wall_time?: number;
}

/** Records metric points in one transaction (a re-recorded step replaces the old value). */
export function recordMetrics(db: Db, runId: number, points: readonly NewMetric[]): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, wall_time, value) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const wall = Date.now() / 1000;
  db.transaction(() => {
    for (const p of points) {
      if (!Number.isFinite(p.value)) continue; // SQLite REAL cannot hold NaN; a missing point says it
      insert.run(runId, p.name, p.step, p.epoch, p.wall_time ?? wall, p.value);
    }
  })();
}

/** Every metric series of a run (or the named ones): {name: [{step, epoch, wall_time, value}]} by step. */
export function getMetricSeries(db: Db, runId: number, names?: readonly string[]): Record<string, MetricPoint[]> {
  // Named series are range scans of the (run_id, name, step) primary key, never a whole-run read.
  const rows = (
    names
      ? db
          .prepare(
            'SELECT name, step, epoch, wall_time, value FROM metrics WHERE run_id ' +
              '= ? AND name IN (SELECT value FROM json_each(?)) ORDER BY name, step',
          )
          .all(runId, JSON.stringify(names))
      : db
          .prepare('SELECT name, step, epoch, wall_time, value FROM metrics WHERE run_id = ? ORDER BY name, step')
          .all(runId)
  ) as Array<MetricPoint & { name: string }>;
  const out: Record<string, MetricPoint[]> = {};
  for (const { name, ...point } of rows) (out[name] ??= []).push(point);
  return out;
}

export interface MetricStats {
  min: number;
  max: number;
  mean: number;
  last: number;
  count: number;
}

/** min/max/mean/last of named series, aggregated in SQL (what run lists need, without loading series). */
export function getMetricStats(db: Db, runId: number, names: readonly string[]): Record<string, MetricStats> {
  const rows = db
    .prepare(
      `SELECT name, min(value) AS min, max(value) AS max, avg(value) AS mean, count(*) AS count,
         (SELECT value FROM metrics m2 WHERE m2.run_id = m.run_id AND m2.name = m.name
          ORDER BY step DESC LIMIT 1) AS last
       FROM metrics m WHERE run_id = ? AND name IN (SELECT value FROM json_each(?)) GROUP BY name`,
    )
    .all(runId, JSON.stringify(names)) as Array<MetricStats & { name: string }>;
  return Object.fromEntries(rows.map(({ name, ...stats }) => [name, stats]));
}
// ---- samples --------------------------------------------------------------------

export function recordSamples(
  db: Db,
  runId: number,
  step: number,
  samples: ReadonlyArray<Omit<SampleRecord, 'step'>>,
): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO samples (run_id, step, idx, source, reference, hypothesis) VALUES (?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const s of samples) insert.run(runId, step, s.idx, s.source, s.reference, s.hypothesis);
  })();
}

export function getSamples(db: Db, runId: number): SampleRecord[] {
  return db
    .prepare('SELECT step, idx, source, reference, hypothesis FROM samples WHERE run_id = ? ORDER BY step, idx')
    .all(runId) as SampleRecord[];
}
