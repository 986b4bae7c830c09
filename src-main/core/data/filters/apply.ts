import type { FilterApplyDto } from '../../../common/contract.ts';
import type { FilterPipeline } from '../../../common/filters.ts';
import type { Db } from '../../store/db.ts';
import { NO_PROGRESS, type TaskProgress } from '../task-progress.ts';
import { createVersion } from '../versions.ts';
import { checkDuplicateChoice } from './duplicates.ts';
import { removedPairIds, runPipeline } from './pipeline.ts';

/**
 * Applies a pipeline: in ONE transaction, the pairs it removes leave the head
 * as one undoable edit and the rest becomes a new dataset version (versions.ts
 * createVersion), whose recipe records the pipeline. Nothing is destroyed: the
 * older versions keep the removed pairs, and undo brings them back to the head.
 */
export function applyFilters(
  db: Db,
  datasetId: number,
  pipeline: FilterPipeline,
  opts: { label: string },
  /** measuring (unless a preview did), removing, recording; a cancel at any report writes nothing */
  progress: TaskProgress = NO_PROGRESS,
): FilterApplyDto {
  return db.transaction(() => {
    const removed = removedPairIds(runPipeline(db, datasetId, pipeline, progress.part(0, 0.4)));
    const v = createVersion(
      db,
      datasetId,
      { label: opts.label, recipe: { kind: 'filter', pipeline, removed: removed.length }, removePairIds: removed },
      progress.part(0.4, 1),
    );
    return {
      versionId: v.id,
      versionNumber: v.number,
      label: v.label,
      removed: removed.length,
      pairCount: v.pairCount,
    };
  })();
}

/** Keeps one pair of a near-duplicate group: its partners leave the head, as a version labelled "kept #id". */
export function keepDuplicate(
  db: Db,
  datasetId: number,
  keepPairId: number,
  removePairIds: readonly number[],
  progress: TaskProgress = NO_PROGRESS,
): FilterApplyDto {
  return db.transaction(() => {
    checkDuplicateChoice(db, datasetId, keepPairId, removePairIds);
    const label = `kept #${keepPairId}`;
    const v = createVersion(
      db,
      datasetId,
      { label, recipe: { kind: 'dedup', keep: keepPairId, removed: [...removePairIds] }, removePairIds },
      progress,
    );
    return { versionId: v.id, versionNumber: v.number, label, removed: removePairIds.length, pairCount: v.pairCount };
  })();
}
