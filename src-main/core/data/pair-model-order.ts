import { badInput } from '../../common/errors.ts';
import type { CartographyRegion, ModelSortKey } from '../../common/model-stats.ts';

/**
 * The part of a pair query that reads a run's per-pair numbers (issue 15): sorting by a cartography
 * number (core/train/cartography.ts) or the forced-decoding score (pair-scores.ts), and keeping one
 * cartography region. Pairs the run has no number for sort last, in either direction.
 */
export interface ModelPairQuery {
  sort?: string;
  desc?: boolean;
  runId?: number;
  region?: CartographyRegion;
}

export interface ModelQuerySql {
  /** AND-ed into the WHERE clause, with its arguments */
  where: string[];
  whereArgs: unknown[];
  /** the ORDER BY terms before the table's own tie-break (null: not a model sort), with their arguments */
  order: string | null;
  orderArgs: unknown[];
}

const MODEL_COLUMNS: Record<ModelSortKey, string> = {
  confidence: '(SELECT confidence FROM pair_cartography c WHERE c.run_id = ? AND c.pair_id = pairs.id)',
  variability: '(SELECT variability FROM pair_cartography c WHERE c.run_id = ? AND c.pair_id = pairs.id)',
  correctness: '(SELECT correctness FROM pair_cartography c WHERE c.run_id = ? AND c.pair_id = pairs.id)',
  // dataset_id in the lookup: the score table's key is (run, dataset, pair)
  model_score:
    '(SELECT score FROM pair_model_scores s ' +
    'WHERE s.run_id = ? AND s.dataset_id = pairs.dataset_id AND s.pair_id = pairs.id)',
};

export function isModelSortKey(sort: string | undefined): sort is ModelSortKey {
  return sort !== undefined && Object.hasOwn(MODEL_COLUMNS, sort);
}

export function modelQuerySql(q: ModelPairQuery): ModelQuerySql {
  const out: ModelQuerySql = { where: [], whereArgs: [], order: null, orderArgs: [] };
  const needsRun = isModelSortKey(q.sort) ? `sort ${q.sort}` : q.region ? `region ${q.region}` : null;
  if (needsRun && q.runId === undefined) {
    throw badInput(`${needsRun} needs a run: give the run whose numbers to use (runId)`, { field: 'runId' });
  }
  if (q.region) {
    out.where.push('id IN (SELECT pair_id FROM pair_cartography WHERE run_id = ? AND region = ?)');
    out.whereArgs.push(q.runId, q.region);
  }
  if (isModelSortKey(q.sort)) {
    const column = MODEL_COLUMNS[q.sort];
    out.order = `${column} IS NULL, ${column} ${q.desc ? 'DESC' : 'ASC'}`;
    out.orderArgs.push(q.runId, q.runId);
  }
  return out;
}
