import { notFound } from '../../common/errors.ts';
import type { CartographyDto, CartographyRegion, PairCartographyDto } from '../../common/model-stats.ts';
import type { BatchDynamics } from '../train/cartography.ts';
import type { Db } from './db-handle.ts';
import { updateRunEnvironment } from './runs.ts';

/**
 * A run's data map (dataset cartography) in the store: the dynamics of each pair per epoch as the trainer
 * saw them (cartography_epochs), and their summary per pair (pair_cartography) that the pair table sorts by.
 *
 * Regions, cut per run from its own numbers (token probabilities of a translation model sit far lower
 * than a classifier's label probabilities, so the paper's fixed 0.5 would put most pairs in one region):
 * ambiguous: variability in the top third (and above 0); of the rest, hard: confidence in the bottom
 * third of all pairs; easy: the others. The cut points are recorded in the run's environment.
 */
export function recordDynamics(db: Db, runId: number, epoch: number, d: BatchDynamics): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO cartography_epochs (run_id, pair_id, epoch, gold_prob, correct) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    d.ids.forEach((pairId, i) => insert.run(runId, pairId, epoch, d.goldProb[i], d.correct[i]));
  })();
}

interface Aggregate {
  pair_id: number;
  mean: number;
  mean_sq: number;
  correctness: number;
  epochs: number;
}

/** The share-`q` quantile of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];
}

/** Rebuilds the run's per-pair summary and regions from its per-epoch rows (at each epoch's end). */
export function summarizeCartography(db: Db, runId: number): { pairs: number } {
  return db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT pair_id, avg(gold_prob) AS mean, avg(gold_prob * gold_prob) AS mean_sq,
                avg(correct) AS correctness, count(*) AS epochs
         FROM cartography_epochs WHERE run_id = ? GROUP BY pair_id`,
      )
      .all(runId) as Aggregate[];
    const stats = rows.map((r) => ({
      ...r,
      // population standard deviation, as the paper's; rounding can make the variance a hair negative
      std: Math.sqrt(Math.max(0, r.mean_sq - r.mean * r.mean)),
    }));
    const variability = Math.max(
      quantile(
        stats.map((s) => s.std).sort((a, b) => a - b),
        2 / 3,
      ),
      1e-9,
    );
    const confidence = quantile(
      stats.map((s) => s.mean).sort((a, b) => a - b),
      1 / 3,
    );
    const region = (s: { std: number; mean: number }): CartographyRegion =>
      s.std >= variability ? 'ambiguous' : s.mean <= confidence ? 'hard' : 'easy';
    db.prepare('DELETE FROM pair_cartography WHERE run_id = ?').run(runId);
    const insert = db.prepare(
      `INSERT INTO pair_cartography (run_id, pair_id, confidence, variability, correctness, epochs, region)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of stats) insert.run(runId, s.pair_id, s.mean, s.std, s.correctness, s.epochs, region(s));
    updateRunEnvironment(db, runId, { cartography: { variability, confidence, pairs: stats.length } });
    return { pairs: stats.length };
  })();
}

export interface CartographyQuery {
  pairIds?: readonly number[];
  region?: CartographyRegion;
  limit?: number;
}

interface CartographyRow {
  pair_id: number;
  confidence: number;
  variability: number;
  correctness: number;
  epochs: number;
  region: CartographyRegion;
  source: string | null;
  target: string | null;
}

const toDto = (r: CartographyRow): PairCartographyDto & { source: string; target: string } => ({
  pairId: r.pair_id,
  confidence: r.confidence,
  variability: r.variability,
  correctness: r.correctness,
  epochs: r.epochs,
  region: r.region,
  // a pair deleted from the head since: its numbers stay, its text is gone
  source: r.source ?? '',
  target: r.target ?? '',
});

/** A run's data map: counts per region, and the pairs asked for or a region's least confident first. */
export function readCartography(db: Db, runId: number, q: CartographyQuery = {}): CartographyDto {
  const env = db.prepare('SELECT environment FROM runs WHERE id = ?').pluck().get(runId) as string | null | undefined;
  if (env === undefined) throw notFound(`run ${runId} not found`);
  const cut = (env ? (JSON.parse(env) as { cartography?: { variability: number; confidence: number } }) : {})
    .cartography ?? { variability: 0, confidence: 0 };
  const counts = db
    .prepare(
      'SELECT region, count(*) AS n, max(epochs) AS epochs FROM pair_cartography WHERE run_id = ? GROUP BY region',
    )
    .all(runId) as Array<{ region: CartographyRegion; n: number; epochs: number }>;
  const regions: Record<CartographyRegion, number> = { easy: 0, ambiguous: 0, hard: 0 };
  for (const c of counts) regions[c.region] = c.n;
  const select = `SELECT c.pair_id, c.confidence, c.variability, c.correctness, c.epochs, c.region, p.source, p.target
                  FROM pair_cartography c LEFT JOIN pairs p ON p.id = c.pair_id WHERE c.run_id = ?`;
  const rows = q.pairIds
    ? (db
        .prepare(`${select} AND c.pair_id IN (SELECT value FROM json_each(?)) ORDER BY c.confidence, c.pair_id`)
        .all(runId, JSON.stringify(q.pairIds)) as CartographyRow[])
    : (db
        .prepare(`${select} AND (? IS NULL OR c.region = ?) ORDER BY c.confidence, c.pair_id LIMIT ?`)
        .all(runId, q.region ?? null, q.region ?? null, q.limit ?? 50) as CartographyRow[]);
  return {
    runId,
    pairs: counts.reduce((n, c) => n + c.n, 0),
    epochs: counts.reduce((n, c) => Math.max(n, c.epochs), 0),
    regions,
    thresholds: { variability: cut.variability, confidence: cut.confidence },
    rows: rows.map(toDto),
  };
}
