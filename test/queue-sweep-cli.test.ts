import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src-main/core/store/db.ts';
import { listQueue } from '../src-main/core/store/queue.ts';
import { listRuns } from '../src-main/core/store/runs.ts';

/**
 * A sweep through the CLI with real trainers: queued from one command, at most K at once, and the
 * scheduler killed (kill -9) mid-sweep then started again continues the queue without running
 * anything twice. (The 27-run acceptance sweep of issue 14 is in the README's figures; this is 3 runs.)
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wb-sweep-cli-'));
const dbPath = join(dir, 'experiments.db');
const workbench = fileURLToPath(new URL('../bin/workbench.js', import.meta.url));
const cli = (...args: string[]) =>
  run(process.execPath, [workbench, '--db', dbPath, ...args], { maxBuffer: 1 << 26, cwd: dir });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sweepArgs = ['--dataset', 'builtin:tutorial', '--preset', 'tutorial', '--set', 'max_epochs=40'];

describe('workbench sweep and queue', () => {
  it('a bad value queues nothing and names it; --detach queues and lists', async () => {
    const bad = await cli('sweep', ...sweepArgs, '--grid', 'dropout=0.1,1.5', '--seeds', '1,2').then(
      () => ({ code: 0, stderr: '' }),
      (e: { stderr: string; code: number }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/dropout=1\.5/);
    const db = openDb(dbPath);
    expect(listQueue(db, { states: ['waiting', 'done', 'cancelled', 'held', 'started'] })).toHaveLength(0);
    const { stdout } = await cli('sweep', ...sweepArgs, '--grid', 'hidden_size=16,32', '--detach', '--json');
    const queued = JSON.parse(stdout) as { sweepId: number; entries: Array<{ id: number; state: string }> };
    expect(queued.entries.map((e) => e.state)).toEqual(['waiting', 'waiting']);
    const list = JSON.parse((await cli('queue', 'list', '--json')).stdout) as { entries: []; scheduler: null };
    expect(list.entries).toHaveLength(2);
    expect(list.scheduler).toBeNull();
    await cli('queue', 'cancel', '--sweep', String(queued.sweepId));
    expect(JSON.parse((await cli('queue', 'list', '--json')).stdout).entries).toHaveLength(0);
    db.close();
  });

  it('kill -9 of the sweep mid-way: `queue run` resumes its interrupted run, runs the rest, K at once', async () => {
    const db = openDb(dbPath);
    const args = ['sweep', ...sweepArgs, '--grid', 'hidden_size=16,24,32', '--max-concurrent', '1'];
    const child = spawn(process.execPath, [workbench, '--db', dbPath, ...args], { stdio: 'ignore', cwd: dir });
    const sweepRuns = () => listRuns(db).filter((r) => r.sweepId !== null && r.name.includes('hidden_size'));
    let killedRun = 0;
    for (let t = 0; t < 1200 && !killedRun; t++) {
      await sleep(50);
      const running = sweepRuns().filter((r) => r.status === 'running');
      expect(running.length).toBeLessThanOrEqual(1);
      if (running[0]?.step > 0) {
        killedRun = running[0].id;
        child.kill('SIGKILL'); // the scheduler only: its trainer notices, saves and records interrupted
      }
    }
    expect(killedRun).toBeGreaterThan(0);
    // The orphaned trainer records its stop (cancelled, then interrupted: nobody cancelled it) and exits.
    const settled = () => sweepRuns().every((r) => r.status === 'interrupted' && r.pid === null);
    for (let t = 0; t < 600 && !settled(); t++) await sleep(100);
    expect(sweepRuns().map((r) => r.status)).toEqual(['interrupted']);

    let peak = 0;
    const running = () => sweepRuns().filter((r) => r.status === 'running').length;
    const watch = setInterval(() => (peak = Math.max(peak, running())), 50);
    const { stdout } = await cli('queue', 'run', '--max-concurrent', '2', '--json');
    clearInterval(watch);
    const out = JSON.parse(stdout) as { outcomes: Record<string, number>; stopped: boolean };
    expect(out).toMatchObject({ stopped: false, outcomes: { completed: 3 } });
    const runs = sweepRuns();
    expect(runs).toHaveLength(3); // nothing ran twice
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(peak).toBeLessThanOrEqual(2);
    const entry = listQueue(db, { states: ['done'] }).find((e) => e.runId === killedRun);
    expect(entry?.attempts).toBe(2); // started, then resumed
    db.close();
  }, 300_000);
});
