import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { badInput } from '../../common/errors.ts';
import type { Db } from './db-handle.ts';

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

/** The files SQLite keeps beside the database while it is open or recovering. */
const DB_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Refuses to write `target` (an absolute path with symbolic links resolved, e.g.
 * from resolveWriteTarget) when it is the store's database, one of its side files,
 * or lies in its runs/ folder: an export there would destroy the store or a run.
 * Compared by real path and, for files that exist, by identity (a hard link).
 */
export function refuseStorePath(db: Db, target: string, shownAs: string = target): void {
  if (db.name === ':memory:' || db.name === '') return;
  const dbFile = realOrSelf(resolve(db.name));
  const targetId = fileId(target);
  for (const suffix of DB_SIDE_FILES) {
    const f = dbFile + suffix;
    const id = targetId && fileId(f);
    if (target === f || (id && id === targetId)) {
      throw badInput(
        `${shownAs}: is the workbench store${suffix ? `'s ${suffix.slice(1)} file` : ''} ` +
          `(${dbFile}); choose another file`,
        { file: shownAs },
      );
    }
  }
  const runs = realOrSelf(join(realOrSelf(storeDir(db)), 'runs'));
  if (target === runs || target.startsWith(runs + sep)) {
    throw badInput(`${shownAs}: lies inside the store's runs folder (${runs}); choose another place`, {
      file: shownAs,
    });
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function fileId(p: string): string | null {
  try {
    const st = statSync(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}
