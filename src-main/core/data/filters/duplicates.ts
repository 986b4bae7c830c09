import type { DuplicatePartnersDto } from '../../../common/contract.ts';
import { badInput, notFound } from '../../../common/errors.ts';
import type { Db } from '../../store/db.ts';
import { exactDuplicateKey } from '../rules/duplicate-keys.ts';
import { pairFeatures } from './pair-features.ts';

interface PairText {
  id: number;
  source: string;
  target: string;
}

function pairOf(db: Db, datasetId: number, pairId: number): PairText {
  const p = db
    .prepare('SELECT id, source, target FROM pairs WHERE id = ? AND dataset_id = ?')
    .get(pairId, datasetId) as PairText | undefined;
  if (!p) throw notFound(`pair ${pairId} is not in this dataset`);
  return p;
}

/**
 * The pairs equal to one pair up to case, spacing and punctuation (the
 * validator's near_duplicate rule), itself first, then the others in dataset
 * order; `exact` marks those equal to it as written. Reads the dataset's
 * cached near-duplicate groups (pair-features.ts), then the few texts.
 */
export function nearDuplicates(db: Db, datasetId: number, pairId: number): DuplicatePartnersDto {
  const self = pairOf(db, datasetId, pairId);
  const f = pairFeatures(db, datasetId, ['near']);
  const groups = f.nearGroup;
  const at = f.ids.indexOf(pairId);
  const ids: number[] = [];
  if (groups && at >= 0) for (let i = 0; i < f.n; i++) if (groups[i] === groups[at] && i !== at) ids.push(f.ids[i]);
  const exact = exactDuplicateKey(self.source, self.target);
  const others = ids.map((id) => pairOf(db, datasetId, id));
  return {
    pairId,
    partners: [self, ...others].map((p) => ({
      pairId: p.id,
      source: p.source,
      target: p.target,
      exact: exactDuplicateKey(p.source, p.target) === exact,
    })),
  };
}

/** Checks a keep-one request: every pair to remove must be a near duplicate of the one kept. */
export function checkDuplicateChoice(db: Db, datasetId: number, keepPairId: number, removePairIds: readonly number[]) {
  const group = new Set(nearDuplicates(db, datasetId, keepPairId).partners.map((p) => p.pairId));
  for (const id of removePairIds) {
    if (id === keepPairId)
      throw badInput(`pair ${id} is the one kept: it cannot also be removed`, { field: 'removePairIds' });
    if (!group.has(id))
      throw badInput(`pair ${id} is not a near duplicate of pair ${keepPairId}`, { field: 'removePairIds' });
  }
}
