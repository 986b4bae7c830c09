import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeError } from '../src-main/common/errors.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { createSplit } from '../src-main/core/data/splits.ts';
import { sentencesFromSplit } from '../src-main/core/inference/compare-runs.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import { WorkbenchService } from '../src-main/core/service/service.ts';
import { openDb } from '../src-main/core/store/db.ts';

/**
 * Significance is tested on the sentences named: a part of the baseline's split with no sentences is
 * an error naming it. Before, compare.bootstrap silently fell back from test to valid to train, and a
 * score on training sentences read as a test score.
 */
describe('compare on a named split part', () => {
  it('an empty test part is refused, naming the run, split and part; a named part with sentences is used', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'wb-compare-split-')), 'x.db');
    const db = openDb(dbPath);
    const dataset = await getDatasetByName(db, 'builtin:sample');
    const split = createSplit(db, dataset.id, 'default', { seed: 1, valid_ratio: 0.1, test_ratio: 0 }, true);
    const run = createRunFromRequest(db, { preset: 'tutorial', config: { dataset: 'builtin:sample' } });
    db.prepare('UPDATE runs SET split_id = ? WHERE id = ?').run(split.id, run.id);
    const service = new WorkbenchService({ db, dbPath, door: 'browser', emit: () => {}, runQueue: false });

    const err = await service.dispatch('compare.bootstrap', { baseline: run.id, system: run.id }).catch(serializeError);
    expect(err).toMatchObject({ code: 'bad_input', where: { field: 'split' } });
    expect((err as { message: string }).message).toContain(`run ${run.id}'s split "default" has no test sentences`);

    const valid = sentencesFromSplit(db, run.id, 'valid');
    expect(valid.sources.length).toBe(split.counts.valid);
    expect(valid.label).toBe(`run ${run.id}'s split "default", valid part`);
    expect(sentencesFromSplit(db, run.id, 'valid', 3).refs).toHaveLength(3);
    service.close();
  });
});
