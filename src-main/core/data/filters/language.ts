import type { PairFilter } from './filter.ts';
import { perPair } from './filter.ts';
import { shippedLanguageIdentifier } from './langid.ts';

/** Below the reliable length, a side is judged by its script only: most of its letters in the expected one. */
const SHORT_SIDE_MIN_SHARE = 0.5;

/**
 * Character-trigram language ID per side (langid.ts says what it can and
 * cannot tell apart): a side is removed when another language of the profile
 * wins by more than the margin. A side under minLetters letters (by default the
 * profile's reliable length, common/filters.ts) is too short to judge by
 * language (a name or a heading reads as a neighbour language), so it is judged
 * by script only: removed when under half its letters are Latin (English side)
 * or Devanagari (Hindi side), else kept and counted as "too short to judge".
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
    const srcShort = (i: number) => checkSrc && c.srcLetters[i] > 0 && c.srcLetters[i] < spec.minLetters;
    const tgtShort = (i: number) => checkTgt && c.tgtLetters[i] > 0 && c.tgtLetters[i] < spec.minLetters;
    const srcOff = (i: number) =>
      srcShort(i)
        ? f.srcLatin[i] < SHORT_SIDE_MIN_SHARE
        : checkSrc && c.srcLetters[i] >= spec.minLetters && c.srcMargin[i] < -spec.margin;
    const tgtOff = (i: number) =>
      tgtShort(i)
        ? f.tgtDevanagari[i] < SHORT_SIDE_MIN_SHARE
        : checkTgt && c.tgtLetters[i] >= spec.minLetters && c.tgtMargin[i] < -spec.margin;
    const short = (letters: number, share: number, script: string) =>
      `too short to judge by language (${letters} letters), ${Math.round(share * 100)}% ${script}`;
    const run = perPair(
      f,
      (i) => srcOff(i) || tgtOff(i),
      (i) => {
        const why: string[] = [];
        if (srcOff(i))
          why.push(
            srcShort(i)
              ? `English side ${short(c.srcLetters[i], f.srcLatin[i], 'Latin')}`
              : `English side reads as ${names[c.srcBest[i]]}`,
          );
        if (tgtOff(i))
          why.push(
            tgtShort(i)
              ? `Hindi side ${short(c.tgtLetters[i], f.tgtDevanagari[i], 'Devanagari')}`
              : `Hindi side reads as ${names[c.tgtBest[i]]}`,
          );
        return why.join('; ');
      },
    );
    let kept = 0;
    for (let i = 0; i < f.n; i++) if (!run.removed[i] && (srcShort(i) || tgtShort(i))) kept++;
    const reason = `too short to judge (a side under ${spec.minLetters} letters): judged by script only, kept`;
    return { ...run, notJudged: { pairs: kept, reason } };
  },
};
