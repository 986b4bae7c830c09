import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../src-main/common/config.ts';
import { serializeError } from '../src-main/common/errors.ts';
import { resolveConfig } from '../src-main/core/runs/launch.ts';
import type { SpawnWorker, WorkerProcess } from '../src-main/core/runs/launcher.ts';
import { cancelRun, launchRun, resumeRun } from '../src-main/core/runs/lifecycle.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import {
  claimRunForResume,
  createRun,
  finishRun,
  getRun,
  markRunning,
  recoverInterruptedRuns,
} from '../src-main/core/store/runs.ts';

/**
 * The run lifecycle rules every door shares (core/runs/lifecycle.ts): what is refused before a run
 * exists, one live trainer per run, cancel guards.
 * Trainers here are fakes (no process): the real ones are exercised in run-lifecycle-cli.test.ts.
 */
const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-lifecycle-')), 'experiments.db');
let db: Db;
beforeAll(() => {
  db = openDb(dbPath);
});

const runCount = () => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

/** A stand-in trainer: records what was started, never exits. */
function fakeSpawn(pid = process.pid): SpawnWorker & { started: string[][] } {
  const started: string[][] = [];
  const spawn = (args: string[]): WorkerProcess => {
    started.push(args);
    return { pid, send: () => {}, kill: () => {}, onMessage: () => {}, onExit: () => {} };
  };
  return Object.assign(spawn, { started });
}

