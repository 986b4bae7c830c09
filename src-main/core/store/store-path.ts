import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { badInput } from '../../common/errors.ts';

/**
 * Checks the path given for the store (--db, $WORKBENCH_DB, the desktop's
 * default) before SQLite sees it, and creates its folder, so that a wrong path
 * is a message naming it instead of SQLite's "unable to open database file".
 */
export function prepareStorePath(path: string): void {
  const st = statOrNull(path);
  if (st?.isDirectory())
    throw badInput(`${path} is a folder: give the store's file, e.g. ${join(path, 'experiments.db')}`, { file: path });
  if (st) return;
  ensureFolder(path, dirname(path));
}

/**
 * mkdir -p, one level at a time. Node's recursive mkdirSync never returns when a
 * parent refuses new entries with ENOENT (e.g. /proc/nope): walk up to the first
 * existing folder and create each missing level below it instead.
 */
function ensureFolder(storePath: string, folder: string): void {
  const missing: string[] = [];
  let at = folder;
  for (let st = statOrNull(at); !st; st = statOrNull(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  const existing = statOrNull(at);
  if (existing && !existing.isDirectory())
    throw badInput(`${storePath}: cannot create the store there: ${at} is not a folder`, { file: storePath });
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST' && statOrNull(dir)?.isDirectory()) continue; // another process made it meanwhile
      throw badInput(`${storePath}: cannot create the folder ${dir} (${e.code ?? e.message})`, { file: storePath });
    }
  }
}

/** SQLite's own errors at open, said with the path and what to do. */
export function storeOpenError(path: string, err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return badInput(
      `${path} is not an experiment store (not a SQLite database, or damaged): point --db at another file`,
      { file: path },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'SQLITE_IOERR') {
    return badInput(
      `${path}: cannot open the experiment store (${(err as Error).message}): check the path and its permissions`,
      { file: path },
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
