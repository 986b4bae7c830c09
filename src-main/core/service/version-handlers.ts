import { diffVersions } from '../data/version-diff.ts';
import { runDataDiff } from '../data/version-runs.ts';
import { listVersions } from '../data/versions.ts';
import { retrainOnCurrent } from '../runs/retrain.ts';
import { getDataset } from '../store/datasets.ts';
import { getVersionByNumber } from '../store/dataset-versions.ts';
import { comparisonsOfRun } from '../store/run-comparisons.ts';
import { runIdsOfVersion } from '../store/run-versions.ts';
import { getRun } from '../store/runs.ts';
import type { HandlerContext, HandlersOf } from './handler-context.ts';
import { toSummary } from './run-dto.ts';

/** Dataset versions, the runs tied to them, and retraining on the current version: thin calls into the core. */
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
  return {
    'datasets.versions': ({ name }) => listVersions(db, getDataset(db, name).id),
    'datasets.versionDiff': ({ name, from, to, offset, limit }) => diffVersions(db, name, from, to, { offset, limit }),
    'datasets.versionRuns': ({ name, version }) => {
      const ds = getDataset(db, name);
      const v = getVersionByNumber(db, ds.id, version, ds.name);
      return runIdsOfVersion(db, v.id).map((id) => toSummary(db, getRun(db, id)));
    },
    'runs.dataDiff': ({ a, b, offset, limit }) => runDataDiff(db, a, b, { offset, limit }),
    'runs.retrain': ({ id }) => {
      const queued = retrainOnCurrent(db, id);
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
