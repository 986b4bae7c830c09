import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeError } from '../src-main/common/errors.ts';
import { parseGridOption, parseSeeds } from '../src-main/common/sweep-values.ts';
import type { SpawnWorker, WorkerProcess } from '../src-main/core/runs/launcher.ts';
import { cancelQueueEntry, queueStatus, queueSweep } from '../src-main/core/runs/queue.ts';
import { MAX_ATTEMPTS, QueueScheduler } from '../src-main/core/runs/queue-scheduler.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { claimScheduler, newHolderToken, setQueuePaused } from '../src-main/core/store/queue-claim.ts';
import { listQueue, moveEntry, setEntryHeld } from '../src-main/core/store/queue.ts';
import { finishRun, getRun, listRuns, markRunning } from '../src-main/core/store/runs.ts';

/**
 * The run queue and its scheduler (core/runs/queue-scheduler.ts) with stand-in trainers: a fake
 * process per run that the test ends by recording the run's end, as a real trainer does. The real
 * trainers run in queue-sweep-cli.test.ts.
 */
function store(): { db: Db; dbPath: string } {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-queue-')), 'experiments.db');
  return { db: openDb(dbPath), dbPath };
}

/** Fake trainers: each marks its run running at once; `end(runId, status)` records its end and exits. */
function fakeTrainers(db: Db) {
  const live = new Map<number, (code: number) => void>();
  let peak = 0;
  const spawn: SpawnWorker = (args): WorkerProcess => {
    const runId = Number(args[1]);
    markRunning(db, runId, process.pid);
    let onExit: ((code: number | null, signal: NodeJS.Signals | null, stderr: string) => void) | null = null;
    live.set(runId, (code) => onExit?.(code, null, ''));
    peak = Math.max(peak, live.size);
    return {
      pid: process.pid,
      send: (m) => m === 'cancel' && end(runId, 'cancelled'),
      kill: () => {},
      onMessage: () => {},
      onExit: (cb) => (onExit = cb),
    };
  };
  const end = (runId: number, status: 'completed' | 'failed' | 'cancelled' | 'interrupted') => {
    finishRun(db, runId, status, status === 'completed' ? null : `test: ${status}`);
    const exit = live.get(runId);
    live.delete(runId);
    exit?.(0);
  };
  return { spawn, end, live, peak: () => peak };
}

const grid = (...opts: string[]) => opts.map(parseGridOption);
const sweep33 = {
  dataset: 'builtin:tutorial',
  preset: 'tutorial',
  set: ['max_steps=1'],
  grid: grid('hidden_size=16,32,64', 'dropout=0,0.1,0.3'),
  seeds: parseSeeds('1,2,3'),
};
const settle = () => new Promise((r) => setTimeout(r, 20));

async function refusal(f: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await f();
  } catch (err) {
    return serializeError(err);
  }
  throw new Error('expected a refusal');
}

describe('sweeps are checked whole before anything is queued', () => {
  it('a 3x3 grid x 3 seeds is 27 entries of one sweep, each config as it says', () => {
    const { db } = store();
    const { sweep, entries } = queueSweep(db, sweep33);
    expect(entries).toHaveLength(27);
    expect(new Set(entries.map((e) => e.sweepId))).toEqual(new Set([sweep.id]));
    const combos = new Set(entries.map((e) => `${e.config.hidden_size}/${e.config.dropout}/${e.config.random_seed}`));
    expect(combos.size).toBe(27);
    expect(entries.every((e) => e.config.max_steps === 1 && e.config.dataset === 'builtin:tutorial')).toBe(true);
    expect(entries[0].name).toBe(`${sweep.name} hidden_size=16 dropout=0 seed=1`);
  });

  it('one bad value queues nothing, and the error names it', async () => {
    const { db } = store();
    const err = await refusal(() => queueSweep(db, { ...sweep33, grid: grid('hidden_size=16,32', 'dropout=0.1,7') }));
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain('dropout=7');
    expect(err.message).toContain('dropout');
    expect(listQueue(db, { states: ['waiting', 'held', 'started', 'done', 'cancelled'] })).toHaveLength(0);
    expect(db.prepare('SELECT count(*) FROM sweeps').pluck().get()).toBe(0);
  });

  it('an unknown key, a key both set and swept, and random draws', async () => {
    const { db } = store();
    const unknown = await refusal(() => queueSweep(db, { ...sweep33, grid: grid('hiden_size=1,2') }));
    expect(unknown.message).toContain('hiden_size');
    const twice = await refusal(() => queueSweep(db, { ...sweep33, set: ['dropout=0.2'] }));
    expect(twice.message).toContain('both in --set and --grid');
    const drawn = queueSweep(db, { ...sweep33, seeds: undefined, random: 5, drawSeed: 7 }).entries;
    expect(drawn).toHaveLength(5);
    expect(new Set(drawn.map((e) => `${e.config.hidden_size}/${e.config.dropout}`)).size).toBe(5); // no repeats
  });
});

