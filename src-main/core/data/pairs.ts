import { badInput, notFound } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { touchDataset, type PairRow } from '../store/datasets.ts';
import type { CartographyRegion, ModelSortKey } from '../../common/model-stats.ts';
import { validateDataset, type FindingKind } from './findings.ts';
import { modelQuerySql } from './pair-model-order.ts';

/**
 * Pair listing for the table views (paging, search, sort and filters done in
 * SQLite, so a 1M-pair dataset pages in milliseconds) and pair edits with
 * persistent undo/redo: every user action is one edit group whose ops store
 * the row before and after, in the same transaction as the change itself.
 */
export interface PairQuery {
  offset?: number;
  limit?: number;
  search?: string;
  regex?: boolean;
  side?: 'source' | 'target' | 'both';
  /** a model key (confidence … model_score) sorts by the numbers of run `runId` (pair-model-order.ts) */
  sort?: 'ord' | 'source' | 'target' | 'updated' | 'length' | ModelSortKey;
  desc?: boolean;
  finding?: FindingKind;
  tag?: string;
  runId?: number;
  region?: CartographyRegion;
}

export interface PairPage {
  total: number;
  offset: number;
  rows: PairRow[];
}

/** The SQL of one page of a pair query, ready to run on any connection to the store (see regex-search.ts). */
export interface PairQuerySql {
  countSql: string;
  rowsSql: string;
  /** the WHERE clause's arguments (the count query's) */
  args: unknown[];
  /** the page query's: the WHERE clause's, then limit and offset */
  rowArgs: unknown[];
  offset: number;
}

/** The REGEXP function SQLite calls for `x REGEXP y` (a worker thread defines the same one: regex-search.ts). */
export function registerRegexp(db: Db): void {
  const cache = new Map<string, RegExp>();
  db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    const p = String(pattern);
    let re = cache.get(p);
    if (!re) {
      re = new RegExp(p, 'u');
      if (cache.size > 50) cache.clear();
      cache.set(p, re);
    }
    return re.test(String(value)) ? 1 : 0;
  });
}

