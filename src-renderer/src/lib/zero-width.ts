/**
 * Zero-width characters made visible in the pair table. ZWSP, the word joiner
 * and a BOM are never wanted in a sentence; ZWNJ and ZWJ are legitimate inside
 * a Devanagari cluster (they choose how a conjunct is drawn) and stray anywhere
 * else: the same line as the zero_width finding's safe fix (core/data/findings.ts
 * stripZeroWidth). An unwanted one is replaced by a marker; a legitimate joiner
 * stays where it is (a marker inside the cluster would break its shaping) and
 * is marked, quietly, after its word.
 */
export type TextPiece = { text: string } | { mark: string; title: string; kept: boolean };

const ZW = /[\u200B-\u200D\u2060\uFEFF]/u;
const NAMES: Record<string, [string, string]> = {
  '\u200B': ['ZWSP', 'U+200B zero width space'],
  '\u200C': ['ZWNJ', 'U+200C zero width non-joiner'],
  '\u200D': ['ZWJ', 'U+200D zero width joiner'],
  '\u2060': ['WJ', 'U+2060 word joiner'],
  '\uFEFF': ['BOM', 'U+FEFF byte order mark'],
};
const DEVANAGARI = /[\u0900-\u097F]/u;
const isJoiner = (c: string) => c === '\u200C' || c === '\u200D';

export function hasZeroWidth(s: string): boolean {
  return ZW.test(s);
}

/** The text in pieces: plain runs and markers, in reading order. */
export function markZeroWidth(s: string): TextPiece[] {
  if (!hasZeroWidth(s)) return [{ text: s }];
  const chars = [...s];
  const out: TextPiece[] = [];
  let run = '';
  const pending: TextPiece[] = [];
  const flush = () => {
    if (run) out.push({ text: run });
    run = '';
  };
  chars.forEach((c, i) => {
    if (pending.length && !DEVANAGARI.test(c) && !isJoiner(c)) {
      flush();
      out.push(...pending.splice(0));
    }
    const name = NAMES[c];
    if (!name) {
      run += c;
      return;
    }
    let prev = i - 1;
    while (prev >= 0 && isJoiner(chars[prev])) prev--;
    let next = i + 1;
    while (next < chars.length && isJoiner(chars[next])) next++;
    const inCluster =
      isJoiner(c) && prev >= 0 && DEVANAGARI.test(chars[prev]) && next < chars.length && DEVANAGARI.test(chars[next]);
    if (inCluster) {
      run += c;
      pending.push({
        mark: name[0],
        title: `${name[1]} inside a Devanagari cluster: it shapes the conjunct, the fix keeps it`,
        kept: true,
      });
    } else {
      flush();
      out.push({ mark: name[0], title: `${name[1]}: invisible, the zero_width fix removes it`, kept: false });
    }
  });
  flush();
  out.push(...pending);
  return out;
}
