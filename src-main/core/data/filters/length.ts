import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';

/** Words per side (rules/words.ts, the validator's too_long count), each side within [minTokens, maxTokens]. */
export const lengthFilter: PairFilter<'length'> = {
  kind: 'length',
  run: (f, spec) => {
    const out = (n: number) => n < spec.minTokens || n > spec.maxTokens;
    return perPair(
      f,
      (i) => out(f.srcTokens[i]) || out(f.tgtTokens[i]),
      (i) => `${f.srcTokens[i]} / ${f.tgtTokens[i]} words (allowed ${spec.minTokens}–${spec.maxTokens})`,
    );
  },
};
