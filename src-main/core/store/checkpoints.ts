import type { Db } from './db.ts';
import { getRun } from './runs.ts';
import { fromStoredPath, nowIso as now, toStoredPath } from './store-dir.ts';

/**
 * The checkpoint index of a run: which saved model is the latest, the best and the final one,
 * and the averages of several made after training (core/train/average.ts).
 */

export type CheckpointKind = 'latest' | 'best' | 'final' | 'imported' | 'averaged';

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
  /** what made it, for kinds that training did not save (averaged: which steps) */
  detail: Record<string, unknown> | null;
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
  detail: string | null;
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
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
});

export function addCheckpoint(
  db: Db,
  runId: number,
  ckpt: {
    step: number;
    epoch: number;
    path: string;
    kind: CheckpointKind;
    metricName?: string | null;
    metricValue?: number | null;
    detail?: object | null;
  },
): number {
  const info = db
    .prepare(
      `INSERT INTO checkpoints (run_id, step, epoch, path, kind, metric_name, metric_value, created_at, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      runId,
      ckpt.step,
      ckpt.epoch,
      toStoredPath(db, ckpt.path),
      ckpt.kind,
      ckpt.metricName ?? null,
      ckpt.metricValue ?? null,
      now(),
      ckpt.detail ? JSON.stringify(ckpt.detail) : null,
    );
  return Number(info.lastInsertRowid);
}

export function setCheckpointKind(db: Db, id: number, kind: CheckpointKind): void {
  db.prepare('UPDATE checkpoints SET kind = ? WHERE id = ?').run(kind, id);
}

export function removeCheckpoint(db: Db, id: number): void {
  db.prepare('DELETE FROM checkpoints WHERE id = ?').run(id);
}

export function listCheckpoints(db: Db, runId: number): CheckpointRecord[] {
  return (db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step, id').all(runId) as CheckpointRow[]).map(
    (r) => toCheckpoint(db, r),
  );
}

/**
 * The most recent checkpoint saved by training (what resume continues from). An averaged
 * checkpoint shares the step of its newest member but has no resume files: never the latest.
 */
export function latestCheckpoint(db: Db, runId: number): CheckpointRecord | undefined {
  const row = db
    .prepare("SELECT * FROM checkpoints WHERE run_id = ? AND kind != 'averaged' ORDER BY step DESC, id DESC LIMIT 1")
    .get(runId) as CheckpointRow | undefined;
  return row && toCheckpoint(db, row);
}

/** The most recent averaged checkpoint of a run, if any. */
export function latestAveragedCheckpoint(db: Db, runId: number): CheckpointRecord | undefined {
  const row = db
    .prepare("SELECT * FROM checkpoints WHERE run_id = ? AND kind = 'averaged' ORDER BY id DESC LIMIT 1")
    .get(runId) as CheckpointRow | undefined;
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
