import { keepOnePerGroup } from './dedup.ts';
import type { PairFilter } from './filter.ts';

/**
 * Pairs equal up to case, spacing and punctuation (rules/duplicate-keys.ts
 * nearDuplicateKey, the validator's near_duplicate rule; exact copies are in
 * the same group): one kept.
 */
export const nearDuplicateFilter: PairFilter<'near_duplicate'> = {
  kind: 'near_duplicate',
  dedup: true,
  needs: ['near'],
  run: (f, _spec, ctx) => {
    if (!f.nearGroup) throw new Error('near_duplicate filter: the near-duplicate keys were not measured');
    return keepOnePerGroup(f, f.nearGroup, ctx.passes, 'near duplicate');
  },
};
