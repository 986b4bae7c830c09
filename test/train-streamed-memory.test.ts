import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../src-main/core/data/import.ts';
import { runTrainingJob } from '../src-main/core/runs/job.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { getRun } from '../src-main/core/store/runs.ts';

// A GC on demand: what the heap holds, not what it has not collected yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heldHeap = () => (gc(), gc(), process.memoryUsage().heapUsed);

const dir = mkdtempSync(join(tmpdir(), 'wb-streamed-memory-'));
const dbPath = join(dir, 'x.db');

/** n pairs of 40 words a side (about 0.7 KB of text a pair). */
function writePairs(name: string, n: number): string {
  const file = join(dir, `${name}.tsv`);
  const word = (i: number, letters: string) =>
    letters[i % letters.length] + letters[(i * 7) % letters.length] + (i % 97);
  const line = (k: number, letters: string) =>
    Array.from({ length: 40 }, (_, j) => word(k * 31 + j * 13, letters)).join(' ');
  const rows = Array.from({ length: n }, (_, k) => `${line(k, 'abcdefghij')}\t${line(k, 'कखगघचछजझटठ')}`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** Trains one update on the dataset; returns the heap held at the first training report, over `baseline`. */
async function heapHeldWhileTraining(dataset: string, baseline: number): Promise<{ held: number; runId: number }> {
  const db = openDb(dbPath);
  const sets = ['max_steps=1', 'embedding_dim=8', 'hidden_size=8', 'src_voc_limit=300', 'trg_voc_limit=300'];
  sets.push('max_sent_length=100', 'valid_ratio=0.001', 'test_ratio=0', 'max_valid_sents=4', 'max_output_length=3');
  const run = createRunFromRequest(db, { dataset, preset: 'tatoeba-lstm', set: sets });
  db.close();
  let held = Number.NaN;
  await runTrainingJob({
    dbPath,
    runId: run.id,
    backend: 'auto',
    resume: false,
    report: (p) => {
      if (p.phase === 'training' && Number.isNaN(held)) held = heldHeap() - baseline;
    },
  });
  return { held, runId: run.id };
}

describe('a training job on a large split', () => {
  it('holds neither the pairs nor their token ids in the heap while it trains', async () => {
    const db = openDb(dbPath);
    await importDataset(db, { name: 'warm-up', files: [writePairs('warm-up', 50)] });
    await importDataset(db, { name: 'large', files: [writePairs('large', 10_000)] });
    db.close();
    // The first job loads the modules and the backend: what every later job finds in place.
    await heapHeldWhileTraining('warm-up', heldHeap());
    const { held, runId } = await heapHeldWhileTraining('large', heldHeap());
    // Before, the job held every pair and its ids: 41 MB for 20,000 such pairs. Now an index of 24 bytes a pair.
    expect(held / 2 ** 20).toBeLessThan(3);
    const run = getRun(openDb(dbPath), runId);
    expect(run.status).toBe('completed');
    expect(run.environment).toMatchObject({ skipped_long_pairs: 0, valid_on_train: false });
    expect(run.environment?.train_pairs).toBeGreaterThan(9_900);
    // The encoded training file is the job's scratch: gone when it ends.
    expect(existsSync(join(run.dir, 'train-examples.bin'))).toBe(false);
  }, 120_000);
});
