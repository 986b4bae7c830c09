import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDb, SCHEMA_VERSION } from '../src-main/core/store/db.ts';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'wb-store-')), 'experiments.db');

describe('experiment store', () => {
  it('creates the schema at first open, in WAL mode with foreign keys on', () => {
    const db = openDb(tmp());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all();
    for (const t of [
      'datasets',
      'pairs',
      'splits',
      'runs',
      'metrics',
      'samples',
      'checkpoints',
      'exports',
      'edit_groups',
    ]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('refuses a store written by a newer version and leaves it untouched', () => {
    const path = tmp();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.exec('CREATE TABLE keep (x)');
    raw.close();
    expect(() => openDb(path)).toThrow(/schema version .* understands up to/);
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    again.close();
  });

  it('upgrades an older store in one transaction', () => {
    const path = tmp();
    const raw = new Database(path);
    raw.pragma('user_version = 0');
    raw.close();
    const db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});