describe('the scheduler', () => {
  it('runs a 27-run sweep with at most K trainers at once', async () => {
    const { db, dbPath } = store();
    queueSweep(db, sweep33);
    const t = fakeTrainers(db);
    const s = new QueueScheduler(db, dbPath, { maxConcurrent: 2, spawn: t.spawn });
    for (let i = 0; i < 40 && !s.finished(); i++) {
      await s.tick();
      expect(t.live.size).toBeLessThanOrEqual(2);
      for (const runId of [...t.live.keys()].slice(0, 1)) t.end(runId, 'completed');
      await settle();
    }
    expect(s.finished()).toBe(true);
    expect(t.peak()).toBe(2);
    const runs = listRuns(db);
    expect(runs).toHaveLength(27);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    const sweepIds = db.prepare('SELECT DISTINCT sweep_id FROM runs').pluck().all();
    expect(sweepIds).toHaveLength(1);
    await s.release();
  });

  it('a scheduler that died is continued by the next: its interrupted runs resume, the rest start', async () => {
    const { db, dbPath } = store();
    queueSweep(db, { ...sweep33, seeds: [1] });
    const first = fakeTrainers(db);
    const a = new QueueScheduler(db, dbPath, { maxConcurrent: 2, spawn: first.spawn });
    await a.tick();
    const started = [...first.live.keys()];
    expect(started).toHaveLength(2);
    // kill -9 of the scheduler: its trainers see their launcher go and record the runs interrupted.
    for (const runId of started) first.end(runId, 'interrupted');
    db.prepare('UPDATE queue_scheduler SET pid = 999999999').run(); // its process is gone

    const second = fakeTrainers(db);
    const b = new QueueScheduler(db, dbPath, { maxConcurrent: 2, spawn: second.spawn });
    await b.tick();
    expect([...second.live.keys()].sort()).toEqual(started.sort()); // resumed first, same runs
    for (let i = 0; i < 30 && !b.finished(); i++) {
      for (const runId of [...second.live.keys()]) second.end(runId, 'completed');
      await settle();
      await b.tick();
    }
    expect(b.finished()).toBe(true);
    expect(listRuns(db)).toHaveLength(9); // no run created twice
    expect(listQueue(db, { states: ['done'] }).map((e) => e.outcome)).toEqual(Array(9).fill('completed'));
    await b.release();
  });

  it('one scheduler per store: a second waits while the first is alive', async () => {
    const { db, dbPath } = store();
    queueSweep(db, { ...sweep33, seeds: [1] });
    const t = fakeTrainers(db);
    const a = new QueueScheduler(db, dbPath, { maxConcurrent: 1, spawn: t.spawn });
    const b = new QueueScheduler(db, dbPath, { maxConcurrent: 5, spawn: t.spawn });
    await a.tick();
    await b.tick();
    expect([a.holds, b.holds]).toEqual([true, false]);
    expect(t.live.size).toBe(1);
    expect(claimScheduler(db, newHolderToken())).toBe(false);
    await a.release();
    await b.tick();
    expect(b.holds).toBe(true);
    await b.release();
  });

  it('a run that keeps being interrupted is given up after MAX_ATTEMPTS starts', async () => {
    const { db, dbPath } = store();
    queueSweep(db, { ...sweep33, grid: grid('hidden_size=16'), seeds: [1] });
    const t = fakeTrainers(db);
    const s = new QueueScheduler(db, dbPath, { maxConcurrent: 1, spawn: t.spawn });
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await s.tick();
      for (const runId of [...t.live.keys()]) t.end(runId, 'interrupted');
      await settle();
    }
    await s.tick();
    const [e] = listQueue(db, { states: ['done'] });
    expect(e.attempts).toBe(MAX_ATTEMPTS);
    expect(e.outcome).toMatch(/^interrupted 3 times/);
    await s.release();
  });
});

describe('queue operations', () => {
  it('pause stops new starts; held entries are skipped; move reorders; cancel drops or stops', async () => {
    const { db, dbPath } = store();
    const { entries } = queueSweep(db, { ...sweep33, seeds: [1] });
    const t = fakeTrainers(db);
    const s = new QueueScheduler(db, dbPath, { maxConcurrent: 1, spawn: t.spawn });
    setQueuePaused(db, true);
    await s.tick();
    expect(t.live.size).toBe(0);
    setQueuePaused(db, false);
    setEntryHeld(db, entries[0].id, true);
    moveEntry(db, entries[5].id, 0);
    await s.tick();
    const [first] = [...t.live.keys()];
    expect(getRun(db, first).config.hidden_size).toBe(entries[5].config.hidden_size);
    expect(getRun(db, first).config.dropout).toBe(entries[5].config.dropout);
    // cancelling a running entry stops its trainer (the fake records cancelled) and the entry is over
    cancelQueueEntry(db, entries[5].id, { cancel: () => t.end(first, 'cancelled') });
    expect(getRun(db, first).status).toBe('cancelled');
    cancelQueueEntry(db, entries[1].id);
    await settle();
    await s.tick();
    const status = queueStatus(db);
    expect(status.entries.find((e) => e.id === entries[0].id)?.state).toBe('held');
    expect(status.entries.some((e) => e.id === entries[1].id)).toBe(false);
    expect(getRun(db, [...t.live.keys()][0]).config.hidden_size).toBe(entries[2].config.hidden_size);
    await s.release();
  });
});
