// Shared by the tests where a trainer meets a store locked by another writer: starts a tiny
// tutorial run through the CLI with a 200 ms busy timeout and waits until it has trained a step.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDatasetByName } from '../../src-main/core/data/builtin.ts';
import { openDb, type Db } from '../../src-main/core/store/db.ts';
import { findRun, type RunRecord } from '../../src-main/core/store/runs.ts';

const workbench = fileURLToPath(new URL('../../bin/workbench.js', import.meta.url));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LockedStoreTraining {
  /** the store's folder (runs/<id>/ holds the checkpoints) */
  dir: string;
  /** a connection that can take the write lock (its own busy timeout is long) */
  locker: Db;
  run(): RunRecord | undefined;
  exited(): boolean;
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

export async function startTrainingUnderLock(sets: string[]): Promise<LockedStoreTraining> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-locked-'));
  const dbPath = join(dir, 'x.db');
  const locker = openDb(dbPath, { busyTimeoutMs: 60_000 });
  await getDatasetByName(locker, 'builtin:tutorial');
  const args = [
    workbench,
    '--db',
    dbPath,
    'train',
    '--dataset',
    'builtin:tutorial',
    '--preset',
    'tutorial',
    ...sets.flatMap((s) => ['--set', s]),
    '--json',
  ];
  // A busy timeout far shorter than the tests hold the lock.
  const child = spawn(process.execPath, args, { env: { ...process.env, WORKBENCH_BUSY_TIMEOUT_MS: '200' }, cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const exit = new Promise<number | null>((r) => child.on('close', (code) => ((exited = true), r(code))));
  const run = () => findRun(locker, 1);
  while (!exited && !(run()?.status === 'running' && (run()?.step ?? 0) > 0)) await sleep(20);
  return { dir, locker, run, exited: () => exited, exit, stdout: () => stdout, stderr: () => stderr };
}
