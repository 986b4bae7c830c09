import { parseRunConfig, type RunConfig } from '../../common/config.ts';
import { conflict, notFound } from '../../common/errors.ts';
import type { QueueEntry, QueueState } from '../../common/queue-entry.ts';
import type { Db } from './db.ts';
import { nowIso as now } from './store-dir.ts';

export type { QueueEntry, QueueState };

/** States an entry can still start or is running in: what `queue list` shows by default. */
export const OPEN_STATES: ReadonlyArray<QueueState> = ['started', 'waiting', 'held'];

export interface NewQueueEntry {
  name?: string;
  preset?: string | null;
  config: RunConfig;
  backend?: string | null;
  sweepId?: number | null;
}

interface QueueRow {
  id: number;
  position: number;
  state: QueueState;
  name: string;
  preset: string | null;
  config: string;
  backend: string | null;
  sweep_id: number | null;
  run_id: number | null;
  attempts: number;
  outcome: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const toEntry = (r: QueueRow): QueueEntry => ({
  id: r.id,
  position: r.position,
  state: r.state,
  name: r.name,
  preset: r.preset,
  config: parseRunConfig(JSON.parse(r.config)), // parsed, not cast: an entry queued by an older version gets defaults
  backend: r.backend,
  sweepId: r.sweep_id,
  runId: r.run_id,
  attempts: r.attempts,
  outcome: r.outcome,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

/** Appends entries at the end of the queue, all or none (one transaction). */
export function enqueue(db: Db, entries: readonly NewQueueEntry[]): QueueEntry[] {
  const insert = db.prepare(
    `INSERT INTO queue (position, state, name, preset, config, backend, sweep_id, created_at)
     VALUES (?, 'waiting', ?, ?, ?, ?, ?, ?)`,
  );
  const ids = db.transaction(() => {
    let pos = (db.prepare('SELECT COALESCE(MAX(position), 0) FROM queue').pluck().get() as number) + 1;
    const t = now();
    return entries.map((e) => {
      const info = insert.run(
        pos++,
        e.name ?? '',
        e.preset ?? null,
        JSON.stringify(e.config),
        e.backend ?? null,
        e.sweepId ?? null,
        t,
      );
      return Number(info.lastInsertRowid);
    });
  })();
  return ids.map((id) => getQueueEntry(db, id));
}

export function findQueueEntry(db: Db, id: number): QueueEntry | undefined {
  const row = db.prepare('SELECT * FROM queue WHERE id = ?').get(id) as QueueRow | undefined;
  return row && toEntry(row);
}

export function getQueueEntry(db: Db, id: number): QueueEntry {
  const e = findQueueEntry(db, id);
  if (!e) throw notFound(`queue entry ${id} not found (workbench queue list --all shows every entry)`);
  return e;
}

/** Entries in start order (started ones first, then by position); `states` defaults to the open ones. */
export function listQueue(db: Db, filter: { states?: readonly QueueState[]; sweepId?: number } = {}): QueueEntry[] {
  const states = filter.states ?? OPEN_STATES;
  const args: unknown[] = [...states];
  let sql = `SELECT * FROM queue WHERE state IN (${states.map(() => '?').join(', ')})`;
  if (filter.sweepId !== undefined) {
    sql += ' AND sweep_id = ?';
    args.push(filter.sweepId);
  }
  sql += ` ORDER BY state = 'started' DESC, position, id`;
  return (db.prepare(sql).all(...args) as QueueRow[]).map(toEntry);
}

/** The next entry to start: the lowest position among the waiting (of one sweep, with `sweepId`). */
export function nextWaiting(db: Db, sweepId?: number): QueueEntry | undefined {
  const sql = `SELECT * FROM queue WHERE state = 'waiting' ${sweepId !== undefined ? 'AND sweep_id = ?' : ''}
               ORDER BY position, id LIMIT 1`;
  const row = db.prepare(sql).get(...(sweepId !== undefined ? [sweepId] : [])) as QueueRow | undefined;
  return row && toEntry(row);
}

/**
 * Takes a waiting entry for starting (conditional: false when it is no longer waiting, e.g. cancelled
 * or held meanwhile). run_id is set by linkEntryRun as soon as the run row exists.
 */
export function markEntryStarting(db: Db, id: number): boolean {
  const info = db
    .prepare(
      `UPDATE queue SET state = 'started', attempts = attempts + 1, started_at = ? WHERE id = ? AND state = 'waiting'`,
    )
    .run(now(), id);
  return info.changes > 0;
}

/** The entry's run exists: recorded with it, and the run carries the entry's sweep (one transaction). */
export function linkEntryRun(db: Db, id: number, runId: number): void {
  db.transaction(() => {
    db.prepare('UPDATE queue SET run_id = ? WHERE id = ?').run(runId, id);
    db.prepare('UPDATE runs SET sweep_id = (SELECT sweep_id FROM queue WHERE id = ?) WHERE id = ?').run(id, runId);
  })();
}

/** A resume of the entry's run was started: one more attempt. */
export function countEntryAttempt(db: Db, id: number): void {
  db.prepare('UPDATE queue SET attempts = attempts + 1 WHERE id = ?').run(id);
}

/** A started entry whose run never came to exist (the scheduler died in between) waits again. */
export function returnEntryToWaiting(db: Db, id: number): void {
  db.prepare(
    `UPDATE queue SET state = 'waiting', started_at = NULL WHERE id = ? AND state = 'started' AND run_id IS NULL`,
  ).run(id);
}

/** The entry is over: `done` with the run's final status (or why it could not start), or `cancelled`. */
export function finishEntry(db: Db, id: number, state: 'done' | 'cancelled', outcome: string): boolean {
  const info = db
    .prepare(
      `UPDATE queue SET state = ?, outcome = ?, finished_at = ?
       WHERE id = ? AND state IN ('waiting', 'held', 'started')`,
    )
    .run(state, outcome, now(), id);
  return info.changes > 0;
}

/** Holds a waiting entry (it keeps its place and is skipped) or lets a held one wait again. */
export function setEntryHeld(db: Db, id: number, held: boolean): void {
  const e = getQueueEntry(db, id);
  const [from, to] = held ? ['waiting', 'held'] : ['held', 'waiting'];
  if (e.state === to) return;
  if (e.state !== from) {
    throw conflict(`queue entry ${id} is ${e.state}; only a ${from} entry can be ${held ? 'held' : 'released'}`);
  }
  db.prepare('UPDATE queue SET state = ? WHERE id = ? AND state = ?').run(to, id, from);
}

/**
 * Moves an open entry to `index` (0: the next to start) among the waiting and held entries, in one
 * transaction: positions are renumbered 1..n so the order stays exact whatever moved before.
 */
export function moveEntry(db: Db, id: number, index: number): QueueEntry[] {
  const e = getQueueEntry(db, id);
  if (e.state !== 'waiting' && e.state !== 'held') {
    throw conflict(`queue entry ${id} is ${e.state}; only waiting or held entries move`);
  }
  db.transaction(() => {
    const ids = db
      .prepare(`SELECT id FROM queue WHERE state IN ('waiting', 'held') AND id != ? ORDER BY position, id`)
      .pluck()
      .all(id) as number[];
    ids.splice(Math.max(0, Math.min(index, ids.length)), 0, id);
    const set = db.prepare('UPDATE queue SET position = ? WHERE id = ?');
    ids.forEach((qid, i) => set.run(i + 1, qid));
  })();
  return listQueue(db, { states: ['waiting', 'held'] });
}
