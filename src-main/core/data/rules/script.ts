/**
 * Which script a side is written in. The validator flags the extremes (a Hindi
 * side with no Devanagari, an English side with any); the script filter
 * thresholds the share of letters in the expected script.
 */
const DEVANAGARI = /[\u0900-\u097F]/u;

export function hasDevanagari(s: string): boolean {
  return DEVANAGARI.test(s);
}

/** The validator's rule: a Hindi side with text but no Devanagari letter. */
export function targetLacksDevanagari(target: string): boolean {
  return target.trim() !== '' && !hasDevanagari(target);
}

/** The validator's rule: an English side with any Devanagari. */
export function sourceHasDevanagari(source: string): boolean {
  return hasDevanagari(source);
}

export interface ScriptShares {
  /** letters counted: Latin, Devanagari and any other alphabetic character (digits, punctuation, spaces are not) */
  letters: number;
  latin: number;
  devanagari: number;
}

/**
 * Letters of each script, counted by code unit ranges (a per-character regex
 * would cost ten times more on 1M pairs). Devanagari digits and the danda are
 * not letters; its vowel signs and virama are (they belong to the word).
 */
export function scriptShares(s: string): ScriptShares {
  let letters = 0;
  let latin = 0;
  let devanagari = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) {
      latin++;
      letters++;
    } else if (c >= 0x900 && c <= 0x97f) {
      if ((c >= 0x964 && c <= 0x96f) || c === 0x970) continue; // danda, double danda, digits, abbreviation sign
      devanagari++;
      letters++;
    } else if (c >= 0x370 && c !== 0x200b && c !== 0x200c && c !== 0x200d && !(c >= 0x2000 && c <= 0x2bff)) {
      // another script's letter (Arabic, Bengali, CJK, ...); general punctuation and symbols are not letters
      if (c < 0x3000 || c >= 0x3040) letters++;
    }
  }
  return { letters, latin, devanagari };
}

/** The share of a side's letters in one script; a side without letters has share 0. */
export function shareOf(shares: ScriptShares, script: 'latin' | 'devanagari'): number {
  return shares.letters === 0 ? 0 : shares[script] / shares.letters;
}
