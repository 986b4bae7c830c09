import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';

/** The validator's untranslated rule (rules/copy.ts): the target copies the source. */
export const copyFilter: PairFilter<'copy'> = {
  kind: 'copy',
  run: (f) =>
    perPair(
      f,
      (i) => f.copy[i] === 1,
      () => 'target is a copy of the source',
    ),
};
