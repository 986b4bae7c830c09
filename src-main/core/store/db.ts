import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

/** Where the experiment store lives: --db PATH, then $WORKBENCH_DB, then ./experiments.db. */
export function resolveDbPath(explicit?: string): string {
  return resolve(explicit ?? process.env.WORKBENCH_DB ?? 'experiments.db');
}

export class StoreVersionError extends Error {}

/**
 * Opens (creating if needed) the experiment store and brings its schema up to date.
 * WAL lets the UI read while a trainer process writes; foreign keys keep runs,
 * metrics and pairs consistent when a dataset or run is deleted.
 */
export function openDb(path: string, opts: { readonly?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const fresh = path === ':memory:' || !existsSync(path);
  const db = new Database(path, { readonly: opts.readonly ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Trainer processes and the UI write concurrently; wait instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 10000');
  if (!opts.readonly) migrate(db, path, fresh);
  return db;
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies every pending migration in one transaction; refuses a store written by a newer version. */
export function migrate(db: Db, path: string, fresh = false): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new StoreVersionError(
      `${path}: the experiment store has schema version ${current}, but this workbench understands up to ${SCHEMA_VERSION}. ` +
        'Upgrade the workbench, or point --db at another file.',
    );
  }
  if (current === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) MIGRATIONS[v](db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  void fresh;
}
