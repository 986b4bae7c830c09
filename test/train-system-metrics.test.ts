import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src-main/core/store/db.ts';
import { getMetricSeries } from '../src-main/core/store/run-metrics.ts';
import { trainResult, tutorialTrainArgs, WORKBENCH } from './support/tutorial-train.ts';

const run = promisify(execFile);

/** System metrics over time beside the losses (issue 14 #3): the trainer records them at every logging step. */
describe('system metrics of a training run', () => {
  it('records the trainer memory and the tensor memory at the steps of train/loss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-sysm-'));
    const dbPath = join(dir, 'experiments.db');
    const args = ['--db', dbPath, ...tutorialTrainArgs({ set: { max_epochs: 3, logging_freq: 1 } })];
    const { stdout } = await run(process.execPath, [WORKBENCH, ...args], { cwd: dir });
    const { runId } = trainResult(stdout);
    const db = openDb(dbPath);
    const series = getMetricSeries(db, runId);
    db.close();
    const steps = (name: string) => (series[name] ?? []).map((p) => p.step);
    expect(steps('train/loss').length).toBeGreaterThan(0);
    expect(steps('system/memory_mb')).toEqual(steps('train/loss'));
    expect(steps('system/tensor_mb')).toEqual(steps('train/loss'));
    // a Node process with tfjs loaded holds tens of MB; the model's weights are some tensor memory
    expect(series['system/memory_mb'].every((p) => p.value > 10 && p.value < 1e6)).toBe(true);
    expect(series['system/tensor_mb'].every((p) => p.value > 0)).toBe(true);
  });
});
