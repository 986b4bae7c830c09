import type { Output, ParsedInput } from '../../common/contract.ts';
import { retrainOnCurrent } from '../runs/retrain.ts';
import { getDataset } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import { applyFilters, keepDuplicate } from './filters/apply.ts';
import { nearDuplicates } from './filters/duplicates.ts';
import { previewFilters } from './filters/preview.ts';
import { NO_PROGRESS, type TaskProgress } from './task-progress.ts';
import { diffVersions } from './version-diff.ts';
import { runDataDiff } from './version-runs.ts';

/** The channels whose work the dataset worker (dataset-worker.ts) runs off the service's event loop. */
export type DatasetTaskChannel =
  | 'datasets.filterPreview'
  | 'datasets.filterApply'
  | 'datasets.duplicatePartners'
  | 'datasets.keepDuplicate'
  | 'datasets.versionDiff'
  | 'runs.dataDiff'
  | 'runs.retrain';

type DatasetTasks = {
  [K in DatasetTaskChannel]: (db: Db, input: ParsedInput<K>, progress: TaskProgress) => Output<K>;
};

/**
 * The dataset work that takes seconds on a big dataset (a first filter preview of 1M pairs ~7 CPU s, creating a
 * version a few s, diffing two under 1 s), by the channel each answers, with that channel's parsed input and
 * output. Each reports its progress, which is also where a cancel stops it (task-progress.ts). Writes stay one
 * transaction each (applyFilters, keepDuplicate, retrainOnCurrent): a cancelled one writes nothing.
 */
const DATASET_TASKS: DatasetTasks = {
  'datasets.filterPreview': (db, { name, pipeline, offset, limit }, progress) =>
    previewFilters(db, getDataset(db, name).id, pipeline, { sampleOffset: offset, sampleLimit: limit }, progress),
  'datasets.filterApply': (db, { name, pipeline, label }, progress) =>
    applyFilters(db, getDataset(db, name).id, pipeline, { label }, progress),
  // Beside the preview: its near-duplicate groups come from the features cache a preview filled on this connection.
  'datasets.duplicatePartners': (db, { name, pairId }) => nearDuplicates(db, getDataset(db, name).id, pairId),
  'datasets.keepDuplicate': (db, { name, keepPairId, removePairIds }, progress) =>
    keepDuplicate(db, getDataset(db, name).id, keepPairId, removePairIds, progress),
  'datasets.versionDiff': (db, { name, from, to, offset, limit }, progress) =>
    diffVersions(db, name, from, to, { offset, limit }, progress),
  'runs.dataDiff': (db, { a, b, offset, limit }, progress) => runDataDiff(db, a, b, { offset, limit }, progress),
  // Snapshots the head as a version when it changed since the last one (seconds on a big dataset), then queues.
  'runs.retrain': (db, { id }, progress) => retrainOnCurrent(db, id, progress),
};

export const DATASET_TASK_CHANNELS = Object.keys(DATASET_TASKS) as DatasetTaskChannel[];

export function isDatasetTaskChannel(channel: string): channel is DatasetTaskChannel {
  return Object.hasOwn(DATASET_TASKS, channel);
}

/** Runs one task on a connection (in the worker; in-process for a store no other connection can open). */
export function runDatasetTask<K extends DatasetTaskChannel>(
  db: Db,
  channel: K,
  input: ParsedInput<K>,
  progress: TaskProgress = NO_PROGRESS,
): Output<K> {
  const task = DATASET_TASKS[channel] as (db: Db, input: ParsedInput<K>, progress: TaskProgress) => Output<K>;
  return task(db, input, progress);
}
