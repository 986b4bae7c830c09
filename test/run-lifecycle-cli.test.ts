import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listCheckpoints } from '../src-main/core/store/checkpoints.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { getMetricSeries } from '../src-main/core/store/run-metrics.ts';
import { isProcessAlive } from '../src-main/core/process-alive.ts';
import { getRun } from '../src-main/core/store/runs.ts';
import { tutorialTrainArgs, WORKBENCH as workbench } from './support/tutorial-train.ts';

/**
 * The run lifecycle through the CLI, with real trainer processes: what a user does to them
 * (kill the terminal's CLI, resume twice at once, mistype a command) must not lose work or
 * leave runs behind.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wb-lifecycle-cli-'));
const dbPath = join(dir, 'experiments.db');
const cli = (...args: string[]) =>
  run(process.execPath, [workbench, '--db', dbPath, ...args], { maxBuffer: 1 << 26, cwd: dir });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the trainer outlives its CLI only long enough to save', () => {
  // the trainer checkpoints and records 'interrupted' with the reason; of two concurrent resumes one completes it
  it('kill -9 of the CLI: the trainer saves, records why; of two resumes one completes, one is refused', async () => {
    const db = openDb(dbPath);
    const lastBefore = (db.prepare('SELECT coalesce(max(id), 0) AS n FROM runs').get() as { n: number }).n;
    // 90 updates (30 epochs of 3 batches): seconds of training, the CLI killed at the first progress past 6.
    const child = spawn(
      process.execPath,
      [workbench, '--db', dbPath, ...tutorialTrainArgs({ set: { max_epochs: 30, batch_size: 2, keep_best_ckpts: 1 } })],
      { stdio: 'ignore', cwd: dir },
    );
    let runId = 0;
    let trainerPid = 0;
    for (;;) {
      await sleep(25);
      const row = db
        .prepare('SELECT id, pid, step, status FROM runs WHERE id > ? ORDER BY id DESC LIMIT 1')
        .get(lastBefore) as { id: number; pid: number; step: number; status: string } | undefined;
      if (row && ['completed', 'failed'].includes(row.status))
        throw new Error(`the run ended (${row.status}) before its CLI could be killed`);
      if (row?.status === 'running' && row.step >= 6) {
        ({ id: runId, pid: trainerPid } = row);
        child.kill('SIGKILL'); // only the CLI: its trainer lives on, parentless
        break;
      }
    }
    // The trainer notices, finishes its update, saves and records why it stopped, then exits.
    const deadline = Date.now() + 60_000;
    while (getRun(db, runId).status === 'running' && Date.now() < deadline) await sleep(50);
    const stopped = getRun(db, runId);
    expect(stopped.status).toBe('interrupted');
    expect(stopped.error).toMatch(/launcher \(pid \d+\) went away/);
    expect(stopped.error).toContain(`workbench runs resume ${runId}`);
    expect(stopped.step).toBeGreaterThan(0);
    expect(listCheckpoints(db, runId).some((c) => c.step === stopped.step)).toBe(true);
    while (isProcessAlive(trainerPid) && Date.now() < deadline) await sleep(50);
    expect(isProcessAlive(trainerPid)).toBe(false);

    // Two resumes at once: exactly one trainer starts; the other is told who holds the run.
    const results = await Promise.allSettled([
      cli('runs', 'resume', String(runId), '--json'),
      cli('runs', 'resume', String(runId), '--json'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(JSON.parse(won[0].value.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      runId,
      status: 'completed',
    });
    expect((lost[0].reason as { stderr: string }).stderr).toMatch(
      new RegExp(`run ${runId} is (already being resumed|queued|running|completed)`),
    );
    expect(getRun(db, runId)).toMatchObject({ status: 'completed', step: 90 });
    const steps = getMetricSeries(db, runId)['train/loss'].map((p) => p.step);
    expect(new Set(steps).size).toBe(steps.length);
    db.close();
  }, 180_000);
});

describe('a refused command leaves no run behind', () => {
  it('unknown backend, unknown dataset, a model that cannot be built', async () => {
    const db = openDb(dbPath);
    const count = () => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    const before = count();
    const attempts = await Promise.allSettled([
      cli(...tutorialTrainArgs({ args: ['--backend', 'quantum'], json: false })),
      cli('train', '--dataset', 'nosuch', '--preset', 'tutorial'),
      cli(...tutorialTrainArgs({ set: { tied_softmax: true, embedding_dim: 64, hidden_size: 128 }, json: false })),
    ]);
    const stderr = attempts.map((a) =>
      a.status === 'rejected' ? (a.reason as { stderr: string }).stderr : `exited 0: ${a.value.stdout}`,
    );
    expect(stderr[0]).toMatch(/unknown backend "quantum"/);
    expect(stderr[1]).toMatch(/no dataset "nosuch"/);
    expect(stderr[2]).toMatch(/tied_softmax/);
    for (const s of stderr) expect(s).not.toContain('internal error');
    expect(count()).toBe(before);
    db.close();
  }, 60_000);
});
