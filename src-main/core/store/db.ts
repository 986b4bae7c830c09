import Database from 'better-sqlite3';
import { resolve } from 'node:path';
import { WorkbenchError } from '../../common/errors.ts';
import { busyTimeoutMs } from './busy.ts';
import type { Db } from './db-handle.ts';
import { defaultStorePath } from './default-store.ts';
import { MIGRATIONS } from './migrations.ts';
import { discardAbandonedImports } from './staged-datasets.ts';
import { prepareStorePath, storeOpenError } from './store-path.ts';

export type { Db };

/**
 * Where the experiment store lives: --db PATH, then $WORKBENCH_DB (both relative to the working directory), then the
 * checkout's experiments.db.
 */
export function resolveDbPath(explicit?: string): string {
  return resolve(explicit ?? process.env.WORKBENCH_DB ?? defaultStorePath());
}

export interface OpenOptions {
  readonly?: boolean;
  /** how long a write waits for another connection's write lock; default busyTimeoutMs() */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the experiment store and brings its schema up to date.
 * WAL lets the UI read while a trainer process writes; foreign keys keep runs,
 * metrics and pairs consistent when a dataset or run is deleted. A path that
 * cannot hold a store, a file that is not one, or a store from a newer
 * workbench is a WorkbenchError naming the path.
 */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  const readonly = opts.readonly ?? false;
  if (path !== ':memory:' && !readonly) prepareStorePath(path);
  let db: Db;
  try {
    db = new Database(path, { readonly });
  } catch (err) {
    throw storeOpenError(path, err);
  }
  try {
    // First: setting WAL and migrating take locks that other processes opening the
    // same new store contend for; they wait instead of failing with SQLITE_BUSY.
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? busyTimeoutMs()}`);
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    if (!readonly) {
      migrate(db, path);
      discardAbandonedImports(db);
    }
  } catch (err) {
    db.close();
    throw err instanceof WorkbenchError ? err : storeOpenError(path, err);
  }
  return db;
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Applies every pending migration in one transaction; refuses a store written by a
 * newer version. Safe with several processes opening a new store at once: the
 * write lock is taken first (BEGIN IMMEDIATE) and the version read again under
 * it, so exactly one of them migrates and the others find the work done.
 */
export function migrate(db: Db, path: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const refuseNewer = (v: number) => {
    if (v > SCHEMA_VERSION) {
      throw new WorkbenchError(
        'unsupported',
        `${path}: the experiment store has schema version ${v}, ` +
          `but this workbench understands up to ${SCHEMA_VERSION}. ` +
          'Upgrade the workbench, or point --db at another file.',
        { file: path },
      );
    }
  };
  refuseNewer(version());
  if (version() === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = version();
    refuseNewer(current);
    for (let v = current; v < SCHEMA_VERSION; v++) MIGRATIONS[v](db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
