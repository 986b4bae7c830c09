import { notFound } from '../../common/errors.ts';
import type { Db } from './db.ts';
import { nowIso as now } from './store-dir.ts';

/** A sweep: the spec a `workbench sweep` (or the launch form) expanded into queue entries; its runs carry its id. */
export interface SweepRecord {
  id: number;
  name: string;
  spec: Record<string, unknown>;
  createdAt: string;
}

export function createSweep(db: Db, spec: Record<string, unknown>, name?: string): SweepRecord {
  const id = db.transaction(() => {
    const info = db
      .prepare('INSERT INTO sweeps (name, spec, created_at) VALUES (?, ?, ?)')
      .run(name ?? '', JSON.stringify(spec), now());
    const sweepId = Number(info.lastInsertRowid);
    if (!name) db.prepare('UPDATE sweeps SET name = ? WHERE id = ?').run(`sweep-${sweepId}`, sweepId);
    return sweepId;
  })();
  return getSweep(db, id);
}

export function getSweep(db: Db, id: number): SweepRecord {
  const r = db.prepare('SELECT id, name, spec, created_at FROM sweeps WHERE id = ?').get(id) as
    { id: number; name: string; spec: string; created_at: string } | undefined;
  if (!r) throw notFound(`sweep ${id} not found`);
  return { id: r.id, name: r.name, spec: JSON.parse(r.spec) as Record<string, unknown>, createdAt: r.created_at };
}

/** runId → sweep id, for the runs that belong to a sweep. */
export function sweepOfRuns(db: Db): Map<number, number> {
  const rows = db.prepare('SELECT id, sweep_id FROM runs WHERE sweep_id IS NOT NULL').all() as Array<{
    id: number;
    sweep_id: number;
  }>;
  return new Map(rows.map((r) => [r.id, r.sweep_id]));
}
