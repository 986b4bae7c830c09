import { conflict, WorkbenchError } from '../../common/errors.ts';
import { backoff, isBusy } from './busy.ts';
import type { Db } from './db-handle.ts';
import { isProcessAlive } from '../process-alive.ts';
import { nowIso } from './store-dir.ts';

/**
 * A dataset being imported: its row (state 'importing') and pairs are written
 * in many short transactions, so the write lock is never held for a whole file,
 * and no reader sees any of it (every dataset query asks for state 'ready')
 * until publishStagedDataset flips the state in one short transaction. The
 * staged row holds the name, so a second import of it conflicts at once.
 *
 * A staged dataset whose importer is gone (kill -9, crash, power loss, or an
 * import in this process that failed and could not clean up) is abandoned:
 * deleted, in chunks, at the next open of the store or the next import of its name.
 */

/** Staged datasets this process is importing now (its other staged rows are abandoned). */
const importing = new Set<number>();

interface StagedRow {
  id: number;
  state: 'ready' | 'importing';
  import_pid: number | null;
}

const abandoned = (r: StagedRow) =>
  r.import_pid === null || (r.import_pid === process.pid ? !importing.has(r.id) : !isProcessAlive(r.import_pid));

/**
 * Creates the invisible dataset row an import writes its pairs under and returns its id.
 * A dataset of that name, published or being imported by a live process, is a conflict.
 */
export function stageDataset(db: Db, d: { name: string; description: string; origin: string }): number {
  let stale: number | undefined;
  const id = db
    .transaction(() => {
      const existing = db.prepare('SELECT id, state, import_pid FROM datasets WHERE name = ?').get(d.name) as
        StagedRow | undefined;
      if (existing?.state === 'ready') throw conflict(`a dataset named "${d.name}" already exists`);
      if (existing && !abandoned(existing)) {
        throw conflict(
          `a dataset named "${d.name}" is being imported (process ` +
            `${existing.import_pid}); wait for it to finish or choose another name`,
        );
      }
      if (existing) {
        // Frees the name now; the rows go after this transaction, in chunks.
        db.prepare('UPDATE datasets SET name = ? WHERE id = ?').run(
          `\u0000abandoned import ${existing.id}`,
          existing.id,
        );
        stale = existing.id;
      }
      const now = nowIso();
      return Number(
        db
          .prepare(
            `INSERT INTO datasets (name, description, origin, state, import_pid, ` +
              `created_at, updated_at) VALUES (?, ?, ?, 'importing', ?, ?, ?)`,
          )
          .run(d.name, d.description, d.origin, process.pid, now, now).lastInsertRowid,
      );
    })
    .immediate();
  importing.add(id);
  if (stale !== undefined) discardStagedDataset(db, stale);
  return id;
}

/** Makes a staged dataset visible with its final pair count: one short transaction. */
export function publishStagedDataset(db: Db, id: number, pairCount: number): void {
  const now = nowIso();
  const info = db
    .prepare(
      `UPDATE datasets SET state = 'ready', import_pid = NULL, pair_count = ` +
        `?, created_at = ?, updated_at = ? WHERE id = ? AND state = 'importing'`,
    )
    .run(pairCount, now, now, id);
  if (info.changes !== 1)
    throw new WorkbenchError(
      'internal',
      `the import's staged dataset (id ${id}) was removed before it could be published; nothing was imported`,
    );
  importing.delete(id);
}

const CHUNK = 10_000;

/**
 * Deletes a staged dataset, its pairs and split members a chunk per statement
 * (each its own short transaction). Returns false when the store stayed locked:
 * what is left is abandoned, invisible, and deleted at a later open or import.
 */
export function discardStagedDataset(db: Db, id: number): boolean {
  try {
    const splits = db.prepare('SELECT id FROM splits WHERE dataset_id = ?').pluck().all(id) as number[];
    const members = db.prepare(
      'DELETE FROM split_members WHERE split_id = ? AND pair_id IN ' +
        '(SELECT pair_id FROM split_members WHERE split_id = ? LIMIT ?)',
    );
    for (const s of splits) while (members.run(s, s, CHUNK).changes > 0);
    const pairs = db.prepare('DELETE FROM pairs WHERE id IN (SELECT id FROM pairs WHERE dataset_id = ? LIMIT ?)');
    while (pairs.run(id, CHUNK).changes > 0);
    db.prepare(`DELETE FROM datasets WHERE id = ? AND state = 'importing'`).run(id);
    return true;
  } catch (err) {
    if (isBusy(err)) return false;
    throw err;
  } finally {
    importing.delete(id);
  }
}

/** Deletes every abandoned staged dataset (at open). Live imports of other processes are left alone. */
export function discardAbandonedImports(db: Db): void {
  const staged = db
    .prepare(`SELECT id, state, import_pid FROM datasets WHERE state = 'importing'`)
    .all() as StagedRow[];
  for (const r of staged) if (abandoned(r)) discardStagedDataset(db, r.id);
}

/** Resolves once no live import of `name` is staged (it was published, failed or abandoned). */
export async function waitWhileStaged(db: Db, name: string): Promise<void> {
  const get = db.prepare(`SELECT id, state, import_pid FROM datasets WHERE name = ? AND state = 'importing'`);
  for (let attempt = 1; ; attempt++) {
    const row = get.get(name) as StagedRow | undefined;
    if (!row || abandoned(row)) return;
    await backoff(attempt);
  }
}
