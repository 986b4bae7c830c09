import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';

/** Script share per side (rules/script.ts): the English side mostly Latin, the Hindi side mostly Devanagari. */
export const scriptFilter: PairFilter<'script'> = {
  kind: 'script',
  run: (f, spec) =>
    perPair(
      f,
      (i) => f.srcLatin[i] < spec.minSourceLatin || f.tgtDevanagari[i] < spec.minTargetDevanagari,
      (i) => {
        const why: string[] = [];
        if (f.srcLatin[i] < spec.minSourceLatin) why.push(`English side ${pct(f.srcLatin[i])} Latin`);
        if (f.tgtDevanagari[i] < spec.minTargetDevanagari) why.push(`Hindi side ${pct(f.tgtDevanagari[i])} Devanagari`);
        return why.join('; ');
      },
    ),
};

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
