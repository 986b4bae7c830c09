import type { RunComparisonDto, RunComparisonResult } from '../../common/dataset-versions.ts';
import type { Db } from './db.ts';
import { nowIso } from './store-dir.ts';

/**
 * Stored comparisons of a run against a baseline (migration 7): a retrain's paired bootstrap against the run it
 * retrains. Pending while the new run trains; its trainer computes and stores it when the run completes.
 */
export type RunComparisonRecord = RunComparisonDto;

interface ComparisonRow {
  id: number;
  run_id: number | null;
  queue_id: number | null;
  baseline_run_id: number;
  kind: 'retrain';
  state: RunComparisonDto['state'];
  result: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

const toRecord = (r: ComparisonRow): RunComparisonRecord => ({
  id: r.id,
  kind: r.kind,
  runId: r.run_id,
  queueEntryId: r.queue_id,
  baselineRunId: r.baseline_run_id,
  state: r.state,
  result: r.result ? (JSON.parse(r.result) as RunComparisonResult) : null,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** A comparison waiting for the run a queue entry will start (the queue_links_comparison trigger links it). */
export function insertPendingComparison(db: Db, queueId: number, baselineRunId: number): number {
  const info = db
    .prepare(
      `INSERT INTO run_comparisons (queue_id, baseline_run_id, kind, state, created_at)
       VALUES (?, ?, 'retrain', 'pending', ?)`,
    )
    .run(queueId, baselineRunId, nowIso());
  return Number(info.lastInsertRowid);
}

export function getComparison(db: Db, id: number): RunComparisonRecord | undefined {
  const row = db.prepare('SELECT * FROM run_comparisons WHERE id = ?').get(id) as ComparisonRow | undefined;
  return row && toRecord(row);
}

/** The comparisons a run is part of, as the new system or as the baseline, newest first. */
export function comparisonsOfRun(db: Db, runId: number): RunComparisonRecord[] {
  const rows = db
    .prepare('SELECT * FROM run_comparisons WHERE run_id = ? OR baseline_run_id = ? ORDER BY id DESC')
    .all(runId, runId) as ComparisonRow[];
  return rows.map(toRecord);
}

/** Those waiting for this run to complete. */
export function pendingComparisonsOf(db: Db, runId: number): RunComparisonRecord[] {
  const rows = db
    .prepare(`SELECT * FROM run_comparisons WHERE run_id = ? AND state = 'pending' ORDER BY id`)
    .all(runId) as ComparisonRow[];
  return rows.map(toRecord);
}

export function finishComparison(
  db: Db,
  id: number,
  outcome: { result: RunComparisonResult } | { error: string },
): void {
  const done = 'result' in outcome;
  db.prepare(`UPDATE run_comparisons SET state = ?, result = ?, error = ?, finished_at = ? WHERE id = ?`).run(
    done ? 'done' : 'failed',
    done ? JSON.stringify(outcome.result) : null,
    done ? null : outcome.error,
    nowIso(),
    id,
  );
}
