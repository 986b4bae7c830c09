import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Output, WorkbenchEvent } from '../src-main/common/contract.ts';
import { serializeError } from '../src-main/common/errors.ts';
import { bandOf, tQuantile975 } from '../src-main/common/run-groups.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { recordMetrics } from '../src-main/core/store/run-metrics.ts';

/**
 * The contract's queue, sweep, label and seed-group channels through the service (the scheduler is
 * off here: runQueue false; it is tested in queue-scheduler.test.ts and the CLI sweep test).
 */
async function setup() {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-queue-svc-')), 'x.db');
  const db = openDb(dbPath);
  await getDatasetByName(db, 'builtin:tutorial');
  const events: WorkbenchEvent[] = [];
  const service = new WorkbenchService({ db, dbPath, door: 'browser', emit: (e) => events.push(e), runQueue: false });
  const call = <T>(channel: string, input: unknown) => service.dispatch(channel, input) as Promise<T>;
  return { db, service, events, call };
}

const run = (db: ReturnType<typeof openDb>, seed: number, hidden: number) =>
  createRunFromRequest(db, {
    preset: 'tutorial',
    config: { dataset: 'builtin:tutorial', random_seed: seed, hidden_size: hidden },
  });

describe('tags and notes', () => {
  it('are set, listed, and filter runs.list by tag and by text', async () => {
    const { db, call } = await setup();
    const a = run(db, 1, 16);
    const b = run(db, 2, 16);
    const tags = (input: object) => call('runs.setTags', input);
    expect(await tags({ id: a.id, add: ['baseline', 'paper'] })).toEqual({ tags: ['baseline', 'paper'] });
    expect(await tags({ id: a.id, remove: ['paper'], add: ['final'] })).toEqual({ tags: ['baseline', 'final'] });
    expect(await call('runs.setTags', { id: b.id, tags: ['bad-lr'] })).toEqual({ tags: ['bad-lr'] });
    await call('runs.setNotes', { id: b.id, notes: 'Diverged after epoch 3: learning rate too high' });
    const ids = async (filter: object) => (await call<Output<'runs.list'>>('runs.list', filter)).map((r) => r.id);
    expect(await ids({ tag: 'baseline' })).toEqual([a.id]);
    expect(await ids({ search: 'DIVERGED' })).toEqual([b.id]);
    expect(await ids({ search: 'final' })).toEqual([a.id]); // tags are searched too
    expect(await ids({})).toEqual([a.id, b.id]);
    const listed = (await call<Output<'runs.list'>>('runs.list', { tag: 'bad-lr' }))[0];
    expect([listed.tags, listed.notes]).toEqual(['bad-lr', 'Diverged after epoch 3: learning rate too high']);
    const bad = await call('runs.setTags', { id: a.id, add: ['two words'] }).catch(serializeError);
    expect(bad).toMatchObject({ code: 'bad_input', where: { field: 'tags' } });
  });
});

describe('seed groups', () => {
  it('group runs differing only by seed, with per-step bands and mean ± std of final values', async () => {
    const { db, call } = await setup();
    const runs = [run(db, 1, 16), run(db, 2, 16), run(db, 3, 16), run(db, 1, 32)];
    const bleu = [
      [10, 20],
      [12, 22],
      [14, 27],
      [30, 40],
    ];
    runs.forEach((r, i) =>
      recordMetrics(
        db,
        r.id,
        bleu[i].map((value, k) => ({ name: 'valid/bleu', step: (k + 1) * 100, epoch: k + 1, wall_time: 1, value })),
      ),
    );
    const runIds = runs.map((r) => r.id);
    const groups = await call<Output<'runs.groups'>>('runs.groups', { runIds, by: { kind: 'seed' } });
    expect(groups.map((g) => [g.label, g.runIds])).toEqual([
      ['hidden_size=16', [runs[0].id, runs[1].id, runs[2].id]],
      ['hidden_size=32', [runs[3].id]],
    ]);
    const [first] = groups;
    expect(first.bands['valid/bleu'].map((p) => [p.step, p.mean, p.min, p.max, p.n])).toEqual([
      [100, 12, 10, 14, 3],
      [200, 23, 20, 27, 3],
    ]);
    const std = Math.sqrt(((20 - 23) ** 2 + (22 - 23) ** 2 + (27 - 23) ** 2) / 2);
    expect(first.final['valid/bleu']).toMatchObject({ n: 3, mean: 23, min: 20, max: 27 });
    expect(first.final['valid/bleu']?.std).toBeCloseTo(std, 12);
    expect(first.bands['valid/bleu'][1].hi - 23).toBeCloseTo((tQuantile975(2) * std) / Math.sqrt(3), 12);
    expect(groups[1].bands['valid/bleu'][0]).toMatchObject({ mean: 30, lo: 30, hi: 30, n: 1 });
    const by = { kind: 'param', key: 'random_seed' };
    const bySeed = await call<Output<'runs.groups'>>('runs.groups', { runIds, by });
    expect(bySeed.map((g) => g.runIds.length)).toEqual([2, 1, 1]);
  });

  it('bands of long series are cut into columns', () => {
    const s = (k: number) => Array.from({ length: 10_000 }, (_, i) => ({ step: i + 1, value: k }));
    const band = bandOf([s(1), s(3)], 100);
    expect(band).toHaveLength(100);
    expect(band.every((p) => p.mean === 2 && p.min === 1 && p.max === 3)).toBe(true);
  });
});

