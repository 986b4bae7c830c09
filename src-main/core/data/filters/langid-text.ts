/**
 * The character trigrams language identification counts (Cavnar and Trenkle
 * 1994, scored as a smoothed trigram model): lower-cased letters, each word
 * padded with one space on either side, so "the cat" gives " th", "the",
 * "he ", " ca", "cat", "at ". Digits, punctuation and symbols only separate
 * words. The profile builder (scripts/build-langid-profile.ts) and the scorer
 * (langid.ts) both read text through here, so their trigrams are the same.
 */

/** Texts are judged on their first characters: a sentence's language shows in its first few hundred. */
export const MAX_SCORED_CHARS = 400;

/** The code unit as counted, or 0 for a word break (space, digit, punctuation, symbol). */
export function letterUnit(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c;
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  if (c < 0xc0) return 0;
  if (c <= 0x24f) return c === 0xd7 || c === 0xf7 ? 0 : c >= 0xc0 && c <= 0xde ? c + 32 : c;
  if (c >= 0x900 && c <= 0x97f) return (c >= 0x964 && c <= 0x96f) || c === 0x970 ? 0 : c;
  // joiners belong to a Devanagari cluster; general punctuation, symbols and CJK punctuation break words
  if (c === 0x200c || c === 0x200d) return c;
  if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || c === 0xfeff) return 0;
  return c;
}

/**
 * Calls `each` with every trigram of the text as its three code units (space
 * is 32), and returns how many letters it saw.
 */
export function forEachTrigram(text: string, each: (a: number, b: number, c: number) => void): number {
  const end = Math.min(text.length, MAX_SCORED_CHARS);
  let a = 32;
  let b = 32;
  let letters = 0;
  for (let i = 0; i <= end; i++) {
    const u = i < end ? letterUnit(text.charCodeAt(i)) : 0;
    if (u === 0) {
      if (b !== 32) each(a, b, 32); // the word's last trigram, ending in its padding space
      a = 32;
      b = 32;
      continue;
    }
    letters++;
    if (b !== 32) each(a, b, u); // from the word's second letter: " th", "the"
    a = b;
    b = u;
  }
  return letters;
}

/** Three UTF-16 code units as one number (each under 2^16; the product stays an exact integer). */
export function packTrigram(a: number, b: number, c: number): number {
  return (a * 65536 + b) * 65536 + c;
}

export function trigramText(t: number): string {
  return String.fromCharCode(Math.floor(t / 2 ** 32) % 65536, Math.floor(t / 65536) % 65536, t % 65536);
}

export function trigramOf(s: string): number {
  return packTrigram(s.charCodeAt(0), s.charCodeAt(1), s.charCodeAt(2));
}
