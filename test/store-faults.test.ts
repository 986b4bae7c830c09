import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editFaults, importFaults } from './support/store-faults.ts';

/**
 * kill -9 at random moments (seeded) during imports and pair edits: afterwards the store
 * passes integrity_check, no partial dataset or staged leftover is visible, counts agree
 * and every edit group is applied wholly or not at all. bench/store-faults.ts does the
 * same with many more kills.
 */
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-faults-'));

describe('kill -9 of a store writer', () => {
  it('during imports: no partial dataset, nothing staged left, store intact', async () => {
    const run = await importFaults(tmp(), { kills: 3, pairs: 15_000, seed: 7 });
    expect(run.problems).toEqual([]);
    expect(run.kills).toBe(3);
  }, 60_000);

  it('during edits, undo and redo: every edit wholly applied or not at all, store intact', async () => {
    const run = await editFaults(tmp(), { kills: 3, pairs: 2_000, maxDelayMs: 300, seed: 7 });
    expect(run.problems).toEqual([]);
    expect(run.kills).toBe(3);
  }, 60_000);
});
