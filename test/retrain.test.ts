import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { command as runsCommand } from '../src-main/cli/commands/runs.ts';
import { CliContext } from '../src-main/cli/context.ts';
import { buildRunConfig, type RunConfig } from '../src-main/common/config.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { runDataDiff } from '../src-main/core/data/version-runs.ts';
import { createVersion, listVersions } from '../src-main/core/data/versions.ts';
import { runTrainingJob } from '../src-main/core/runs/job.ts';
import { retrainOnCurrent } from '../src-main/core/runs/retrain.ts';
import { baselineTestSentences } from '../src-main/core/runs/retrain-comparison.ts';
import { openDb, type Db } from '../src-main/core/store/db.ts';
import { getQueueEntry, linkEntryRun, markEntryStarting } from '../src-main/core/store/queue.ts';
import { comparisonsOfRun, getComparison } from '../src-main/core/store/run-comparisons.ts';
import { runVersionId } from '../src-main/core/store/run-versions.ts';
import { createRun, getRun } from '../src-main/core/store/runs.ts';

/**
 * Runs tied to the data they trained on, and "retrain on the current version" end to end in this process: the
 * smallest model on the builtin sample (300 pairs, 10% test) for one epoch, so each training takes seconds.
 */
const dir = mkdtempSync(join(tmpdir(), 'wb-retrain-'));
const dbPath = join(dir, 'experiments.db');
let db: Db;
let datasetId = 0;
let original = 0;

const config = (): RunConfig =>
  buildRunConfig({
    preset: 'tutorial',
    base: {},
    overrides: {
      dataset: 'builtin:sample',
      test_ratio: 0.1,
      max_epochs: 1,
      embedding_dim: 16,
      hidden_size: 16,
      batch_size: 64,
    },
  });

async function train(runId: number): Promise<void> {
  expect(await runTrainingJob({ dbPath, runId, backend: 'cpu', resume: false })).toBe('completed');
}

beforeAll(async () => {
  db = openDb(dbPath);
  datasetId = (await getDatasetByName(db, 'builtin:sample')).id;
  original = createRun(db, { name: 'original', config: config(), preset: 'tutorial', datasetId }).id;
  await train(original);
}, 180_000);

describe('runs and the versions they trained on', () => {
  it('a run records the version holding the head when it prepared its data', () => {
    const [v1] = listVersions(db, datasetId);
    expect(runVersionId(db, original)).toBe(v1.id);
    expect(listVersions(db, datasetId)[0].runIds).toEqual([original]);
  });

  it('retrain: queues the clone on the current version, and its completion stores the bootstrap', async () => {
    // Curate: drop ten training pairs (a filter's version), then retrain on it.
    const split = getRun(db, original).splitId as number;
    const trainIds = db
      .prepare(`SELECT pair_id FROM split_members WHERE split_id = ? AND part = 'train' LIMIT 10`)
      .pluck()
      .all(split) as number[];
    const v2 = createVersion(db, datasetId, { label: 'filtered', recipe: { kind: 'filter' }, removePairIds: trainIds });
    const queued = retrainOnCurrent(db, original);
    expect(queued).toMatchObject({ baselineRunId: original, versionNumber: v2.number });
    expect(getComparison(db, queued.comparisonId)).toMatchObject({ state: 'pending', runId: null });

    // What the scheduler does with the entry: the run row, linked to the entry (the trigger links the comparison).
    const entry = getQueueEntry(db, queued.queueEntryId);
    expect(entry.config).toEqual(getRun(db, original).config);
    expect(markEntryStarting(db, entry.id)).toBe(true);
    const clone = createRun(db, { name: entry.name, config: entry.config, preset: entry.preset, datasetId }).id;
    linkEntryRun(db, entry.id, clone);
    expect(getRun(db, clone).parentRunId).toBe(original);
    await train(clone);

    expect(runVersionId(db, clone)).toBe(v2.id);
    const stored = getComparison(db, queued.comparisonId);
    expect(stored).toMatchObject({ state: 'done', runId: clone, baselineRunId: original, error: null });
    const testPairs = db
      .prepare(`SELECT count(*) FROM split_members WHERE split_id = ? AND part = 'test'`)
      .pluck()
      .get(split) as number;
    expect(stored?.result?.sentences).toBe(testPairs);
    expect(stored?.result?.data).toMatch(/dataset version 1/);
    expect(stored?.result?.bleu.delta).toBeCloseTo(
      (stored?.result?.bleu.system ?? 0) - (stored?.result?.bleu.baseline ?? 0),
    );
    expect(stored?.result?.chrf.pValue).toBeGreaterThanOrEqual(0);
    expect(comparisonsOfRun(db, original).map((c) => c.id)).toEqual([queued.comparisonId]);

    // The two runs' training data differ by exactly the ten removed pairs.
    const d = runDataDiff(db, original, clone);
    expect(d.versionA?.number).toBe(1);
    expect(d.versionB?.number).toBe(v2.number);
    expect(d.diff?.counts).toEqual({ added: 0, removed: 10, changed: 0 });
  }, 240_000);

  it("a run that recorded no version is compared on its split's test pairs as the head holds them, and says so", () => {
    const split = getRun(db, original).splitId;
    const old = createRun(db, { name: 'before versions', config: config(), preset: 'tutorial', datasetId }).id;
    db.prepare('UPDATE runs SET split_id = ? WHERE id = ?').run(split, old);
    const recorded = baselineTestSentences(db, original);
    const head = baselineTestSentences(db, old);
    expect(recorded.data).toMatch(/dataset version 1$/);
    expect(head.data).toMatch(/as the head holds it now/);
    expect(head.sources).toEqual(recorded.sources); // the curation above removed training pairs only
  });

  it('runs retrain ID --wait (CLI): runs the queue here until the comparison is stored, then prints it', async () => {
    const out = new PassThrough();
    const ctx = new CliContext(dbPath, out, new PassThrough(), false);
    try {
      expect(await runsCommand.run(['retrain', String(original), '--wait', '--json'], ctx)).toBe(0);
    } finally {
      ctx.close();
    }
    const printed = JSON.parse(String(out.read())) as { comparison: { state: string; runId: number } };
    expect(printed.comparison.state).toBe('done');
    expect(getRun(db, printed.comparison.runId)).toMatchObject({ status: 'completed', parentRunId: original });
  }, 240_000);

  it('retrain refuses a run that cannot be compared (not completed)', () => {
    const queuedRun = createRun(db, { name: 'never ran', config: config(), preset: 'tutorial', datasetId }).id;
    expect(() => retrainOnCurrent(db, queuedRun)).toThrow(/retrain a completed run/);
  });
});
