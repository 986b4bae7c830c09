import { VersionRecipeSchema, type DatasetVersionDto, type VersionRecipe } from '../../common/dataset-versions.ts';
import { notFound } from '../../common/errors.ts';
import { datasetHash } from './datasets.ts';
import type { Db } from './db.ts';
import { nowIso } from './store-dir.ts';

/**
 * Dataset version rows (migration 7). A version's members are pair ids; a member reads its text from the head
 * (`pairs`) until the pair changes, then from `pair_archive` (the triggers of migration 7 archive it first).
 * So a version costs one small row per pair and no text until the head moves away from it.
 */
export type VersionRecord = DatasetVersionDto;

interface VersionRow {
  id: number;
  dataset_id: number;
  number: number;
  parent_id: number | null;
  label: string;
  recipe: string;
  pair_count: number;
  content_hash: string;
  created_at: string;
  run_ids: string | null;
}

const SELECT_VERSION = `SELECT v.*, (SELECT group_concat(r.id) FROM runs r WHERE r.dataset_version_id = v.id) AS run_ids
  FROM dataset_versions v`;

const toRecord = (r: VersionRow): VersionRecord => ({
  id: r.id,
  datasetId: r.dataset_id,
  number: r.number,
  parentId: r.parent_id,
  label: r.label,
  recipe: VersionRecipeSchema.parse(JSON.parse(r.recipe)),
  pairCount: r.pair_count,
  contentHash: r.content_hash,
  createdAt: r.created_at,
  runIds: r.run_ids ? r.run_ids.split(',').map(Number) : [],
});

export function listVersionRows(db: Db, datasetId: number): VersionRecord[] {
  const rows = db.prepare(`${SELECT_VERSION} WHERE v.dataset_id = ? ORDER BY v.number`).all(datasetId);
  return (rows as VersionRow[]).map(toRecord);
}

export function latestVersionRow(db: Db, datasetId: number): VersionRecord | undefined {
  const row = db.prepare(`${SELECT_VERSION} WHERE v.dataset_id = ? ORDER BY v.number DESC LIMIT 1`).get(datasetId);
  return row ? toRecord(row as VersionRow) : undefined;
}

export function getVersionById(db: Db, versionId: number): VersionRecord {
  const row = db.prepare(`${SELECT_VERSION} WHERE v.id = ?`).get(versionId) as VersionRow | undefined;
  if (!row) throw notFound(`no dataset version with id ${versionId}`);
  return toRecord(row);
}

export function getVersionByNumber(db: Db, datasetId: number, number: number, datasetName: string): VersionRecord {
  const row = db.prepare(`${SELECT_VERSION} WHERE v.dataset_id = ? AND v.number = ?`).get(datasetId, number) as
    VersionRow | undefined;
  if (!row) throw notFound(`dataset "${datasetName}" has no version ${number} (see: workbench dataset versions)`);
  return toRecord(row);
}

/**
 * Records the head as it is now as the dataset's next version: one row, and one member per pair (ids only).
 * The caller holds the transaction (createVersion: the removal and the snapshot commit together).
 */
export function insertHeadSnapshot(
  db: Db,
  datasetId: number,
  label: string,
  recipe: VersionRecipe,
  /** the head's datasetHash when the caller has it (an import hashes before taking the write lock) */
  contentHash = datasetHash(db, datasetId),
): VersionRecord {
  const parent = latestVersionRow(db, datasetId);
  const number = (parent?.number ?? 0) + 1;
  const pairCount = db.prepare('SELECT count(*) FROM pairs WHERE dataset_id = ?').pluck().get(datasetId) as number;
  const versionId = Number(
    db
      .prepare(
        `INSERT INTO dataset_versions
           (dataset_id, number, parent_id, label, recipe, pair_count, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        datasetId,
        number,
        parent?.id ?? null,
        label || `version ${number}`,
        JSON.stringify(recipe),
        pairCount,
        contentHash,
        nowIso(),
      ).lastInsertRowid,
  );
  db.prepare('INSERT INTO version_members (version_id, pair_id) SELECT ?, id FROM pairs WHERE dataset_id = ?').run(
    versionId,
    datasetId,
  );
  return getVersionById(db, versionId);
}

export interface VersionPair {
  id: number;
  ord: number;
  source: string;
  target: string;
  meta: string;
}

/**
 * SQL of a version's pairs with their text as the version holds it (archived, else the head's): the columns id,
 * ord, source, target, meta; one parameter, the version id. Other queries (diffs, split parts) build on it.
 */
export const VERSION_PAIRS_SQL = `SELECT m.pair_id AS id, coalesce(a.ord, p.ord) AS ord,
    coalesce(a.source, p.source) AS source, coalesce(a.target, p.target) AS target, coalesce(a.meta, p.meta) AS meta
  FROM version_members m
  LEFT JOIN pair_archive a ON a.id = m.archive_id
  LEFT JOIN pairs p ON p.id = m.pair_id AND m.archive_id IS NULL
  WHERE m.version_id = ?`;

/** A version's pairs in dataset order, one row at a time (a 1M-pair version never sits in memory whole). */
export function iterateVersionPairs(db: Db, versionId: number): IterableIterator<VersionPair> {
  return db.prepare(`${VERSION_PAIRS_SQL} ORDER BY 2, 1`).iterate(versionId) as IterableIterator<VersionPair>;
}

/** The pairs of one part of a split as a version holds them: a run's test sentences even after the head moved on. */
export function versionSplitPairs(
  db: Db,
  versionId: number,
  splitId: number,
  part: 'train' | 'valid' | 'test',
): VersionPair[] {
  return db
    .prepare(
      `SELECT v.* FROM (${VERSION_PAIRS_SQL}) v JOIN split_members s ON s.pair_id = v.id AND s.split_id = ?
       WHERE s.part = ? ORDER BY v.ord, v.id`,
    )
    .all(versionId, splitId, part) as VersionPair[];
}