/** Builds (and validates) the SQL of a pair query; a malformed regular expression is a bad_input on `search`. */
export function pairQuerySql(db: Db, datasetId: number, q: PairQuery = {}): PairQuerySql {
  const where = ['dataset_id = ?'];
  const args: unknown[] = [datasetId];
  const sides = q.side === 'source' ? ['source'] : q.side === 'target' ? ['target'] : ['source', 'target'];
  if (q.search) {
    if (q.regex) {
      try {
        new RegExp(q.search, 'u');
      } catch (err) {
        throw badInput(`invalid regular expression: ${(err as Error).message}`, { field: 'search' });
      }
      where.push(`(${sides.map((s) => `${s} REGEXP ?`).join(' OR ')})`);
      args.push(...sides.map(() => q.search));
    } else {
      where.push(`(${sides.map((s) => `instr(lower(${s}), lower(?)) > 0`).join(' OR ')})`);
      args.push(...sides.map(() => q.search));
    }
  }
  if (q.tag) {
    // A whole tag, literally (instr, not LIKE: "%" and "_" in a tag are text, and case counts as stored).
    where.push("instr(' ' || tags || ' ', ?) > 0");
    args.push(` ${q.tag} `);
  }
  if (q.finding) {
    const ids = [
      ...new Set(
        validateDataset(db, datasetId)
          .filter((f) => f.kind === q.finding)
          .map((f) => f.pairId),
      ),
    ];
    where.push(`id IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(ids));
    // Drive the query from the finding's ids (rowid lookups) instead of walking the
    // dataset index and testing every pair: "+" keeps SQLite off pairs_by_dataset.
    where[0] = '+dataset_id = ?';
  }
  const byModel = modelQuerySql(q);
  where.push(...byModel.where);
  args.push(...byModel.whereArgs);
  const order = {
    ord: 'ord',
    source: 'source COLLATE NOCASE',
    target: 'target',
    updated: 'updated_at',
    length: 'length(source) + length(target)',
    confidence: byModel.order,
    variability: byModel.order,
    correctness: byModel.order,
    model_score: byModel.order,
  }[q.sort ?? 'ord'];
  // A model order carries its own direction (unscored pairs last either way); the id tie-break follows desc.
  const dir = q.desc ? 'DESC' : 'ASC';
  const orderSql = byModel.order ?? `${order} ${dir}`;
  const limit = Math.min(Math.max(wholeNumber(q.limit ?? 100, 'limit'), 1), 1000);
  const offset = Math.max(wholeNumber(q.offset ?? 0, 'offset'), 0);
  const whereSql = where.join(' AND ');
  return {
    countSql: `SELECT count(*) AS n FROM pairs WHERE ${whereSql}`,
    rowsSql:
      `SELECT id, ord, source, target, tags, notes, meta, updated_at FROM pairs ` +
      `WHERE ${whereSql} ORDER BY ${orderSql}, id ${dir} LIMIT ? OFFSET ?`,
    args,
    rowArgs: [...args, ...byModel.orderArgs, limit, offset],
    offset,
  };
}

/** One page of pairs, on this thread (a regular expression runs unbounded: see searchPairs for a bounded search). */
export function listPairs(db: Db, datasetId: number, q: PairQuery = {}): PairPage {
  const sql = pairQuerySql(db, datasetId, q);
  if (q.search && q.regex) registerRegexp(db);
  const total = (db.prepare(sql.countSql).get(...sql.args) as { n: number }).n;
  const rows = db.prepare(sql.rowsSql).all(...sql.rowArgs) as PairRow[];
  return { total, offset: sql.offset, rows };
}

/** SQLite takes 64-bit integers only: 1e20 or 0.5 would fail inside the query as an internal error. */
function wholeNumber(n: number, field: string): number {
  if (!Number.isSafeInteger(n))
    throw badInput(`${field} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${n}`, { field });
  return n;
}

// ---- edits -------------------------------------------------------------------

type Snapshot = Omit<PairRow, 'updated_at'> & { dataset_id: number; created_at: string; updated_at: string };

export type PairChange =
  | { op: 'insert'; source: string; target: string; tags?: string; notes?: string }
  | { op: 'update'; pairId: number; source?: string; target?: string; tags?: string; notes?: string }
  | { op: 'delete'; pairId: number };

export interface EditResult {
  groupId: number;
  pairIds: number[];
}

function snapshot(db: Db, datasetId: number, pairId: number): Snapshot {
  const row = db.prepare('SELECT * FROM pairs WHERE id = ? AND dataset_id = ?').get(pairId, datasetId) as
    Snapshot | undefined;
  if (!row) throw notFound(`no pair ${pairId} in this dataset`);
  return row;
}

/**
 * Writes a pair back as it was (undo, redo) or as edited. An upsert, not INSERT OR REPLACE: a REPLACE deletes
 * the old row without firing delete triggers, and the triggers on pairs (store/pairs-fts.ts) must see the change.
 */
function writeRow(db: Db, row: Snapshot): void {
  db.prepare(
    `INSERT INTO pairs (id, dataset_id, ord, source, target, tags, notes, meta, created_at, updated_at)
     VALUES (@id, @dataset_id, @ord, @source, @target, @tags, @notes, @meta, @created_at, @updated_at)
     ON CONFLICT (id) DO UPDATE SET dataset_id = excluded.dataset_id, ord = excluded.ord, source = excluded.source,
       target = excluded.target, tags = excluded.tags, notes = excluded.notes, meta = excluded.meta,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
  ).run(row);
}

/**
 * Applies one user action (any number of changes) as one undoable group. `onChange` hears how many changes are
 * done (a filter version removes thousands in one group: its progress, and its cancel point when it throws).
 */
export function editPairs(
  db: Db,
  datasetId: number,
  label: string,
  changes: readonly PairChange[],
  onChange?: (done: number) => void,
): EditResult {
  if (changes.length === 0) throw badInput('nothing to change', { field: 'changes' });
  return db.transaction(() => {
    const now = new Date().toISOString();
    // A new action discards the redo branch.
    db.prepare("DELETE FROM edit_groups WHERE dataset_id = ? AND state = 'undone'").run(datasetId);
    const groupId = Number(
      db
        .prepare("INSERT INTO edit_groups (dataset_id, label, state, created_at) VALUES (?, ?, 'done', ?)")
        .run(datasetId, label, now).lastInsertRowid,
    );
    const addOp = db.prepare(
      'INSERT INTO edit_ops (group_id, seq, op, pair_id, before, after) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // Prepared once per group: a filter's group deletes thousands of pairs.
    const deletePair = db.prepare('DELETE FROM pairs WHERE id = ?');
    const pairIds: number[] = [];
    changes.forEach((c, seq) => {
      for (const [field, value] of Object.entries(c)) {
        if ((field === 'source' || field === 'target') && typeof value === 'string' && !value.trim())
          throw badInput(`${field} cannot be empty`, { field });
      }
      if (c.op === 'insert') {
        const ord = (
          db.prepare('SELECT coalesce(max(ord), 0) + 1 AS o FROM pairs WHERE dataset_id = ?').get(datasetId) as {
            o: number;
          }
        ).o;
        const id = Number(
          db
            .prepare(
              'INSERT INTO pairs (dataset_id, ord, source, target, tags, ' +
                'notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(datasetId, ord, c.source, c.target, c.tags ?? '', c.notes ?? '', now, now).lastInsertRowid,
        );
        addOp.run(groupId, seq, 'insert', id, null, JSON.stringify(snapshot(db, datasetId, id)));
        pairIds.push(id);
      } else if (c.op === 'update') {
        const before = snapshot(db, datasetId, c.pairId);
        const after: Snapshot = {
          ...before,
          source: c.source ?? before.source,
          target: c.target ?? before.target,
          tags: c.tags ?? before.tags,
          notes: c.notes ?? before.notes,
          updated_at: now,
        };
        writeRow(db, after);
        addOp.run(groupId, seq, 'update', c.pairId, JSON.stringify(before), JSON.stringify(after));
        pairIds.push(c.pairId);
      } else {
        const before = snapshot(db, datasetId, c.pairId);
        deletePair.run(c.pairId);
        addOp.run(groupId, seq, 'delete', c.pairId, JSON.stringify(before), null);
        pairIds.push(c.pairId);
      }
      onChange?.(seq + 1);
    });
    touchDataset(db, datasetId);
    return { groupId, pairIds };
  })();
}

/** Pairs deleted per statement by removePairs: its progress (and cancel) points. */
const REMOVE_CHUNK = 1000;

/**
 * Removes many pairs as ONE undoable group: what editPairs does with delete ops, set-based for a filter's
 * thousands. The edit ops (each row as it was, for undo, in the order given) are written by one INSERT … SELECT;
 * the pairs are then deleted a chunk at a time, their triggers archiving what versions hold and updating the
 * full-text index. `onRemoved` hears how many are removed so far (progress; a cancel point when it throws).
 */
export function removePairs(
  db: Db,
  datasetId: number,
  label: string,
  pairIds: readonly number[],
  onRemoved?: (done: number) => void,
): EditResult {
  if (pairIds.length === 0) throw badInput('nothing to change', { field: 'changes' });
  return db.transaction(() => {
    db.prepare("DELETE FROM edit_groups WHERE dataset_id = ? AND state = 'undone'").run(datasetId);
    const groupId = Number(
      db
        .prepare("INSERT INTO edit_groups (dataset_id, label, state, created_at) VALUES (?, ?, 'done', ?)")
        .run(datasetId, label, new Date().toISOString()).lastInsertRowid,
    );
    const ids = JSON.stringify(pairIds);
    // CROSS JOIN keeps the ids outside (a rowid lookup each): the planner put the dataset's pairs outside and
    // scanned the id list for each of them, 13k ids x 40k pairs, minutes.
    const logged = db
      .prepare(
        `INSERT INTO edit_ops (group_id, seq, op, pair_id, before, after)
         SELECT @groupId, j.key, 'delete', p.id, json_object('id', p.id, 'dataset_id', p.dataset_id, 'ord', p.ord,
           'source', p.source, 'target', p.target, 'tags', p.tags, 'notes', p.notes, 'meta', p.meta,
           'created_at', p.created_at, 'updated_at', p.updated_at), NULL
         FROM json_each(@ids) j CROSS JOIN pairs p ON p.id = j.value AND p.dataset_id = @datasetId`,
      )
      .run({ groupId, ids, datasetId }).changes;
    if (logged !== pairIds.length) {
      const missing = db
        .prepare(
          `SELECT j.value FROM json_each(?) j
           WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.id = j.value AND p.dataset_id = ?) LIMIT 1`,
        )
        .pluck()
        .get(ids, datasetId);
      throw notFound(`no pair ${String(missing ?? '')} in this dataset`);
    }
    const remove = db.prepare('DELETE FROM pairs WHERE id IN (SELECT value FROM json_each(?))');
    for (let at = 0; at < pairIds.length; at += REMOVE_CHUNK) {
      const chunk = pairIds.slice(at, at + REMOVE_CHUNK);
      remove.run(JSON.stringify(chunk));
      onRemoved?.(at + chunk.length);
    }
    touchDataset(db, datasetId);
    return { groupId, pairIds: [...pairIds] };
  })();
}

export interface HistoryEntry {
  id: number;
  label: string;
  state: 'done' | 'undone';
  createdAt: string;
  ops: number;
}

export function editHistory(db: Db, datasetId: number, limit = 50): HistoryEntry[] {
  return db
    .prepare(
      `SELECT g.id, g.label, g.state, g.created_at AS createdAt,
         (SELECT count(*) FROM edit_ops o WHERE o.group_id = g.id) AS ops
       FROM edit_groups g WHERE g.dataset_id = ? ORDER BY g.id DESC LIMIT ?`,
    )
    .all(datasetId, limit) as HistoryEntry[];
}

/** Reverts the latest done group; returns it, or null when there is nothing to undo. */
export function undo(db: Db, datasetId: number): HistoryEntry | null {
  return db.transaction(() => {
    const g = db
      .prepare("SELECT id, label FROM edit_groups WHERE dataset_id = ? AND state = 'done' ORDER BY id DESC LIMIT 1")
      .get(datasetId) as { id: number; label: string } | undefined;
    if (!g) return null;
    const ops = db
      .prepare('SELECT op, pair_id, before FROM edit_ops WHERE group_id = ? ORDER BY seq DESC')
      .all(g.id) as Array<{ op: string; pair_id: number; before: string | null }>;
    for (const o of ops) {
      if (o.op === 'insert') db.prepare('DELETE FROM pairs WHERE id = ?').run(o.pair_id);
      else writeRow(db, JSON.parse(o.before as string) as Snapshot);
    }
    db.prepare("UPDATE edit_groups SET state = 'undone' WHERE id = ?").run(g.id);
    touchDataset(db, datasetId);
    return entry(db, g.id);
  })();
}

/** Re-applies the oldest undone group. */
export function redo(db: Db, datasetId: number): HistoryEntry | null {
  return db.transaction(() => {
    const g = db
      .prepare("SELECT id FROM edit_groups WHERE dataset_id = ? AND state = 'undone' ORDER BY id ASC LIMIT 1")
      .get(datasetId) as { id: number } | undefined;
    if (!g) return null;
    const ops = db
      .prepare('SELECT op, pair_id, after FROM edit_ops WHERE group_id = ? ORDER BY seq ASC')
      .all(g.id) as Array<{ op: string; pair_id: number; after: string | null }>;
    for (const o of ops) {
      if (o.op === 'delete') db.prepare('DELETE FROM pairs WHERE id = ?').run(o.pair_id);
      else writeRow(db, JSON.parse(o.after as string) as Snapshot);
    }
    db.prepare("UPDATE edit_groups SET state = 'done' WHERE id = ?").run(g.id);
    touchDataset(db, datasetId);
    return entry(db, g.id);
  })();
}

function entry(db: Db, id: number): HistoryEntry {
  return db
    .prepare(
      'SELECT g.id, g.label, g.state, g.created_at AS createdAt, (SELECT count(*) FROM ' +
        'edit_ops o WHERE o.group_id = g.id) AS ops FROM edit_groups g WHERE g.id = ?',
    )
    .get(id) as HistoryEntry;
}

/** Normalises a tag list: no spaces inside a tag (tags are stored space-separated), no duplicates. */
function cleanTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const tag = t.trim();
    if (!tag) continue;
    if (/\s/u.test(tag)) throw badInput(`a tag cannot contain spaces: "${tag}"`, { field: 'tags' });
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Bulk tagging: adds and removes tags on many pairs as one undoable group,
 * merging with each pair's existing tags. Pairs whose tags would not change
 * are left out of the group.
 */
export function tagPairs(
  db: Db,
  datasetId: number,
  pairIds: readonly number[],
  tags: { add?: readonly string[]; remove?: readonly string[] },
): EditResult | null {
  const add = cleanTags(tags.add ?? []);
  const remove = new Set(cleanTags(tags.remove ?? []));
  if (add.length === 0 && remove.size === 0) throw badInput('give tags to add or remove', { field: 'tags' });
  if (pairIds.length === 0) throw badInput('no pairs selected', { field: 'pairIds' });
  const get = db.prepare('SELECT tags FROM pairs WHERE id = ? AND dataset_id = ?');
  const changes: PairChange[] = [];
  for (const pairId of new Set(pairIds)) {
    const row = get.get(pairId, datasetId) as { tags: string } | undefined;
    if (!row) throw notFound(`no pair ${pairId} in this dataset`);
    const current = row.tags.split(' ').filter(Boolean);
    const next = [
      ...current.filter((t) => !remove.has(t)),
      ...add.filter((t) => !current.includes(t) && !remove.has(t)),
    ].join(' ');
    if (next !== row.tags) changes.push({ op: 'update', pairId, tags: next });
  }
  if (changes.length === 0) return null;
  const what = [add.length ? `+${add.join(' +')}` : '', remove.size ? `-${[...remove].join(' -')}` : '']
    .filter(Boolean)
    .join(' ');
  return editPairs(db, datasetId, `tag ${changes.length} pair(s) ${what}`, changes);
}
