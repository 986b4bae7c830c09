/**
 * sacreBLEU's BLEU tokenizers, reimplemented to give byte-identical token
 * streams (checked against sacreBLEU 2.5 scores in test/metrics-bleu.test.ts).
 *
 * Why this matters for Hindi: `13a` only splits ASCII punctuation, so the
 * danda "।" stays glued to the word before it ("हैं।" is one token) and every
 * sentence-final word then mismatches a reference written "हैं ।". `intl`
 * splits all Unicode punctuation (\p{P}) and symbols (\p{S}), "।" included,
 * which is why it is this project's default for en→hi reports.
 */
export type SacreTokenize = '13a' | 'intl' | 'none' | 'char';

const RULES_13A: Array<[RegExp, string]> = [
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '], // ASCII punctuation and symbols
  [/([^0-9])([.,])/g, '$1 $2 '], // period/comma unless preceded by a digit
  [/([.,])([^0-9])/g, ' $1 $2'], // period/comma unless followed by a digit
  [/([0-9])(-)/g, '$1 $2 '], // dash after a digit
];

const RULES_INTL: Array<[RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

function applyRules(line: string, rules: Array<[RegExp, string]>): string {
  for (const [re, repl] of rules) line = line.replace(re, repl);
  return splitWs(line).join(' ');
}

/**
 * Python's str.isspace() set, which sacreBLEU's str.split()/rstrip() use. It is not JS's \\s:
 * it has U+001C–U+001F and U+0085, and lacks U+FEFF (test/metrics-sacrebleu-parity.test.ts).
 */
// eslint-disable-next-line no-control-regex -- U+001C..U+001F are whitespace to Python
const PY_SPACES = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
// eslint-disable-next-line no-control-regex -- as above
const PY_TRAILING_SPACES = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;

/** Python's str.split(): runs of whitespace, no empty strings. */
export function splitWs(s: string): string[] {
  return s.split(PY_SPACES).filter((w) => w !== '');
}

/** Python's str.rstrip(). */
export function rstripWs(s: string): string {
  return s.replace(PY_TRAILING_SPACES, '');
}

export function sacreTokenize(line: string, kind: SacreTokenize): string {
  switch (kind) {
    case 'none':
      return line;
    case 'char':
      return Array.from(line).join(' ');
    case 'intl':
      return applyRules(line, RULES_INTL);
    case '13a': {
      let l = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
      if (l.includes('&'))
        l = l.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
      return applyRules(` ${l} `, RULES_13A);
    }
  }
}
