import type { Db } from './db.ts';
import { getRun } from './runs.ts';
import { fromStoredPath, nowIso as now, toStoredPath } from './store-dir.ts';

/** The checkpoint index of a run: which saved model is the latest, the best and the final one. */

export type CheckpointKind = 'latest' | 'best' | 'final' | 'imported';

export interface CheckpointRecord {
  id: number;
  runId: number;
  step: number;
  epoch: number;
  /** Absolute path of the checkpoint folder (model.json + weights) */
  path: string;
  kind: CheckpointKind;
  metricName: string | null;
  metricValue: number | null;
  createdAt: string;
}

interface CheckpointRow {
  id: number;
  run_id: number;
  step: number;
  epoch: number;
  path: string;
  kind: CheckpointKind;
  metric_name: string | null;
  metric_value: number | null;
  created_at: string;
}

const toCheckpoint = (db: Db, r: CheckpointRow): CheckpointRecord => ({
  id: r.id,
  runId: r.run_id,
  step: r.step,
  epoch: r.epoch,
  path: fromStoredPath(db, r.path),
  kind: r.kind,
  metricName: r.metric_name,
  metricValue: r.metric_value,
  createdAt: r.created_at,
});

export function addCheckpoint(
  db: Db,
  runId: number,
  ckpt: { step: number; epoch: number; path: string; kind: CheckpointKind; metricName?: string | null; metricValue?: number | null },
): number {
  const info = db
    .prepare('INSERT INTO checkpoints (run_id, step, epoch, path, kind, metric_name, metric_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(runId, ckpt.step, ckpt.epoch, toStoredPath(db, ckpt.path), ckpt.kind, ckpt.metricName ?? null, ckpt.metricValue ?? null, now());
  return Number(info.lastInsertRowid);
}

export function setCheckpointKind(db: Db, id: number, kind: CheckpointKind): void {
  db.prepare('UPDATE checkpoints SET kind = ? WHERE id = ?').run(kind, id);
}

export function removeCheckpoint(db: Db, id: number): void {
  db.prepare('DELETE FROM checkpoints WHERE id = ?').run(id);
}

export function listCheckpoints(db: Db, runId: number): CheckpointRecord[] {
  return (db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step, id').all(runId) as CheckpointRow[]).map((r) =>
    toCheckpoint(db, r),
  );
}

/** The most recent checkpoint (what resume continues from). */
export function latestCheckpoint(db: Db, runId: number): CheckpointRecord | undefined {
  const row = db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT 1').get(runId) as CheckpointRow | undefined;
  return row && toCheckpoint(db, row);
}

/** The best checkpoint by the run's early-stopping metric (falls back to the latest). */
export function bestCheckpoint(db: Db, runId: number): CheckpointRecord | undefined {
  const run = getRun(db, runId);
  const higherIsBetter = run.config.early_stopping_metric === 'bleu' || run.config.early_stopping_metric === 'chrf';
  const row = db
    .prepare(
      `SELECT * FROM checkpoints WHERE run_id = ? AND metric_value IS NOT NULL
       ORDER BY metric_value ${higherIsBetter ? 'DESC' : 'ASC'}, step DESC LIMIT 1`,
    )
    .get(runId) as CheckpointRow | undefined;
  return row ? toCheckpoint(db, row) : latestCheckpoint(db, runId);
}
