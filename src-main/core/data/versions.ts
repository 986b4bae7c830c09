import type { VersionRecipe } from '../../common/dataset-versions.ts';
import { badInput } from '../../common/errors.ts';
import { datasetHash, getDataset } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import {
  getVersionById,
  insertHeadSnapshot,
  latestVersionRow,
  listVersionRows,
  type VersionRecord,
} from '../store/dataset-versions.ts';
import { removePairs } from './pairs.ts';
import { NO_PROGRESS, type TaskProgress } from './task-progress.ts';

/**
 * Dataset versions: the head (the editable pairs) stays as it is; a version is its content fixed at one moment.
 * Making one is one transaction: the pairs a filter removes leave the head as ONE undoable edit group (undo brings
 * them back to the head; the older versions never lost them), then the head is recorded as the next version.
 */
export type { VersionRecord };

export interface CreateVersionOptions {
  label: string;
  recipe: VersionRecipe;
  /** pairs to remove from the head first, as one edit group labelled like the version */
  removePairIds?: readonly number[];
}

/**
 * IMMEDIATE: the write lock first, so a trainer snapshotting the same head at once waits instead of racing.
 * `progress` hears the removal and the snapshot; cancelled, the transaction rolls back and nothing is written.
 */
export function createVersion(
  db: Db,
  datasetId: number,
  opts: CreateVersionOptions,
  progress: TaskProgress = NO_PROGRESS,
): VersionRecord {
  return db
    .transaction(() => {
      ensureFirstVersion(db, datasetId);
      const remove = [...new Set(opts.removePairIds ?? [])];
      if (remove.length > 0) {
        const what = opts.label || opts.recipe.kind;
        const removing = progress.part(0, 0.3);
        removing.report('removing pairs', 0, remove.length);
        removePairs(db, datasetId, `${what}: remove ${remove.length} pair(s)`, remove, (done) =>
          removing.report('removing pairs', done, remove.length),
        );
      }
      return snapshotHead(db, datasetId, opts.label, opts.recipe, progress.part(remove.length > 0 ? 0.3 : 0, 1));
    })
    .immediate();
}

/** The head recorded as the next version: hashed (most of the time, with progress), then its members. */
function snapshotHead(
  db: Db,
  datasetId: number,
  label: string,
  recipe: VersionRecipe,
  progress: TaskProgress,
  /** the head's hash when the caller has it */
  known?: string,
): VersionRecord {
  const hash = known ?? hashHead(db, datasetId, progress.part(0, 0.85));
  const recording = progress.part(0.85, 1);
  recording.report('recording the version', 0, 1);
  const v = insertHeadSnapshot(db, datasetId, label, recipe, hash);
  recording.report('recording the version', 1, 1);
  return v;
}

/** datasetHash with progress (a pass over every pair: about 1.3 s for 1M). */
function hashHead(db: Db, datasetId: number, progress: TaskProgress): string {
  const total = db.prepare('SELECT pair_count FROM datasets WHERE id = ?').pluck().get(datasetId) as number;
  progress.report('hashing the pairs', 0, total);
  return datasetHash(db, datasetId, (done) => progress.report('hashing the pairs', done, total));
}

/**
 * Version 1 for a dataset that has none: the head as it is now. Imports make theirs at publishing and migration 7
 * made one for each dataset then; this covers a dataset published by an older workbench during the upgrade.
 */
export function ensureFirstVersion(db: Db, datasetId: number): void {
  if (latestVersionRow(db, datasetId)) return;
  db.transaction(() => {
    if (!latestVersionRow(db, datasetId)) insertHeadSnapshot(db, datasetId, 'version 1', { kind: 'import' });
  })();
}

/**
 * The versions of a dataset, oldest first, each with the runs that trained on it. A read: every dataset has its
 * version 1 from its import (or from migration 7, for one imported before versions came).
 */
export function listVersions(db: Db, datasetId: number): VersionRecord[] {
  return listVersionRows(db, datasetId);
}

/**
 * The version that holds the head as it is now: the latest one when its content equals the head's (the same
 * dataset hash), else a new snapshot labelled `label`. What a run records as the data it trained on.
 */
export function currentVersion(
  db: Db,
  datasetId: number,
  label: string,
  progress: TaskProgress = NO_PROGRESS,
): VersionRecord {
  return db
    .transaction(() => {
      ensureFirstVersion(db, datasetId);
      const latest = latestVersionRow(db, datasetId);
      const hash = hashHead(db, datasetId, progress.part(0, 0.85)); // once: a pass over every pair
      if (latest && latest.contentHash === hash) return latest;
      return snapshotHead(db, datasetId, label, { kind: 'snapshot' }, progress, hash);
    })
    .immediate();
}

/** A version by its id, checked to be one of the named dataset's (an id from another dataset is a bad input). */
export function versionOf(db: Db, datasetName: string, versionId: number): VersionRecord {
  const v = getVersionById(db, versionId);
  if (v.datasetId !== getDataset(db, datasetName).id)
    throw badInput(`version id ${versionId} is not a version of "${datasetName}"`, { field: 'version' });
  return v;
}
