import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunConfig } from '../../common/config.ts';
import { conflict, notFound } from '../../common/errors.ts';
import { RunProgressSchema, type RunProgress, type RunStatus } from '../../common/run-state.ts';
import { isProcessAlive } from '../process-alive.ts';
import type { Db } from './db.ts';
import { writeRunColumns } from './metric-columns.ts';
import { fromStoredPath, nowIso as now } from './store-dir.ts';
import { parseStoredRunConfig } from './stored-config.ts';

/**
 * A run's row in the experiment store: its config, data identity, lifecycle and live
 * progress. Trainer processes write here as things happen (WAL: the UI reads
 * concurrently). Metric series and samples live in run-metrics.ts, the checkpoint
 * index in checkpoints.ts.
 */

export type { RunProgress, RunStatus } from '../../common/run-state.ts';

/** Statuses from which `resume` continues a run. */
export const RESUMABLE: ReadonlySet<RunStatus> = new Set(['interrupted', 'cancelled', 'failed']);

export interface RunRecord {
  id: number;
  name: string;
  status: RunStatus;
  datasetId: number | null;
  datasetName: string;
  splitId: number | null;
  parentRunId: number | null;
  preset: string | null;
  config: RunConfig;
  datasetHash: string | null;
  splitHash: string | null;
  vocabHash: string | null;
  backend: string | null;
  environment: Record<string, unknown> | null;
  /** Absolute path of runs/<id>/ */
  dir: string;
  pid: number | null;
  step: number;
  epoch: number;
  progress: RunProgress | null;
  error: string | null;
  /** space-separated labels (run-labels.ts) */
  tags: string;
  notes: string;
  /** the sweep it was queued by (store/sweeps.ts), if any */
  sweepId: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
}
// ---- runs -----------------------------------------------------------------------

export interface NewRun {
  name?: string;
  config: RunConfig;
  preset?: string | null;
  datasetId?: number | null;
  parentRunId?: number | null;
}

