/**
 * Tokenization for English and Hindi.
 *
 * Words: Unicode NFC first (the same Hindi word can arrive precomposed or with
 * a separate nukta), then runs of letters *with their combining marks*
 * (matras, nukta, virama, anusvara, ZWJ/ZWNJ), so a Devanagari syllable is never
 * cut in half; numbers stay whole ("3.14", "1,000", "२०२४", "21st"), and so do
 * dotted abbreviations ("a.m.", "U.S."); every other
 * visible character (Latin punctuation, "।", "॥") is a token of its own, with
 * runs of the same mark ("...", "!!") kept together.
 *
 * Characters: extended grapheme-ish clusters (a base followed by its marks),
 * with the space made visible as "▁" so detokenization is exact.
 */

export type Lang = 'en' | 'hi';
export type Level = 'word' | 'char';

export interface TokenizeOptions {
  lang: Lang;
  level: Level;
  lowercase?: boolean;
}

/** The visible stand-in for a space at character level. */
export const SPACE_TOKEN = '▁';

const JOINERS = '\u200c\u200d';
const WORD_TOKEN = new RegExp(
  [
    // numbers, with inner separators and a unit/ordinal: 3.14 1,000 10:30 21st
    `\\p{N}+(?:[.,:]\\p{N}+)*(?:[\\p{L}\\p{M}]+)?`,
    `\\p{L}(?:\\.\\p{L})+\\.?(?![\\p{L}\\p{M}])`, // dotted abbreviations: a.m. e.g. U.S.
    `[\\p{L}\\p{M}${JOINERS}]+(?:['’-][\\p{L}\\p{M}${JOINERS}]+)*`, // words, inner ' and - kept: don't, well-known
    `(\\S)\\1*`, // one punctuation mark or symbol, repeated runs together
  ].join('|'),
  'gu',
);

/** A base character followed by its combining marks and joiners. */
const CLUSTER = new RegExp(`[^\\p{M}${JOINERS}][\\p{M}${JOINERS}]*|[\\p{M}${JOINERS}]+`, 'gsu');

export function normalize(text: string, lowercase = false): string {
  const nfc = text.normalize('NFC');
  return lowercase ? nfc.toLowerCase() : nfc;
}

export function tokenize(text: string, opts: TokenizeOptions): string[] {
  const norm = normalize(text, opts.lowercase);
  if (opts.level === 'char')
    return charClusters(norm.trim().replace(/\s+/gu, ' ')).map((c) => (c === ' ' ? SPACE_TOKEN : c));
  return norm.match(WORD_TOKEN) ?? [];
}

/** Splits text into base+marks clusters (never separating a matra from its consonant). */
export function charClusters(text: string): string[] {
  return text.match(CLUSTER) ?? [];
}

// Marks that attach to the word before them, and ones that attach to the word after.
const CLOSING = /^(?:[.,!?;:%)\]}»”’…।॥]|\.{2,}|!+|\?+)$/u;
const OPENING = /^[([{«“‘¿¡#$]$/u;

/** Joins tokens back into natural text: no space before ",", ".", "।", none after "(". */
export function detokenize(tokens: readonly string[], opts: { lang: Lang; level: Level }): string {
  if (opts.level === 'char') return tokens.join('').split(SPACE_TOKEN).join(' ').trim();
  let out = '';
  let quoteOpen = false;
  let glueNext = true;
  for (const tok of tokens) {
    let glue = glueNext || CLOSING.test(tok);
    glueNext = OPENING.test(tok);
    if (tok === '"' || tok === "'") {
      // A straight quote opens (space before, none after) or closes (the reverse).
      if (quoteOpen) glue = true;
      else glueNext = true;
      quoteOpen = !quoteOpen;
    }
    out += glue ? tok : ` ${tok}`;
  }
  return out;
}
