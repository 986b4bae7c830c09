import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blasThreadsFor, countLiveTrainers, shareBlasThreads } from '../src-main/core/runs/blas-threads.ts';
import { parseRunConfig } from '../src-main/common/config.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { createRun, markRunning } from '../src-main/core/store/runs.ts';

describe('OpenBLAS threads per trainer', () => {
  it('shares the cores among the live trainers, at least one each', () => {
    expect(blasThreadsFor(undefined, 2, 1)).toBe(2);
    expect(blasThreadsFor(undefined, 2, 2)).toBe(1);
    expect(blasThreadsFor(undefined, 2, 5)).toBe(1);
    expect(blasThreadsFor(undefined, 16, 3)).toBe(5);
    expect(blasThreadsFor(undefined, 4, 0)).toBe(4);
  });

  it('keeps OPENBLAS_NUM_THREADS when the user set it, and ignores a value that is not a count', () => {
    expect(blasThreadsFor('3', 2, 2)).toBe(3);
    expect(blasThreadsFor('', 2, 1)).toBe(2);
    expect(blasThreadsFor('many', 2, 2)).toBe(1);
  });

  let db: Db | undefined;
  afterEach(() => db?.close());

  it('counts running runs whose process is alive, and follows them as they start', async () => {
    db = openDb(join(mkdtempSync(join(tmpdir(), 'blas-threads-')), 'experiments.db'));
    const config = parseRunConfig({ dataset: 'd' });
    const a = createRun(db, { name: 'a', config });
    const b = createRun(db, { name: 'b', config });
    markRunning(db, a.id, process.pid);
    markRunning(db, b.id, 2 ** 22 + 12345); // no such process: a trainer killed without a word
    expect(countLiveTrainers(db)).toBe(1);

    const set: number[] = [];
    const sharing = shareBlasThreads(db, (n) => set.push(n), { cores: 2, explicit: undefined, intervalMs: 20 });
    expect(set).toEqual([2]);
    markRunning(db, b.id, process.ppid); // a second live trainer starts: the next look halves the threads
    await new Promise((r) => setTimeout(r, 200));
    expect(set).toEqual([2, 1]);
    expect(sharing.threads).toBe(1);
    sharing.stop();
  });
});
