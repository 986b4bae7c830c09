import type { Db } from './db.ts';

/** Which dataset version a run trained on (runs.dataset_version_id, migration 7). */
export function setRunVersion(db: Db, runId: number, versionId: number): void {
  db.prepare('UPDATE runs SET dataset_version_id = ? WHERE id = ?').run(versionId, runId);
}

/** null: the run never prepared its data, or trained before versions existed. */
export function runVersionId(db: Db, runId: number): number | null {
  const v = db.prepare('SELECT dataset_version_id FROM runs WHERE id = ?').pluck().get(runId) as
    number | null | undefined;
  return v ?? null;
}

/** The runs that trained on a version, oldest first. */
export function runIdsOfVersion(db: Db, versionId: number): number[] {
  return db.prepare('SELECT id FROM runs WHERE dataset_version_id = ? ORDER BY id').pluck().all(versionId) as number[];
}
