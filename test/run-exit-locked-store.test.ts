import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { findRun } from '../src-main/core/store/runs.ts';

/**
 * The launcher's last word on a run: when its trainer dies without recording an
 * end, the CLI (or the service) records it. That write must wait for a store
 * whose lock another writer holds past the busy timeout, not crash the CLI with
 * "database is locked" and leave the run 'running'.
 */
const workbench = fileURLToPath(new URL('../bin/workbench.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a trainer that dies while another writer holds the store', () => {
  it('its CLI waits for the lock, records the run interrupted and exits normally', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-exit-locked-'));
    const dbPath = join(dir, 'x.db');
    const locker = openDb(dbPath, { busyTimeoutMs: 60_000 });
    await getDatasetByName(locker, 'builtin:tutorial');
    const child = spawn(
      process.execPath,
      [workbench, '--db', dbPath, 'train', '--dataset', 'builtin:tutorial', '--preset', 'tutorial', '--set', 'max_epochs=500', '--set', 'hidden_size=16', '--set', 'embedding_dim=8', '--json'],
      // A busy timeout far shorter than the lock is held below: before, the exit write gave up after it.
      { env: { ...process.env, WORKBENCH_BUSY_TIMEOUT_MS: '200' }, cwd: dir },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    const exit = new Promise<number | null>((r) => child.on('close', (code) => ((exited = true), r(code))));
    const run = () => findRun(locker, 1);
    while (!exited && !(run()?.status === 'running' && (run()?.step ?? 0) > 0)) await sleep(20);
    expect(exited).toBe(false);
    const trainerPid = run()?.pid as number;

    locker.exec('BEGIN IMMEDIATE');
    process.kill(trainerPid, 'SIGKILL');
    // Held for 1.5 s, well past the CLI's 200 ms busy timeout (and its sync retries).
    await sleep(1500);
    const aliveWhileLocked = !exited;
    locker.exec('COMMIT');

    expect(await exit).toBe(1); // an interrupted run: not a success, but not a crash either
    expect(stderr).not.toContain('locked');
    expect(aliveWhileLocked).toBe(true);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toMatchObject({ runId: 1, status: 'interrupted' });
    expect(run()).toMatchObject({ status: 'interrupted', pid: null, error: expect.stringContaining('SIGKILL') });
  }, 60_000);
});
