import { keepOnePerGroup } from './dedup.ts';
import type { PairFilter } from './filter.ts';

/** Exact duplicates (rules/duplicate-keys.ts exactDuplicateKey, the validator's duplicate rule): one kept. */
export const duplicateFilter: PairFilter<'duplicate'> = {
  kind: 'duplicate',
  dedup: true,
  run: (f, _spec, ctx) => keepOnePerGroup(f, f.exactGroup, ctx.passes, 'exact duplicate'),
};
