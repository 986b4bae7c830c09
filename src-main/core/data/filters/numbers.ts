import { numberKey } from '../rules/numbers.ts';
import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';

/** The digit sequences of the sides differ (rules/numbers.ts: Devanagari digits read as 0-9). */
export const numbersFilter: PairFilter<'numbers'> = {
  kind: 'numbers',
  needs: ['numbers'],
  run: (f) => {
    const differ = f.numbersDiffer;
    if (!differ) throw new Error('numbers filter: the numbers column was not measured');
    return perPair(
      f,
      (i) => differ[i] === 1,
      (_, p) => `numbers differ: ${numberKey(p.source) || 'none'} vs ${numberKey(p.target) || 'none'}`,
    );
  },
};
