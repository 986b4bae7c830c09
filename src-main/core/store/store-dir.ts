import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Db } from './db.ts';

/**
 * Paths (run folders, checkpoints) are stored relative to the database's folder, so
 * moving the DB together with its runs/ folder keeps them valid; readers always get
 * absolute paths back.
 */

/** The folder next to the DB file that holds runs/<id>/ (cwd for an in-memory DB). */
export function storeDir(db: Db): string {
  return db.name === ':memory:' || db.name === '' ? process.cwd() : dirname(resolve(db.name));
}

export const toStoredPath = (db: Db, path: string) => {
  const rel = relative(storeDir(db), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};
export const fromStoredPath = (db: Db, path: string) => (isAbsolute(path) ? path : join(storeDir(db), path));

export const nowIso = (): string => new Date().toISOString();
