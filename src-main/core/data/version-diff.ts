import type { VersionDiffDto, VersionDiffKind, VersionDiffRowDto } from '../../common/dataset-versions.ts';
import { badInput } from '../../common/errors.ts';
import { getDataset } from '../store/datasets.ts';
import type { Db } from '../store/db.ts';
import { getVersionByNumber, VERSION_PAIRS_SQL, type VersionRecord } from '../store/dataset-versions.ts';

/**
 * What changed between two versions of a dataset, by pair id: added (only in the newer), removed (only in the
 * older), changed (in both, with a different source or target). Counted and paged in SQLite: a diff of two
 * 1M-pair versions never sits in memory.
 */
export interface DiffPage {
  offset?: number;
  limit?: number;
}

// Both versions' pairs with their text, then the three kinds of difference as one list in dataset order.
// Parameters: from, to. A member whose archive_id is the same in both reads the same text: not a change.
const DIFF_SQL = `WITH a AS (${VERSION_PAIRS_SQL.replace('?', '@from')}), b AS (${VERSION_PAIRS_SQL.replace('?', '@to')}),
  d AS (
    SELECT b.id, b.ord, 'added' AS kind, NULL AS bs, NULL AS bt, b.source AS s, b.target AS t FROM b
      WHERE NOT EXISTS (SELECT 1 FROM version_members m WHERE m.version_id = @from AND m.pair_id = b.id)
    UNION ALL
    SELECT a.id, a.ord, 'removed', a.source, a.target, NULL, NULL FROM a
      WHERE NOT EXISTS (SELECT 1 FROM version_members m WHERE m.version_id = @to AND m.pair_id = a.id)
    UNION ALL
    SELECT a.id, a.ord, 'changed', a.source, a.target, b.source, b.target FROM a JOIN b ON b.id = a.id
      WHERE a.source IS NOT b.source OR a.target IS NOT b.target
  )`;

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
  const counted = db.prepare(`${DIFF_SQL} SELECT kind, count(*) AS n FROM d GROUP BY kind`).all(ids) as Array<{
    kind: VersionDiffKind;
    n: number;
  }>;
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const c of counted) counts[c.kind] = c.n;
  const rows = db
    .prepare(`${DIFF_SQL} SELECT id, kind, bs, bt, s, t FROM d ORDER BY ord, id LIMIT @limit OFFSET @offset`)
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
