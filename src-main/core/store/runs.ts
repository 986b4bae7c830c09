import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { RunConfig } from '../../common/config.ts';
import { conflict, notFound } from '../../common/errors.ts';
import type { Db } from './db.ts';

/**
 * The runs side of the experiment store: a run's row, its metric series, sample
 * translations and checkpoint index. Trainer processes write here as things happen
 * (WAL: the UI reads concurrently); every multi-row write is one transaction.
 *
 * Paths (run folder, checkpoints) are stored relative to the database's folder,
 * so moving the DB together with its runs/ folder keeps them valid; the functions
 * here always return absolute paths.
 */

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'imported';

/** Statuses from which `resume` continues a run. */
export const RESUMABLE: ReadonlySet<RunStatus> = new Set(['interrupted', 'cancelled', 'failed']);

/** The live snapshot a trainer keeps in runs.progress (and sends over IPC). */
export interface RunProgress {
  phase: 'preparing' | 'training' | 'validating' | 'checkpointing' | 'done';
  step: number;
  epoch: number;
  totalSteps: number;
  /** 0..1 of the planned updates */
  fraction: number;
  etaSeconds: number | null;
  loss: number | null;
  tokensPerSecond: number | null;
  backend: string | null;
  message?: string;
}

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
  tags: string;
  notes: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
}

export interface MetricPoint {
  step: number;
  epoch: number;
  /** seconds since the unix epoch */
  wall_time: number;
  value: number;
}

export interface SampleRecord {
  step: number;
  idx: number;
  source: string;
  reference: string;
  hypothesis: string;
}

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

const now = () => new Date().toISOString();

/** The folder next to the DB file that holds runs/<id>/ (cwd for an in-memory DB). */
export function storeDir(db: Db): string {
  return db.name === ':memory:' || db.name === '' ? process.cwd() : dirname(resolve(db.name));
}

const toStored = (db: Db, path: string) => {
  const rel = relative(storeDir(db), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};
const fromStored = (db: Db, path: string) => (isAbsolute(path) ? path : join(storeDir(db), path));

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
      .run(run.name ?? '', run.datasetId ?? null, run.config.dataset, run.parentRunId ?? null, run.preset ?? null, JSON.stringify(run.config), now());
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
    config: JSON.parse(r.config) as RunConfig,
    datasetHash: r.dataset_hash,
    splitHash: r.split_hash,
    vocabHash: r.vocab_hash,
    backend: r.backend,
    environment: r.environment ? (JSON.parse(r.environment) as Record<string, unknown>) : null,
    dir: fromStored(db, r.dir ?? join('runs', String(r.id))),
    pid: r.pid,
    step: r.step,
    epoch: r.epoch,
    progress: r.progress ? (JSON.parse(r.progress) as RunProgress) : null,
    error: r.error,
    tags: r.tags,
    notes: r.notes,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
  };
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
export function recordRunSetup(
  db: Db,
  id: number,
  setup: {
    datasetId: number;
    splitId: number;
    datasetHash: string;
    splitHash: string;
    vocabHash: string;
    backend: string;
    environment: Record<string, unknown>;
  },
): void {
  db.prepare(
    `UPDATE runs SET dataset_id = ?, split_id = ?, dataset_hash = ?, split_hash = ?, vocab_hash = ?, backend = ?,
       environment = ? WHERE id = ?`,
  ).run(setup.datasetId, setup.splitId, setup.datasetHash, setup.splitHash, setup.vocabHash, setup.backend, JSON.stringify(setup.environment), id);
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

export function finishRun(db: Db, id: number, status: Exclude<RunStatus, 'queued' | 'running'>, error: string | null = null): void {
  db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ?, pid = NULL WHERE id = ?').run(status, error, now(), id);
}

/** Only moves a run that is still marked active (the worker may have recorded its own end). */
export function finishRunIfActive(db: Db, id: number, status: 'failed' | 'interrupted', error: string): boolean {
  const info = db
    .prepare(`UPDATE runs SET status = ?, error = ?, finished_at = ?, pid = NULL WHERE id = ? AND status IN ('queued', 'running')`)
    .run(status, error, now(), id);
  return info.changes > 0;
}

export function setRunPid(db: Db, id: number, pid: number): void {
  db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(pid, id);
}

export function updateRunMeta(db: Db, id: number, patch: { name?: string; tags?: string; notes?: string }): void {
  getRun(db, id);
  if (patch.name !== undefined) db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(patch.name, id);
  if (patch.tags !== undefined) db.prepare('UPDATE runs SET tags = ? WHERE id = ?').run(patch.tags, id);
  if (patch.notes !== undefined) db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(patch.notes, id);
}

/** Deletes a run with its metrics, samples, checkpoints and folder. Refuses a live run. */
export function deleteRun(db: Db, id: number): void {
  const run = getRun(db, id);
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
    .prepare(`SELECT id, status, pid, environment, heartbeat_at, created_at FROM runs WHERE status IN ('running', 'queued')`)
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
    if (reason && finishRunIfActive(db, r.id, 'interrupted', `interrupted: ${reason}; resume with "workbench runs resume ${r.id}"`)) {
      marked.push(r.id);
    }
  }
  return marked;
}

/** Whether a process exists and is not a zombie (kill -9'd children linger as zombies until reaped). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no procfs (macOS, Windows): trust kill(0)
  }
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
  const insert = db.prepare('INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, wall_time, value) VALUES (?, ?, ?, ?, ?, ?)');
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
          .prepare('SELECT name, step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name IN (SELECT value FROM json_each(?)) ORDER BY name, step')
          .all(runId, JSON.stringify(names))
      : db.prepare('SELECT name, step, epoch, wall_time, value FROM metrics WHERE run_id = ? ORDER BY name, step').all(runId)
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
         (SELECT value FROM metrics m2 WHERE m2.run_id = m.run_id AND m2.name = m.name ORDER BY step DESC LIMIT 1) AS last
       FROM metrics m WHERE run_id = ? AND name IN (SELECT value FROM json_each(?)) GROUP BY name`,
    )
    .all(runId, JSON.stringify(names)) as Array<MetricStats & { name: string }>;
  return Object.fromEntries(rows.map(({ name, ...stats }) => [name, stats]));
}

// ---- samples --------------------------------------------------------------------

export function recordSamples(db: Db, runId: number, step: number, samples: ReadonlyArray<Omit<SampleRecord, 'step'>>): void {
  const insert = db.prepare('INSERT OR REPLACE INTO samples (run_id, step, idx, source, reference, hypothesis) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const s of samples) insert.run(runId, step, s.idx, s.source, s.reference, s.hypothesis);
  })();
}

export function getSamples(db: Db, runId: number): SampleRecord[] {
  return db.prepare('SELECT step, idx, source, reference, hypothesis FROM samples WHERE run_id = ? ORDER BY step, idx').all(runId) as SampleRecord[];
}

// ---- checkpoints ----------------------------------------------------------------

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
  path: fromStored(db, r.path),
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
    .run(runId, ckpt.step, ckpt.epoch, toStored(db, ckpt.path), ckpt.kind, ckpt.metricName ?? null, ckpt.metricValue ?? null, now());
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