/** A pid that surely belongs to no process any more. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; where?: { field?: string } }> {
  try {
    await p;
  } catch (err) {
    return serializeError(err);
  }
  throw new Error('expected a refusal');
}

describe('a launch is refused before any run exists', () => {
  const tutorial = { preset: 'tutorial', config: { dataset: 'builtin:tutorial' } };

  it('an unknown backend name', async () => {
    const before = runCount();
    const err = await refusal(launchRun(db, dbPath, tutorial, { backend: 'quantum', spawn: fakeSpawn() }));
    expect(err).toMatchObject({ code: 'bad_input', where: { field: 'backend' } });
    expect(err.message).toContain('quantum');
    expect(runCount()).toBe(before);
  });

  const tfjsNodeInstalled = (() => {
    try {
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(tfjsNodeInstalled)(
    'a backend whose package is not installed: unsupported, naming the package',
    async () => {
      const before = runCount();
      const err = await refusal(launchRun(db, dbPath, tutorial, { backend: 'tensorflow', spawn: fakeSpawn() }));
      expect(err.code).toBe('unsupported');
      expect(err.message).toContain('@tensorflow/tfjs-node');
      expect(runCount()).toBe(before);
    },
  );

  it('a dataset that does not exist (a built-in one is imported on first use)', async () => {
    const before = runCount();
    const err = await refusal(
      launchRun(db, dbPath, { preset: 'tutorial', config: { dataset: 'nosuch' } }, { spawn: fakeSpawn() }),
    );
    expect(err).toMatchObject({ code: 'bad_input', where: { field: 'dataset' } });
    expect(err.message).toContain('nosuch');
    expect(runCount()).toBe(before);
  });

  it('a config the model cannot be built from (tied_softmax with embedding_dim != hidden_size)', async () => {
    const before = runCount();
    const config = { dataset: 'builtin:tutorial', tied_softmax: true, embedding_dim: 64, hidden_size: 128 };
    const err = await refusal(launchRun(db, dbPath, { preset: 'tutorial', config }, { spawn: fakeSpawn() }));
    expect(err.code).toBe('bad_input');
    expect(err.message).toMatch(/tied_softmax.*embedding_dim \(64\).*hidden_size \(128\)/);
    expect(runCount()).toBe(before);
    // The launch form's validation says the same, before the user presses Train.
    expect(() => resolveConfig({ preset: 'tutorial', config })).toThrow(/tied_softmax/);
    expect(() =>
      resolveConfig({
        config: { dataset: 'x', model_type: 'transformer', hidden_size: 30, embedding_dim: 30, num_heads: 4 },
      }),
    ).toThrow(/num_heads/);
    expect(() => resolveConfig({ config: { dataset: 'x', bidirectional: true, init_hidden: 'last' } })).toThrow(
      /init_hidden/,
    );
  });

  it('a valid launch creates the run with its dataset and starts one trainer', async () => {
    const spawn = fakeSpawn();
    const handle = await launchRun(db, dbPath, tutorial, { backend: 'cpu', spawn });
    expect(spawn.started).toEqual([[dbPath, String(handle.runId), 'cpu', 'new']]);
    expect(getRun(db, handle.runId)).toMatchObject({
      status: 'queued',
      pid: process.pid,
      datasetName: 'builtin:tutorial',
    });
    expect(getRun(db, handle.runId).datasetId).not.toBeNull();
  });
});

describe('one live trainer per run, enforced in the store', () => {
  const interruptedRun = () => {
    const run = createRun(db, { config: parseRunConfig({ dataset: 'builtin:tutorial' }) });
    finishRun(db, run.id, 'interrupted', 'the trainer was killed (SIGKILL)');
    return run.id;
  };

  it('the claim is atomic across connections: the second claimer gets nothing', () => {
    const id = interruptedRun();
    const other = openDb(dbPath);
    expect(claimRunForResume(db, id, 4242)).toBe(true);
    expect(claimRunForResume(other, id, 4343)).toBe(false);
    other.close();
    expect(getRun(db, id)).toMatchObject({ status: 'queued', pid: 4242, error: null, finishedAt: null });
  });

  it('a second resume while the first trainer lives is a conflict naming the run and its pid', () => {
    const id = interruptedRun();
    const spawn = fakeSpawn(process.pid);
    resumeRun(db, dbPath, id, { spawn });
    let message = '';
    try {
      resumeRun(db, dbPath, id, { spawn });
    } catch (err) {
      expect(serializeError(err).code).toBe('conflict');
      message = (err as Error).message;
    }
    expect(message).toContain(`run ${id}`);
    expect(message).toContain(`pid ${process.pid}`);
    expect(spawn.started).toHaveLength(1);
  });

  it('a run that is running, completed or queued does not resume', () => {
    const run = createRun(db, { config: parseRunConfig({ dataset: 'builtin:tutorial' }) });
    markRunning(db, run.id, process.pid);
    expect(() => resumeRun(db, dbPath, run.id, { spawn: fakeSpawn() })).toThrow(
      new RegExp(`run ${run.id} is running \\(pid ${process.pid}\\)`),
    );
    finishRun(db, run.id, 'completed');
    expect(() => resumeRun(db, dbPath, run.id, { spawn: fakeSpawn() })).toThrow(/is completed/);
  });

  it('an interrupted run without a checkpoint resumes from the start', () => {
    const id = interruptedRun();
    const spawn = fakeSpawn();
    resumeRun(db, dbPath, id, { spawn, backend: 'cpu' });
    expect(spawn.started).toEqual([[dbPath, String(id), 'cpu', 'resume']]);
  });
});

describe('cancel guards', () => {
  it('a run marked running whose trainer is gone: a conflict (not a crash), and the run becomes interrupted', () => {
    const run = createRun(db, { config: parseRunConfig({ dataset: 'builtin:tutorial' }) });
    const gone = deadPid();
    markRunning(db, run.id, gone);
    const err = (() => {
      try {
        cancelRun(db, run.id);
      } catch (e) {
        return serializeError(e);
      }
      return null;
    })();
    expect(err).toMatchObject({ code: 'conflict' });
    expect(err?.message).toContain(`run ${run.id}`);
    expect(getRun(db, run.id).status).toBe('interrupted');
  });

  it('a finished run is not cancelled', () => {
    const run = createRun(db, { config: parseRunConfig({ dataset: 'builtin:tutorial' }) });
    finishRun(db, run.id, 'completed');
    expect(() => cancelRun(db, run.id)).toThrow(/is not running \(completed\)/);
  });

  it('a trainer this door started is asked over its channel', () => {
    const run = createRun(db, { config: parseRunConfig({ dataset: 'builtin:tutorial' }) });
    markRunning(db, run.id, process.pid);
    let asked = 0;
    cancelRun(db, run.id, { cancel: () => asked++ });
    expect(asked).toBe(1);
  });
});

describe('recovering runs whose trainer died unseen', () => {
  it('the reason does not repeat the status ("run 7 interrupted: interrupted: …")', () => {
    const run = createRun(db, { config: parseRunConfig({ dataset: 'builtin:tutorial' }) });
    markRunning(db, run.id, deadPid());
    expect(recoverInterruptedRuns(db)).toContain(run.id);
    expect(getRun(db, run.id).error).toMatch(
      /^the trainer process \(pid \d+\) is gone; resume with "workbench runs resume \d+"$/,
    );
  });
});
