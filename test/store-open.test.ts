import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../src-main/common/errors.ts';
import { openDb, SCHEMA_VERSION } from '../src-main/core/store/db.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'wb-open-'));
const workbench = fileURLToPath(new URL('../bin/workbench.js', import.meta.url));
const opener = fileURLToPath(new URL('./support/open-store.ts', import.meta.url));

/** Runs the opener script in `n` processes that all open `path` at the same instant. */
async function raceOpen(path: string, n: number): Promise<Array<{ code: number | null; out: string }>> {
  const startAt = Date.now() + 2500; // past every child's start-up, so they really race
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', opener, path, String(startAt)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<{ code: number | null; out: string }>((r) =>
        child.on('close', (code) => r({ code, out: out.trim() })),
      );
    }),
  );
}

/** The error openDb throws for `path` (it must throw). */
function openError(path: string): WorkbenchError {
  try {
    openDb(path).close();
  } catch (err) {
    return err as WorkbenchError;
  }
  throw new Error(`openDb(${path}) did not fail`);
}

describe('opening the store', () => {
  it('several processes opening a new store at once all succeed and find it migrated', async () => {
    // Before the fix, 2 of 6 such openers failed with "table datasets already exists".
    const path = join(tmp(), 'fresh.db');
    const results = await raceOpen(path, 8);
    expect(results.map((r) => r.out)).toEqual(Array(8).fill('ok'));
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  }, 60_000);

  it('a store from a newer workbench is a clear, typed error naming the file', async () => {
    const path = join(tmp(), 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const err = openError(path);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('unsupported');
    expect(err.message).toContain(path);
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 5}`);
    // The CLI prints it as is: no "internal error".
    const r = await promisify(execFile)(process.execPath, [workbench, '--db', path, 'dataset', 'list']).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(r).toMatchObject({ code: 1 });
    expect((r as { stderr: string }).stderr).toMatch(
      new RegExp(`^workbench: ${path}: the experiment store has schema version`),
    );
  });

  it('a path under a folder that cannot be created fails at once, naming the path', async () => {
    // In a child with a time limit: the failure was a hang (Node's recursive mkdir loops on /proc).
    const r = await promisify(execFile)(process.execPath, [workbench, '--db', '/proc/nope/x.db', 'dataset', 'list'], {
      timeout: 15_000,
    }).catch((e: { stderr: string; code: number | null; killed: boolean }) => e);
    expect(r).toMatchObject({ code: 1, killed: false });
    expect((r as { stderr: string }).stderr).toMatch(
      /^workbench: \/proc\/nope\/x\.db: cannot create the folder \/proc\/nope/,
    );
  });

  it('a path under a file (not a folder) fails, naming the path', () => {
    const dir = tmp();
    const file = join(dir, 'plain.db');
    openDb(file).close();
    const err = openError(join(file, 'inner.db'));
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain(join(file, 'inner.db'));
    expect(err.message).toContain('not a folder');
  });

  it('a folder given as the store fails, naming it', () => {
    const dir = join(tmp(), 'folder.db');
    mkdirSync(dir);
    const err = openError(dir);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain(dir);
    expect(err.message).toContain('is a folder');
  });

  it('a file that is not a SQLite store fails, naming it', () => {
    const path = join(tmp(), 'notes.txt');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const err = openError(path);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain(path);
    expect(err.message).toContain('not an experiment store');
  });
});
