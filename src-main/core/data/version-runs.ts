import type { RunDataDiffDto } from '../../common/dataset-versions.ts';
import type { Db } from '../store/db.ts';
import { getVersionById } from '../store/dataset-versions.ts';
import { getRun } from '../store/runs.ts';
import { runVersionId, setRunVersion } from '../store/run-versions.ts';
import { diffVersionRecords, type DiffPage } from './version-diff.ts';
import { NO_PROGRESS, type TaskProgress } from './task-progress.ts';
import { currentVersion, type VersionRecord } from './versions.ts';

/**
 * Runs and the data they trained on: a run records the version that holds the head when it prepares its data
 * (a snapshot "for run N" is made first when the head moved since the latest version); two runs' data diff.
 */
export function recordRunVersion(db: Db, runId: number, datasetId: number): VersionRecord {
  return db
    .transaction(() => {
      const version = currentVersion(db, datasetId, `for run ${runId}`);
      setRunVersion(db, runId, version.id);
      return version;
    })
    .immediate();
}

/** The diff of the versions runs a and b trained on (a is the "from" side); a note says why there is none. */
export function runDataDiff(
  db: Db,
  runA: number,
  runB: number,
  page?: DiffPage,
  progress: TaskProgress = NO_PROGRESS,
): RunDataDiffDto {
  const versionOfRun = (id: number) => {
    getRun(db, id); // not_found names the run
    const v = runVersionId(db, id);
    return v === null ? null : getVersionById(db, v);
  };
  const a = versionOfRun(runA);
  const b = versionOfRun(runB);
  const name = (v: VersionRecord | null) =>
    v && (db.prepare('SELECT name FROM datasets WHERE id = ?').pluck().get(v.datasetId) as string);
  const out = (note: string | null, diff: RunDataDiffDto['diff']): RunDataDiffDto => ({
    runA,
    runB,
    versionA: a && { datasetName: name(a) ?? '', number: a.number },
    versionB: b && { datasetName: name(b) ?? '', number: b.number },
    note,
    diff,
  });
  const missing = [a ? null : runA, b ? null : runB].filter((x) => x !== null);
  if (!a || !b)
    return out(`run ${missing.join(' and ')} has no recorded dataset version (it never prepared its data)`, null);
  if (a.datasetId !== b.datasetId) return out('the runs trained on different datasets', null);
  return out(null, diffVersionRecords(db, name(a) ?? '', a, b, page, progress));
}
