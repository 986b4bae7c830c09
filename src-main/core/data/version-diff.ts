import type { VersionDiffDto, VersionDiffKind, VersionDiffRowDto } from '../../common/dataset-versions.ts';
import { badInput } from '../../common/errors.ts';
import { getDataset } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import { getVersionByNumber, type VersionRecord } from '../store/dataset-versions.ts';

/**
 * What changed between two versions of a dataset, by pair id: added (only in the newer), removed (only in the
 * older), changed (in both, with a different source or target). Counted and paged in SQLite: a diff of two
 * 1M-pair versions never sits in memory.
 */
export interface DiffPage {
  offset?: number;
  limit?: number;
}

// Membership first (primary-key lookups, no text): added = only in `to`, removed = only in `from`, changed
// candidates = in both with a different archive_id (the same archive_id, or both reading the head, is the same
// text). Only these rows have their text looked up; a candidate whose texts are equal (edited and edited back)
// is no change. Parameters: from, to.
const DIFF_SQL = `WITH d AS (
    SELECT mb.pair_id AS id, 'added' AS kind, NULL AS aa, mb.archive_id AS ba FROM version_members mb
      WHERE mb.version_id = @to
        AND NOT EXISTS (SELECT 1 FROM version_members m WHERE m.version_id = @from AND m.pair_id = mb.pair_id)
    UNION ALL
    SELECT ma.pair_id, 'removed', ma.archive_id, NULL FROM version_members ma
      WHERE ma.version_id = @from
        AND NOT EXISTS (SELECT 1 FROM version_members m WHERE m.version_id = @to AND m.pair_id = ma.pair_id)
    UNION ALL
    SELECT ma.pair_id, 'changed', ma.archive_id, mb.archive_id FROM version_members ma
      JOIN version_members mb ON mb.version_id = @to AND mb.pair_id = ma.pair_id
      WHERE ma.version_id = @from AND ma.archive_id IS NOT mb.archive_id
  ),
  r AS (
    SELECT d.id, d.kind, coalesce(xa.ord, xb.ord, p.ord) AS ord,
      CASE WHEN d.kind = 'added' THEN NULL ELSE coalesce(xa.source, p.source) END AS bs,
      CASE WHEN d.kind = 'added' THEN NULL ELSE coalesce(xa.target, p.target) END AS bt,
      CASE WHEN d.kind = 'removed' THEN NULL ELSE coalesce(xb.source, p.source) END AS s,
      CASE WHEN d.kind = 'removed' THEN NULL ELSE coalesce(xb.target, p.target) END AS t
    FROM d
    LEFT JOIN pair_archive xa ON xa.id = d.aa
    LEFT JOIN pair_archive xb ON xb.id = d.ba
    LEFT JOIN pairs p ON p.id = d.id
  ),
  diff AS (SELECT * FROM r WHERE kind <> 'changed' OR bs IS NOT s OR bt IS NOT t)`;

interface DiffRow {
  id: number;
  kind: VersionDiffKind;
  bs: string | null;
  bt: string | null;
  s: string | null;
  t: string | null;
}

/** The diff of two versions (from, to), as counts and one page of rows. */
export function diffVersionRecords(
  db: Db,
  datasetName: string,
  from: VersionRecord,
  to: VersionRecord,
  page: DiffPage = {},
): VersionDiffDto {
  if (from.datasetId !== to.datasetId) throw badInput('the two versions belong to different datasets');
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 100), 1), 1000);
  const offset = Math.max(Math.trunc(page.offset ?? 0), 0);
  const ids = { from: from.id, to: to.id };
  const counted = db.prepare(`${DIFF_SQL} SELECT kind, count(*) AS n FROM diff GROUP BY kind`).all(ids) as Array<{
    kind: VersionDiffKind;
    n: number;
  }>;
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const c of counted) counts[c.kind] = c.n;
  const rows = db
    .prepare(`${DIFF_SQL} SELECT id, kind, bs, bt, s, t FROM diff ORDER BY ord, id LIMIT @limit OFFSET @offset`)
    .all({ ...ids, limit, offset }) as DiffRow[];
  return {
    datasetName,
    from: from.number,
    to: to.number,
    counts,
    total: counts.added + counts.removed + counts.changed,
    offset,
    rows: rows.map(toDiffRow),
  };
}

function toDiffRow(r: DiffRow): VersionDiffRowDto {
  const before = r.kind === 'added' ? null : { source: r.bs ?? '', target: r.bt ?? '' };
  const after = r.kind === 'removed' ? null : { source: r.s ?? '', target: r.t ?? '' };
  return { pairId: r.id, kind: r.kind, before, after };
}

/** The diff of versions `from` and `to` (numbers) of a dataset named by the user. */
export function diffVersions(db: Db, datasetName: string, from: number, to: number, page?: DiffPage): VersionDiffDto {
  const dataset = getDataset(db, datasetName);
  const a = getVersionByNumber(db, dataset.id, from, dataset.name);
  const b = getVersionByNumber(db, dataset.id, to, dataset.name);
  return diffVersionRecords(db, dataset.name, a, b, page);
}
