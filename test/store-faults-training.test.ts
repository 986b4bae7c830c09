import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainingFaults } from './support/store-faults-training.ts';

/**
 * kill -9 at random moments (seeded) of a tiny training run: of its trainer, of the
 * trainer of its resume, and of the `workbench train` command that launched it.
 * Afterwards the store is intact, every run is completed or interrupted/failed with a
 * reason, and `runs resume` completes each interrupted run with a validation at every
 * epoch. bench/store-faults.ts does the same with many more kills.
 */
describe('kill -9 during training and resume', () => {
  it('leaves every run completed or resumable, and resume completes it', async () => {
    const run = await trainingFaults(mkdtempSync(join(tmpdir(), 'wb-train-faults-')), {
      rounds: { trainer: 1, cli: 1 },
      epochs: 12,
      seed: 3,
      within: 0.5, // every kill in the first half of what is left: it lands before the run ends
    });
    expect(run.problems).toEqual([]);
    const kills = run.kills.trainer + run.kills.resume + run.kills.cli;
    expect(kills).toBeGreaterThanOrEqual(3);
    const runs = 2 - (run.outcomes['no run yet'] ?? 0);
    expect(run.finalStatuses).toEqual({ completed: runs });
  }, 120_000);
});
