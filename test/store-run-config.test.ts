import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRunConfig } from '../src-main/common/config.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { createRun, deleteRun, findRun, finishRun, getRun, listRuns } from '../src-main/core/store/runs.ts';

/**
 * Stored run configs are parsed at the store boundary (store/stored-config.ts): a config stored by an
 * older version gets the options added since at their defaults; one the schema cannot read is an
 * error naming the run and the option.
 */
const dir = mkdtempSync(join(tmpdir(), 'wb-stored-config-'));
const dbPath = join(dir, 'experiments.db');
const workbench = fileURLToPath(new URL('../bin/workbench.js', import.meta.url));
const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, [workbench, '--db', dbPath, ...args], { cwd: dir });
let db: Db;

beforeAll(() => {
  db = openDb(dbPath);
});

/** A run whose stored config is `edit` of a complete one (an older or newer version's). */
function storedRun(edit: (config: Record<string, unknown>) => void, over: Record<string, unknown> = {}): number {
  const config = buildRunConfig({ preset: 'tutorial', overrides: { max_epochs: 2, ...over } });
  const run = createRun(db, { config });
  const stored = { ...config } as Record<string, unknown>;
  edit(stored);
  db.prepare('UPDATE runs SET config = ? WHERE id = ?').run(JSON.stringify(stored), run.id);
  return run.id;
}

/** Options a config of an older version did not have. */
const NEWER_KEYS = ['repetition_penalty', 'no_repeat_ngram_size', 'init_rnn_orthogonal', 'lstm_forget_gate'] as const;
const dropNewer = (c: Record<string, unknown>) => NEWER_KEYS.forEach((k) => delete c[k]);

describe('stored run configs', () => {
  it('an option added since the run was stored takes its default', () => {
    const id = storedRun(dropNewer);
    const { config } = getRun(db, id);
    expect(config.repetition_penalty).toBe(1);
    expect(config.no_repeat_ngram_size).toBe(0);
    expect(config.init_rnn_orthogonal).toBe(false);
    expect(config.lstm_forget_gate).toBe(1);
    expect(listRuns(db).find((r) => r.id === id)?.config.repetition_penalty).toBe(1);
  });

  it('a value or an option the schema does not know is an error naming the run and the option', () => {
    const badValue = storedRun((c) => (c.level = 'sentencepiece'));
    expect(() => getRun(db, badValue)).toThrow(
      expect.objectContaining({ code: 'bad_input', where: { field: 'level' } }),
    );
    expect(() => getRun(db, badValue)).toThrow(new RegExp(`run ${badValue}: .*level: must be one of: word, char, bpe`));
    const unknown = storedRun((c) => (c.warp_drive = true));
    expect(() => findRun(db, unknown)).toThrow(new RegExp(`run ${unknown}: .*warp_drive: unknown option`));
    // A run that cannot be read can still be deleted.
    deleteRun(db, badValue);
    deleteRun(db, unknown);
    expect(findRun(db, badValue)).toBeUndefined();
  });

  it('a run stored by an older version resumes and completes', async () => {
    await getDatasetByName(db, 'builtin:tutorial');
    // The smallest model: what is checked is the stored config.
    const id = storedRun(dropNewer, { max_epochs: 1, hidden_size: 16, embedding_dim: 8 });
    finishRun(db, id, 'interrupted', 'the test stopped it');
    await cli('runs', 'resume', String(id), '--backend', 'cpu', '--json');
    const run = getRun(db, id);
    expect(run.status, run.error ?? '').toBe('completed');
    expect(run.config.repetition_penalty).toBe(1);
  }, 120_000);
});
