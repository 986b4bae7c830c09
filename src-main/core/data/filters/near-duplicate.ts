import { keepOnePerKey } from './dedup.ts';
import type { PairFilter } from './filter.ts';

/**
 * Pairs equal up to case, spacing and punctuation (rules/duplicate-keys.ts
 * nearDuplicateKey, the validator's near_duplicate rule; exact copies are in
 * the same group): one kept.
 */
export const nearDuplicateFilter: PairFilter<'near_duplicate'> = {
  kind: 'near_duplicate',
  dedup: true,
  run: (f, _spec, ctx) => keepOnePerKey(f, f.nearKey, ctx.passes, 'near duplicate'),
};
