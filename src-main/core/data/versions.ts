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
import { editPairs } from './pairs.ts';

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

/** IMMEDIATE: the write lock first, so a trainer snapshotting the same head at once waits instead of racing. */
export function createVersion(db: Db, datasetId: number, opts: CreateVersionOptions): VersionRecord {
  return db
    .transaction(() => {
      ensureFirstVersion(db, datasetId);
      const remove = [...new Set(opts.removePairIds ?? [])];
      if (remove.length > 0) {
        const what = opts.label || opts.recipe.kind;
        editPairs(
          db,
          datasetId,
          `${what}: remove ${remove.length} pair(s)`,
          remove.map((pairId) => ({ op: 'delete' as const, pairId })),
        );
      }
      return insertHeadSnapshot(db, datasetId, opts.label, opts.recipe);
    })
    .immediate();
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
export function currentVersion(db: Db, datasetId: number, label: string): VersionRecord {
  return db
    .transaction(() => {
      ensureFirstVersion(db, datasetId);
      const latest = latestVersionRow(db, datasetId);
      const hash = datasetHash(db, datasetId); // once: a pass over every pair (seconds for 1M)
      if (latest && latest.contentHash === hash) return latest;
      return insertHeadSnapshot(db, datasetId, label, { kind: 'snapshot' }, hash);
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
