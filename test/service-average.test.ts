import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Output } from '../src-main/common/contract.ts';
import { resolveCheckpoint } from '../src-main/core/inference/resolve-checkpoint.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { readModelWeights } from '../src-main/core/train/checkpoint.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/**
 * Checkpoint averaging in the app (runs.average): the core's rule (workbench average) picks the checkpoints,
 * the inference process writes their mean, and the average is a checkpoint of the run like any other.
 */
let db: Db;
let service: WorkbenchService;
let runId = 0;

const values = (m: tf.NamedTensorMap) =>
  Object.fromEntries(Object.entries(m).map(([k, t]) => [k, Array.from(t.dataSync())]));

beforeAll(async () => {
  let dbPath: string;
  ({ db, dbPath } = tempDb());
  ({ runId } = await makeRun(db, {}, [
    { step: 10, bleu: 3, seed: 1 },
    { step: 20, bleu: 9, seed: 2 },
    { step: 30, bleu: 4, seed: 3 },
  ]));
  service = new WorkbenchService({ db, dbPath, door: 'browser', emit: () => {}, runQueue: false });
});
afterAll(() => service?.close());

describe('runs.average', () => {
  it('averages the last N checkpoints into a labelled checkpoint that translates like any other', async () => {
    const r = (await service.dispatch('runs.average', { runId, last: 2 })) as Output<'runs.average'>;
    expect(r.steps).toEqual([20, 30]);
    expect(r.checkpoint).toMatchObject({ kind: 'averaged', label: 'averaged last 2', step: 30 });

    // the mean of steps 20 and 30, weight for weight
    const a = values(readModelWeights(resolveCheckpoint(db, runId, '20').path));
    const b = values(readModelWeights(resolveCheckpoint(db, runId, '30').path));
    const averaged = resolveCheckpoint(db, runId, 'averaged');
    expect(averaged.id).toBe(r.checkpoint.id);
    const mean = values(readModelWeights(averaged.path));
    for (const name of Object.keys(a)) {
      mean[name].forEach((v, j) => expect(v).toBeCloseTo((a[name][j] + b[name][j]) / 2, 6));
    }

    const detail = (await service.dispatch('runs.get', { id: runId })) as Output<'runs.get'>;
    expect(detail.checkpoints.filter((c) => c.kind === 'averaged').map((c) => c.label)).toEqual(['averaged last 2']);
    const input = { runId, checkpoint: 'averaged', texts: ['Thank you.'], settings: { beam_size: 2 } };
    const out = (await service.dispatch('playground.translate', input)) as Output<'playground.translate'>;
    expect(out[0].hypotheses.length).toBeGreaterThan(0);
  }, 180_000); // the first request starts the inference process (seconds; a minute on a loaded machine)

  it('averaging the same checkpoints again keeps one entry for them', async () => {
    const again = (await service.dispatch('runs.average', { runId, last: 2 })) as Output<'runs.average'>;
    const detail = (await service.dispatch('runs.get', { id: runId })) as Output<'runs.get'>;
    expect(detail.checkpoints.filter((c) => c.kind === 'averaged').map((c) => c.id)).toEqual([again.checkpoint.id]);
  }, 60_000);

  it('more checkpoints than the run keeps, or an unknown run, are refused in words', async () => {
    const tooMany = /run \d+ keeps 3 checkpoint\(s\) \(steps 10, 20, 30\); cannot average the last 4/;
    await expect(service.dispatch('runs.average', { runId, last: 4 })).rejects.toThrow(tooMany);
    await expect(service.dispatch('runs.average', { runId: 9999, last: 2 })).rejects.toThrow(/run 9999/);
    await expect(service.dispatch('runs.average', { runId, last: 0 })).rejects.toThrow(/last/);
  });
});
