import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isProcessAlive } from '../process-alive.ts';
import type { Db } from './db.ts';
import { nowIso as now } from './store-dir.ts';

/**
 * Which scheduler runs the queue, and the queue's settings (the single queue_scheduler row).
 *
 * One scheduler per store: claimScheduler is a compare-and-swap on the holder token (a conditional
 * UPDATE, evaluated under SQLite's write lock), so of two schedulers starting at once exactly one wins,
 * as with a trainer's run claim. A holder counts as gone when its process is not alive on this host,
 * or when it has not beaten for `staleMs` (another host, a hung process): then anyone may take over.
 */
export interface SchedulerRow {
  holder: string | null;
  pid: number | null;
  host: string | null;
  heartbeatAt: string | null;
  paused: boolean;
  /** null: what the machine can take (queue-capacity.ts) */
  maxConcurrent: number | null;
}

export const SCHEDULER_STALE_MS = 30_000;

export function schedulerRow(db: Db): SchedulerRow {
  const sql = 'SELECT holder, pid, host, heartbeat_at, paused, max_concurrent FROM queue_scheduler WHERE id = 1';
  const r = db.prepare(sql).get() as {
    holder: string | null;
    pid: number | null;
    host: string | null;
    heartbeat_at: string | null;
    paused: number;
    max_concurrent: number | null;
  };
  return {
    holder: r.holder,
    pid: r.pid,
    host: r.host,
    heartbeatAt: r.heartbeat_at,
    paused: r.paused === 1,
    maxConcurrent: r.max_concurrent,
  };
}

/** Whether the row's holder is a live scheduler (not this one). */
export function holderAlive(row: SchedulerRow, staleMs = SCHEDULER_STALE_MS): boolean {
  if (row.holder === null || row.pid === null) return false;
  if (Date.now() - Date.parse(row.heartbeatAt ?? '1970-01-01T00:00:00Z') > staleMs) return false;
  return row.host !== hostname() || isProcessAlive(row.pid);
}

/** A fresh identity for one scheduler object. */
export const newHolderToken = (): string => randomUUID();

/** Takes the queue for `token` unless a live scheduler holds it; true when `token` holds it now. */
export function claimScheduler(db: Db, token: string, staleMs = SCHEDULER_STALE_MS): boolean {
  const row = schedulerRow(db);
  if (row.holder === token) return beatScheduler(db, token);
  if (holderAlive(row, staleMs)) return false;
  const info = db
    .prepare('UPDATE queue_scheduler SET holder = ?, pid = ?, host = ?, heartbeat_at = ? WHERE id = 1 AND holder IS ?')
    .run(token, process.pid, hostname(), now(), row.holder);
  return info.changes > 0;
}

/** The holder's heartbeat; false when `token` no longer holds the queue (another took it over). */
export function beatScheduler(db: Db, token: string): boolean {
  const beat = db.prepare('UPDATE queue_scheduler SET heartbeat_at = ? WHERE id = 1 AND holder = ?');
  return beat.run(now(), token).changes > 0;
}

export function releaseScheduler(db: Db, token: string): void {
  db.prepare(
    'UPDATE queue_scheduler SET holder = NULL, pid = NULL, heartbeat_at = NULL WHERE id = 1 AND holder = ?',
  ).run(token);
}

/** Paused: no new starts (running trainers go on). */
export function setQueuePaused(db: Db, paused: boolean): void {
  db.prepare('UPDATE queue_scheduler SET paused = ? WHERE id = 1').run(paused ? 1 : 0);
}

/** null: back to what the machine can take. */
export function setQueueMaxConcurrent(db: Db, k: number | null): void {
  db.prepare('UPDATE queue_scheduler SET max_concurrent = ? WHERE id = 1').run(k);
}
