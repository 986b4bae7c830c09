import type { RetrainDto } from '../../common/dataset-versions.ts';
import { badInput } from '../../common/errors.ts';
import { NO_PROGRESS, type TaskProgress } from '../data/task-progress.ts';
import { currentVersion } from '../data/versions.ts';
import { getDataset } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import { enqueue } from '../store/queue.ts';
import { insertPendingComparison } from '../store/run-comparisons.ts';
import { getRun } from '../store/runs.ts';

/**
 * "Retrain on the current version": the run's config queued again on its dataset's head as it is now (recorded
 * as a version first, so the clone's data is named before it starts), with a comparison waiting for it. When the
 * clone completes, its trainer stores the paired bootstrap of clone vs original on the ORIGINAL's test sentences
 * (retrain-comparison.ts): the same yardstick for both, whatever the curation removed from the head since.
 */
export function retrainOnCurrent(db: Db, runId: number, progress: TaskProgress = NO_PROGRESS): RetrainDto {
  const run = getRun(db, runId);
  if (run.status !== 'completed')
    throw badInput(`run ${runId} is ${run.status}: retrain a completed run (its model is the baseline)`, {
      field: 'id',
    });
  if (run.splitId === null)
    throw badInput(`run ${runId} has no recorded data split: it cannot be compared on its test set`, { field: 'id' });
  const testPairs = db
    .prepare(`SELECT count(*) FROM split_members WHERE split_id = ? AND part = 'test'`)
    .pluck()
    .get(run.splitId) as number;
  if (testPairs === 0)
    throw badInput(
      `run ${runId}'s split has no test pairs (test_ratio ${run.config.test_ratio}): nothing to compare on`,
      {
        field: 'id',
      },
    );
  const dataset = getDataset(db, run.config.dataset);
  return db
    .transaction(() => {
      const version = currentVersion(db, dataset.id, `for the retrain of run ${runId}`, progress);
      const [entry] = enqueue(db, [
        { name: `${run.name} · retrain on v${version.number}`, preset: run.preset, config: run.config },
      ]);
      const comparisonId = insertPendingComparison(db, entry.id, runId);
      return { baselineRunId: runId, queueEntryId: entry.id, versionNumber: version.number, comparisonId };
    })
    .immediate();
}
