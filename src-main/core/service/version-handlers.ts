import { listVersions } from '../data/versions.ts';
import { getDataset } from '../store/datasets.ts';
import { getVersionByNumber } from '../store/dataset-versions.ts';
import { comparisonsOfRun } from '../store/run-comparisons.ts';
import { runIdsOfVersion } from '../store/run-versions.ts';
import { getRun } from '../store/runs.ts';
import { datasetWork } from './dataset-work.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';
import { toSummary } from './run-dto.ts';

/**
 * Dataset versions, the runs tied to them, and retraining on the current version: thin calls into the core. The
 * diffs and a retrain's snapshot of the head take seconds on a big dataset: they run in the dataset worker thread.
 */
type VersionChannel =
  | 'datasets.versions'
  | 'datasets.versionDiff'
  | 'datasets.versionRuns'
  | 'runs.dataDiff'
  | 'runs.retrain'
  | 'runs.comparisons';

/** `poke`: wakes the queue's scheduler (a retrain is a queued run). */
export function versionHandlers(h: HandlerContext, poke: () => void): HandlersOf<VersionChannel> {
  const { db } = h;
  const work = datasetWork(h);
  return {
    'datasets.versions': ({ name }) => listVersions(db, getDataset(db, name).id),
    'datasets.versionDiff': (input) => work('datasets.versionDiff', input, input.jobId),
    'datasets.versionRuns': ({ name, version }) => {
      const ds = getDataset(db, name);
      const v = getVersionByNumber(db, ds.id, version, ds.name);
      return runIdsOfVersion(db, v.id).map((id) => toSummary(db, getRun(db, id)));
    },
    'runs.dataDiff': (input) => work('runs.dataDiff', input, input.jobId),
    'runs.retrain': async (input) => {
      const queued = await work('runs.retrain', input, input.jobId);
      h.emit({ type: 'queue.changed' });
      poke();
      return queued;
    },
    'runs.comparisons': ({ id }) => {
      getRun(db, id); // not_found names the run
      return comparisonsOfRun(db, id);
    },
  };
}