describe('queue and sweeps through the contract', () => {
  it('sweep.launch queues a whole sweep or nothing; queue.* list, hold, move, pause and cancel', async () => {
    const { db, call, events } = await setup();
    const refused = await call('sweep.launch', {
      preset: 'tutorial',
      config: { dataset: 'builtin:tutorial' },
      grid: [{ key: 'dropout', values: [0, 2] }],
    }).catch(serializeError);
    expect(refused).toMatchObject({ code: 'bad_input' });
    expect((await call<Output<'queue.list'>>('queue.list', { all: true })).entries).toHaveLength(0);

    const { sweep, entries } = await call<Output<'sweep.launch'>>('sweep.launch', {
      preset: 'tutorial',
      config: { dataset: 'builtin:tutorial', max_steps: 1 },
      grid: [{ key: 'hidden_size', values: [16, 32] }],
      seeds: [1, 2],
    });
    expect(entries.map((e) => [e.config.hidden_size, e.config.random_seed, e.sweepId])).toEqual([
      [16, 1, sweep.id],
      [16, 2, sweep.id],
      [32, 1, sweep.id],
      [32, 2, sweep.id],
    ]);
    expect(events.some((e) => e.type === 'queue.changed')).toBe(true);
    await call('queue.pause', { id: entries[0].id });
    const moved = await call<Output<'queue.move'>>('queue.move', { id: entries[3].id, index: 0 });
    expect(moved.entries.map((e) => [e.id, e.state])).toEqual([
      [entries[3].id, 'waiting'],
      [entries[0].id, 'held'],
      [entries[1].id, 'waiting'],
      [entries[2].id, 'waiting'],
    ]);
    expect((await call<Output<'queue.pause'>>('queue.pause', {})).paused).toBe(true);
    const k = await call<Output<'queue.setMaxConcurrent'>>('queue.setMaxConcurrent', { maxConcurrent: 3 });
    expect(k.maxConcurrent).toBe(3);
    const after = await call<Output<'queue.cancel'>>('queue.cancel', { sweepId: sweep.id });
    expect(after.entries).toHaveLength(0);
    const single = await call<Output<'queue.enqueue'>>('queue.enqueue', {
      preset: 'tutorial',
      config: { dataset: 'builtin:tutorial' },
    });
    expect(single).toMatchObject({ state: 'waiting', sweepId: null, run: null });
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0); // nothing started: the scheduler is off
  });
});

describe('the service runs the queue', () => {
  it('a sweep launched through the contract is started by the service, K at a time, with events', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-queue-svc-')), 'x.db');
    const db = openDb(dbPath);
    const started: number[] = [];
    const spawn = (args: string[]) => {
      started.push(Number(args[1]));
      return { pid: process.pid, send: () => {}, kill: () => {}, onMessage: () => {}, onExit: () => {} };
    };
    const events: WorkbenchEvent[] = [];
    const service = new WorkbenchService({ db, dbPath, door: 'browser', emit: (e) => events.push(e), spawn });
    await service.dispatch('queue.setMaxConcurrent', { maxConcurrent: 2 });
    await service.dispatch('sweep.launch', {
      preset: 'tutorial',
      config: { dataset: 'builtin:tutorial' },
      grid: [{ key: 'hidden_size', values: [16, 32, 64] }],
    });
    for (let i = 0; i < 100 && started.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(started).toHaveLength(2); // the third waits for a free slot
    const queue = (await service.dispatch('queue.list', {})) as Output<'queue.list'>;
    expect(queue.entries.map((e) => e.state)).toEqual(['started', 'started', 'waiting']);
    expect(queue.scheduler?.pid).toBe(process.pid);
    expect(queue.entries[0].run?.status).toBe('queued');
    expect(events.filter((e) => e.type === 'queue.changed').length).toBeGreaterThan(1);
    service.close();
    expect((await service.dispatch('queue.list', {}).catch(() => null)) as Output<'queue.list'> | null).toMatchObject({
      scheduler: null, // closing the service gives the queue back at once
    });
  });
});
