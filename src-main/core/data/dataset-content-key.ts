import type { Db } from '../store/db.ts';

/**
 * A cheap key that changes whenever a dataset's pairs may have changed: its
 * pair count, update time and edit history (a new edit group, an undo). What
 * is computed from every pair (findings, filter features) is cached under it
 * and reused while it stays the same, instead of a full pass per request.
 */
export function datasetContentKey(db: Db, datasetId: number): string {
  return JSON.stringify(
    db
      .prepare(
        `SELECT d.pair_count, d.updated_at, d.created_at,
                (SELECT max(id) FROM edit_groups WHERE dataset_id = d.id) AS g,
                (SELECT count(*) FROM edit_groups WHERE dataset_id = d.id AND state = 'undone') AS u
         FROM datasets d WHERE d.id = ?`,
      )
      .get(datasetId) ?? null,
  );
}
