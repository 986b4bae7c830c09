import { judgedLengthRatio } from '../rules/length-ratio.ts';
import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';

/** The validator's length_ratio rule (rules/length-ratio.ts) with the user's bound. */
export const lengthRatioFilter: PairFilter<'length_ratio'> = {
  kind: 'length_ratio',
  run: (f, spec) => {
    const ratio = (i: number) => judgedLengthRatio(f.srcTokens[i], f.tgtTokens[i], spec.minTokens);
    return perPair(
      f,
      (i) => (ratio(i) ?? 0) > spec.maxRatio,
      (i) => `length ratio ${(ratio(i) ?? 0).toFixed(1)} (${f.srcTokens[i]} vs ${f.tgtTokens[i]} words)`,
    );
  },
};
