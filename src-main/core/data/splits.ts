import { createHash } from 'node:crypto';
import { badInput } from '../../common/errors.ts';
import { Rng } from '../rng.ts';
import type { Db } from '../store/db.ts';
import { iteratePairs, iterateSplitPairs } from '../store/datasets.ts';
import { normaliseForDuplicates } from './findings.ts';

/**
 * Train/valid/test splits. Pairs that share a normalised source form one
 * group and stay on one side, so the test set never scores a sentence the
 * model was trained on. Groups are shuffled with the seed and cut at the
 * ratios: the same seed and data always give the same split.
 */
export type SplitPart = 'train' | 'valid' | 'test';

export interface SplitInfo {
  id: number;
  name: string;
  hash: string;
  counts: Record<SplitPart, number>;
  method: unknown;
}

export interface SplitOptions {
  seed: number;
  valid_ratio: number;
  test_ratio: number;
}

interface SplitRow {
  id: number;
  name: string;
  hash: string;
  counts: string;
  method: string;
}

const toInfo = (r: SplitRow): SplitInfo => ({
  id: r.id,
  name: r.name,
  hash: r.hash,
  counts: JSON.parse(r.counts),
  method: JSON.parse(r.method),
});

export function listSplits(db: Db, datasetId: number): SplitInfo[] {
  return (db.prepare('SELECT * FROM splits WHERE dataset_id = ? ORDER BY name').all(datasetId) as SplitRow[]).map(
    toInfo,
  );
}

/** Returns the named split, creating it from the options when it does not exist yet. */
export function ensureSplit(db: Db, datasetId: number, name: string, opts: SplitOptions): SplitInfo {
  const existing = db.prepare('SELECT * FROM splits WHERE dataset_id = ? AND name = ?').get(datasetId, name) as
    SplitRow | undefined;
  if (existing) return toInfo(existing);
  return createSplit(db, datasetId, name, opts);
}

export function createSplit(db: Db, datasetId: number, name: string, opts: SplitOptions, replace = false): SplitInfo {
  if (opts.valid_ratio + opts.test_ratio >= 1)
    throw badInput('valid_ratio + test_ratio must be below 1', { field: 'valid_ratio' });
  const groups = new Map<string, number[]>();
  for (const p of iteratePairs(db, datasetId)) {
    const key = normaliseForDuplicates(p.source);
    const g = groups.get(key);
    if (g) g.push(p.id);
    else groups.set(key, [p.id]);
  }
  const list = [...groups.values()];
  Rng.derive(opts.seed, 0x5b117).shuffle(list);
  const total = list.reduce((s, g) => s + g.length, 0);
  const want = { test: Math.round(total * opts.test_ratio), valid: Math.round(total * opts.valid_ratio) };
  const members: Array<[number, SplitPart]> = [];
  const counts: Record<SplitPart, number> = { train: 0, valid: 0, test: 0 };
  for (const g of list) {
    const part: SplitPart = counts.test < want.test ? 'test' : counts.valid < want.valid ? 'valid' : 'train';
    for (const id of g) members.push([id, part]);
    counts[part] += g.length;
  }
  return writeSplit(
    db,
    datasetId,
    name,
    { seed: opts.seed, valid_ratio: opts.valid_ratio, test_ratio: opts.test_ratio },
    members,
    counts,
    replace,
  );
}

/** A split given explicitly (e.g. from separate files imported as tagged pairs). */
export function writeSplit(
  db: Db,
  datasetId: number,
  name: string,
  method: unknown,
  members: Array<[number, SplitPart]>,
  counts: Record<SplitPart, number>,
  replace = false,
): SplitInfo {
  const h = createHash('sha256');
  for (const [id, part] of [...members].sort((a, b) => a[0] - b[0])) h.update(`${id}:${part}\n`);
  const hash = h.digest('hex');
  return db.transaction(() => {
    if (replace) db.prepare('DELETE FROM splits WHERE dataset_id = ? AND name = ?').run(datasetId, name);
    const id = Number(
      db
        .prepare('INSERT INTO splits (dataset_id, name, method, hash, counts, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(datasetId, name, JSON.stringify(method), hash, JSON.stringify(counts), new Date().toISOString())
        .lastInsertRowid,
    );
    const ins = db.prepare('INSERT INTO split_members (split_id, pair_id, part) VALUES (?, ?, ?)');
    for (const [pairId, part] of members) ins.run(id, pairId, part);
    return { id, name, hash, counts, method };
  })();
}

export function loadSplitPairs(
  db: Db,
  splitId: number,
  part: SplitPart,
): Array<{ id: number; source: string; target: string }> {
  return [...iterateSplitPairs(db, splitId, part)];
}