/** Creates a queued run; its folder is runs/<id>/ next to the DB. */
export function createRun(db: Db, run: NewRun): RunRecord {
  const id = db.transaction(() => {
    const info = db
      .prepare(
        `INSERT INTO runs (name, status, dataset_id, dataset_name, parent_run_id, preset, config, created_at)
         VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.name ?? '',
        run.datasetId ?? null,
        run.config.dataset,
        run.parentRunId ?? null,
        run.preset ?? null,
        JSON.stringify(run.config),
        now(),
      );
    const runId = Number(info.lastInsertRowid);
    const name = run.name && run.name.length > 0 ? run.name : `run-${runId}`;
    db.prepare('UPDATE runs SET name = ?, dir = ? WHERE id = ?').run(name, join('runs', String(runId)), runId);
    return runId;
  })();
  return getRun(db, id);
}

interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  dataset_id: number | null;
  dataset_name: string;
  split_id: number | null;
  parent_run_id: number | null;
  preset: string | null;
  config: string;
  dataset_hash: string | null;
  split_hash: string | null;
  vocab_hash: string | null;
  backend: string | null;
  environment: string | null;
  dir: string | null;
  pid: number | null;
  step: number;
  epoch: number;
  progress: string | null;
  error: string | null;
  tags: string;
  notes: string;
  sweep_id: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
}

function toRecord(db: Db, r: RunRow): RunRecord {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    splitId: r.split_id,
    parentRunId: r.parent_run_id,
    preset: r.preset,
    config: parseStoredRunConfig(r.id, r.config), // parsed, not cast: older configs get defaults
    datasetHash: r.dataset_hash,
    splitHash: r.split_hash,
    vocabHash: r.vocab_hash,
    backend: r.backend,
    environment: r.environment ? (JSON.parse(r.environment) as Record<string, unknown>) : null,
    dir: fromStoredPath(db, r.dir ?? join('runs', String(r.id))),
    pid: r.pid,
    step: r.step,
    epoch: r.epoch,
    progress: storedProgress(r.progress),
    error: r.error,
    tags: r.tags,
    notes: r.notes,
    sweepId: r.sweep_id ?? null,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
  };
}

/** The live snapshot, parsed: one a different version wrote in another shape is dropped (the next beat rewrites it). */
function storedProgress(json: string | null): RunProgress | null {
  if (!json) return null;
  const parsed = RunProgressSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

export function findRun(db: Db, id: number): RunRecord | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row && toRecord(db, row);
}

export function getRun(db: Db, id: number): RunRecord {
  const run = findRun(db, id);
  if (!run) throw notFound(`run ${id} not found`);
  return run;
}

export function listRuns(db: Db, filter: { status?: RunStatus; datasetId?: number } = {}): RunRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    args.push(filter.status);
  }
  if (filter.datasetId !== undefined) {
    where.push('dataset_id = ?');
    args.push(filter.datasetId);
  }
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
  return (db.prepare(sql).all(...args) as RunRow[]).map((r) => toRecord(db, r));
}

/** The trainer process took the run: status running, its pid, a first heartbeat. */
export function markRunning(db: Db, id: number, pid: number): void {
  const t = now();
  db.prepare(
    `UPDATE runs SET status = 'running', pid = ?, started_at = COALESCE(started_at, ?), heartbeat_at = ?,
       finished_at = NULL, error = NULL WHERE id = ?`,
  ).run(pid, t, t, id);
}

/** What the trainer found out while preparing: data identity, backend, environment. */
export interface RunSetup {
  datasetId: number;
  splitId: number;
  datasetHash: string;
  splitHash: string;
  vocabHash: string;
  backend: string;
  environment: Record<string, unknown>;
}

export function recordRunSetup(db: Db, id: number, setup: RunSetup): void {
  db.prepare(
    `UPDATE runs SET dataset_id = ?, split_id = ?, dataset_hash = ?, split_hash = ?, vocab_hash = ?, backend = ?,
       environment = ? WHERE id = ?`,
  ).run(
    setup.datasetId,
    setup.splitId,
    setup.datasetHash,
    setup.splitHash,
    setup.vocabHash,
    setup.backend,
    JSON.stringify(setup.environment),
    id,
  );
}

/** Merges keys into the environment JSON (e.g. peak memory and timings at the end). */
export function updateRunEnvironment(db: Db, id: number, patch: Record<string, unknown>): void {
  db.transaction(() => {
    const cur = db.prepare('SELECT environment FROM runs WHERE id = ?').pluck().get(id) as string | null;
    const merged = { ...(cur ? (JSON.parse(cur) as Record<string, unknown>) : {}), ...patch };
    db.prepare('UPDATE runs SET environment = ? WHERE id = ?').run(JSON.stringify(merged), id);
  })();
}

/** Progress snapshot + heartbeat: what a UI in another process polls. */
export function updateRunProgress(db: Db, id: number, progress: RunProgress): void {
  db.prepare('UPDATE runs SET step = ?, epoch = ?, progress = ?, heartbeat_at = ? WHERE id = ?').run(
    progress.step,
    progress.epoch,
    JSON.stringify(progress),
    now(),
    id,
  );
}

export function finishRun(
  db: Db,
  id: number,
  status: Exclude<RunStatus, 'queued' | 'running'>,
  error: string | null = null,
): void {
  db.transaction(() => {
    db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ?, pid = NULL WHERE id = ?').run(
      status,
      error,
      now(),
      id,
    );
    endRun(db, id);
  })();
}

/**
 * What every end of a run writes besides its status (finishRun, finishRunIfActive): the columnar copy of its
 * metric series (metric-columns.ts), so charts read one blob per series, not its rows.
 */
function endRun(db: Db, id: number): void {
  writeRunColumns(db, id);
}

/** Only moves a run that is still marked active (the worker may have recorded its own end). */
export function finishRunIfActive(db: Db, id: number, status: 'failed' | 'interrupted', error: string): boolean {
  return db.transaction(() => {
    const info = db
      .prepare(
        `UPDATE runs SET status = ?, error = ?, finished_at = ?, pid ` +
          `= NULL WHERE id = ? AND status IN ('queued', 'running')`,
      )
      .run(status, error, now(), id);
    if (info.changes > 0) endRun(db, id);
    return info.changes > 0;
  })();
}

/**
 * Takes a resumable run for one new trainer: moves it to queued, held by `holderPid` (the launching
 * process, until the trainer's pid replaces it), only if it is still resumable. One conditional UPDATE,
 * so of two doors resuming at once exactly one wins (SQLite serialises writers, and the WHERE is
 * evaluated under the write lock); false for the loser. The fresh heartbeat keeps
 * recoverInterruptedRuns from taking the claim for a stale run.
 */
export function claimRunForResume(db: Db, id: number, holderPid: number): boolean {
  const t = now();
  const info = db
    .prepare(
      `UPDATE runs SET status = 'queued', pid = ?, error = NULL, finished_at = NULL, heartbeat_at = ?
       WHERE id = ? AND status IN (${[...RESUMABLE].map((s) => `'${s}'`).join(', ')})`,
    )
    .run(holderPid, t, id);
  return info.changes > 0;
}

/**
 * A trainer that stopped because its launcher went away recorded 'cancelled' (the trainer only knows
 * "stop requested"); the run was not cancelled by anyone, so it becomes interrupted with the reason.
 */
export function markStopAsInterrupted(db: Db, id: number, reason: string): boolean {
  const info = db
    .prepare(`UPDATE runs SET status = 'interrupted', error = ? WHERE id = ? AND status = 'cancelled'`)
    .run(reason, id);
  return info.changes > 0;
}

export function setRunPid(db: Db, id: number, pid: number): void {
  db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(pid, id);
}

/** Deletes a run with its metrics, samples, checkpoints and folder. Refuses a live run. */
export function deleteRun(db: Db, id: number): void {
  // The row as stored, config unread: a run whose config this version cannot read can still be deleted.
  const row = db.prepare('SELECT id, status, pid, dir FROM runs WHERE id = ?').get(id) as
    Pick<RunRow, 'id' | 'status' | 'pid' | 'dir'> | undefined;
  if (!row) throw notFound(`run ${id} not found`);
  const run = { ...row, dir: fromStoredPath(db, row.dir ?? join('runs', String(id))) };
  if ((run.status === 'running' || run.status === 'queued') && run.pid !== null && isProcessAlive(run.pid)) {
    throw conflict(`run ${id} is still training (pid ${run.pid}); cancel it first`);
  }
  db.transaction(() => {
    db.prepare('UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = ?').run(id);
    db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  })();
  if (existsSync(run.dir)) rmSync(run.dir, { recursive: true, force: true });
}

/**
 * Finds runs whose trainer died without saying so (crash, kill -9, power loss):
 * status running/queued but the process is gone, or its heartbeat is older than
 * `staleMs`. Marks them interrupted (resumable). Every door calls this when it
 * opens the store for runs. Returns the ids it marked.
 */
export function recoverInterruptedRuns(db: Db, opts: { staleMs?: number; queuedGraceMs?: number } = {}): number[] {
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const queuedGraceMs = opts.queuedGraceMs ?? 60_000;
  const candidates = db
    .prepare(
      `SELECT id, status, pid, environment, heartbeat_at, created_at FROM runs WHERE status IN ('running', 'queued')`,
    )
    .all() as Array<Pick<RunRow, 'id' | 'status' | 'pid' | 'environment' | 'heartbeat_at' | 'created_at'>>;
  const marked: number[] = [];
  const t = Date.now();
  for (const r of candidates) {
    const host = r.environment ? (JSON.parse(r.environment) as { host?: string }).host : undefined;
    const sameHost = host === undefined || host === hostname();
    const beat = Date.parse(r.heartbeat_at ?? r.created_at);
    let reason: string | undefined;
    if (r.pid === null) {
      if (t - beat > queuedGraceMs) reason = 'the trainer never started';
    } else if (sameHost && !isProcessAlive(r.pid)) {
      reason = `the trainer process (pid ${r.pid}) is gone`;
    } else if (t - beat > staleMs) {
      reason = `no heartbeat since ${r.heartbeat_at ?? r.created_at}`;
    }
    // The reason only: doors print "run N interrupted: <reason>".
    if (
      reason &&
      finishRunIfActive(db, r.id, 'interrupted', `${reason}; resume with "workbench runs resume ${r.id}"`)
    ) {
      marked.push(r.id);
    }
  }
  return marked;
}
