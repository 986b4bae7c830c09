import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveCheckpoint } from '../src-main/core/inference/resolve-checkpoint.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import { checkpointDtos } from '../src-main/core/service/run-dto.ts';
import { latestCheckpoint } from '../src-main/core/store/checkpoints.ts';
import type { Db } from '../src-main/core/store/db.ts';
import { getRun } from '../src-main/core/store/runs.ts';
import { averageLastCheckpoints, averageWeights } from '../src-main/core/train/average.ts';
import { readModelWeights } from '../src-main/core/train/checkpoint.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/** workbench average: the mean of a run's last N checkpoints, a checkpoint of the run like any other. */
const exec = promisify(execFile);
let db: Db;
let dbPath = '';

const values = (m: tf.NamedTensorMap) =>
  Object.fromEntries(Object.entries(m).map(([k, t]) => [k, Array.from(t.dataSync())]));

beforeAll(async () => {
  ({ db, dbPath } = tempDb());
});

describe('averageWeights', () => {
  it('the mean of N identical weights is those weights, bit for bit', () => {
    const w = { a: tf.tensor([0.1, -3.3, 1e-7, 12345.678], [2, 2]), b: tf.tensor([0.3]) };
    expect(values(averageWeights([w, w, w], ['x', 'y', 'z']))).toEqual(values(w));
  });

  it('the mean of two known weights, and mismatches named', () => {
    const one = { a: tf.tensor([1, 2, 3]) };
    const two = { a: tf.tensor([3, 6, -3]) };
    expect(values(averageWeights([one, two], ['one', 'two']))).toEqual({ a: [2, 4, 0] });
    const short = { a: tf.tensor([1, 2]) };
    const shapes = /short: weight a has shape \[2\], one has \[3\]/;
    expect(() => averageWeights([one, short], ['one', 'short'])).toThrow(shapes);
    const other = { b: tf.tensor([1]) };
    expect(() => averageWeights([one, other], ['one', 'other'])).toThrow(/other: .*missing: a; extra: b/);
  });
});

describe('averageLastCheckpoints', () => {
  it('averaging identical checkpoints gives the same weights and translations', async () => {
    const { runId } = await makeRun(db, {}, [
      { step: 10, bleu: 3, seed: 5 },
      { step: 20, bleu: 4, seed: 5 },
      { step: 30, bleu: 2, seed: 5 },
    ]);
    const r = await averageLastCheckpoints(db, runId, 3);
    expect(r).toMatchObject({ runId, step: 30, steps: [10, 20, 30], label: 'averaged last 3' });
    const original = readModelWeights(resolveCheckpoint(db, runId, '30').path);
    expect(values(readModelWeights(r.path))).toEqual(values(original));

    const avg = await loadTranslator(db, runId, 'averaged', 'cpu');
    const plain = await loadTranslator(db, runId, '30', 'cpu');
    expect(avg.checkpoint.id).toBe(r.checkpointId);
    const src = ['How are you?', 'Thank you.'];
    expect(await avg.translate(src, { beam_size: 3 })).toEqual(await plain.translate(src, { beam_size: 3 }));
  });

  it('averaging two checkpoints gives their mean; the average is labelled and never the latest', async () => {
    const { runId } = await makeRun(db, {}, [
      { step: 10, bleu: 3, seed: 1 },
      { step: 20, bleu: 9, seed: 2 },
      { step: 30, bleu: 4, seed: 3 },
    ]);
    const r = await averageLastCheckpoints(db, runId, 2);
    expect(r.steps).toEqual([20, 30]);
    const a = values(readModelWeights(resolveCheckpoint(db, runId, '20').path));
    const b = values(readModelWeights(resolveCheckpoint(db, runId, '30').path));
    const mean = values(readModelWeights(r.path));
    for (const name of Object.keys(a)) {
      mean[name].forEach((v, j) => expect(v).toBeCloseTo((a[name][j] + b[name][j]) / 2, 6));
    }
    // Resume continues from what training saved (the average has no optimizer state).
    expect(latestCheckpoint(db, runId)?.kind).not.toBe('averaged');
    expect(resolveCheckpoint(db, runId, 'latest').path).not.toBe(r.path);
    expect(resolveCheckpoint(db, runId, '30').path).not.toBe(r.path);
    const labels = checkpointDtos(db, getRun(db, runId)).map((c) => c.label);
    expect(labels).toEqual(['3rd best', 'best', 'latest · 2nd best', 'averaged last 2']);
    // Averaging again replaces the average: one entry for one folder.
    await averageLastCheckpoints(db, runId, 2);
    expect(checkpointDtos(db, getRun(db, runId)).filter((c) => c.kind === 'averaged')).toHaveLength(1);
  });

  it('refuses more checkpoints than the run keeps, naming them', async () => {
    const { runId } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 1 }]);
    const tooMany = /keeps 1 checkpoint\(s\) \(steps 10\); cannot average the last 2/;
    await expect(averageLastCheckpoints(db, runId, 2)).rejects.toThrow(tooMany);
    await expect(averageLastCheckpoints(db, runId, 0)).rejects.toThrow(/at least 1/);
  });

  it('CLI: average --json, then translate the averaged checkpoint', async () => {
    const { runId } = await makeRun(db, {}, [
      { step: 10, bleu: 3, seed: 1 },
      { step: 20, bleu: 9, seed: 2 },
    ]);
    const cli = (args: string[]) => exec(process.execPath, ['bin/workbench.js', '--db', dbPath, ...args]);
    const { stdout } = await cli(['average', '--run', String(runId), '--last', '2', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ runId, steps: [10, 20], label: 'averaged last 2' });
    const t = await cli(['translate', '--run', String(runId), '--checkpoint', 'averaged', '--json', 'Hello.']);
    expect(JSON.parse(t.stdout).translations).toHaveLength(1);
  }, 60_000);
});
