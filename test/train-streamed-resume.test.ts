import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../src-main/core/data/import.ts';
import { runTrainingJob } from '../src-main/core/runs/job.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { getMetricSeries } from '../src-main/core/store/run-metrics.ts';

const dir = mkdtempSync(join(tmpdir(), 'wb-streamed-resume-'));
const dbPath = join(dir, 'x.db');
const fixture = new URL('./fixtures/tatoeba-400.tsv', import.meta.url).pathname;

function newRun(): number {
  const db = openDb(dbPath);
  const sets = ['max_epochs=2', 'batch_size=40', 'embedding_dim=16', 'hidden_size=16', 'dropout=0', 'logging_freq=1'];
  sets.push('valid_ratio=0.05', 'test_ratio=0', 'max_valid_sents=5', 'max_output_length=3');
  const run = createRunFromRequest(db, { dataset: 'tatoeba-400', preset: 'tatoeba-lstm', set: sets });
  db.close();
  return run.id;
}

const losses = (runId: number) => {
  const db = openDb(dbPath);
  const series = getMetricSeries(db, runId)['train/loss'].map((p) => [p.step, p.value]);
  db.close();
  return series;
};

describe('a run trained from the encoded file', () => {
  it('cancelled mid-epoch and resumed, trains on the batches of a run that was not stopped', async () => {
    const db = openDb(dbPath);
    await importDataset(db, { name: 'tatoeba-400', files: [fixture] });
    db.close();
    const straight = newRun();
    await runTrainingJob({ dbPath, runId: straight, backend: 'auto', resume: false });

    const stopped = newRun();
    let stop = () => {};
    const cancelled = await runTrainingJob({
      dbPath,
      runId: stopped,
      backend: 'auto',
      resume: false,
      onStopRequest: (fn) => (stop = fn),
      // The first step is always reported (later ones at most every 250 ms): on a fast machine a condition
      // on a later step could first be seen at the last step, when there is nothing left to cancel.
      report: (p) => p.phase === 'training' && p.step < p.totalSteps && stop(),
    });
    expect(cancelled).toBe('cancelled');
    expect(losses(stopped).length).toBeLessThan(losses(straight).length);
    await runTrainingJob({ dbPath, runId: stopped, backend: 'auto', resume: true });
    expect(losses(stopped)).toEqual(losses(straight));
  }, 120_000);
});
