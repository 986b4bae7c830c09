import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';
import { shippedLanguageIdentifier } from './langid.ts';

/**
 * Character-trigram language ID per side (langid.ts says what it can and
 * cannot tell apart): a side is removed when another language of the profile
 * wins by more than the margin; sides under minLetters letters are not judged.
 */
export const languageFilter: PairFilter<'language'> = {
  kind: 'language',
  needs: ['language'],
  run: (f, spec) => {
    const c = f.language;
    if (!c) throw new Error('language filter: the language columns were not measured');
    const names = shippedLanguageIdentifier().languages.map((l) => l.name);
    const checkSrc = spec.sides !== 'target';
    const checkTgt = spec.sides !== 'source';
    const srcOff = (i: number) => checkSrc && c.srcLetters[i] >= spec.minLetters && c.srcMargin[i] < -spec.margin;
    const tgtOff = (i: number) => checkTgt && c.tgtLetters[i] >= spec.minLetters && c.tgtMargin[i] < -spec.margin;
    return perPair(
      f,
      (i) => srcOff(i) || tgtOff(i),
      (i) => {
        const why: string[] = [];
        if (srcOff(i)) why.push(`English side reads as ${names[c.srcBest[i]]}`);
        if (tgtOff(i)) why.push(`Hindi side reads as ${names[c.tgtBest[i]]}`);
        return why.join('; ');
      },
    );
  },
};
