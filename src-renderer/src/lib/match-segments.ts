import type { MatchSpan } from '../../../src-main/common/ngram-search.ts';

/** A text cut at its match spans (pairs.searchNgram's [start, end) offsets), for <mark>ing the matches. */
export interface Segment {
  text: string;
  hit: boolean;
}

export function matchSegments(text: string, spans: readonly MatchSpan[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (a < at || b > text.length || b <= a) continue; // overlapping or out of range: not marked
    if (a > at) out.push({ text: text.slice(at, a), hit: false });
    out.push({ text: text.slice(a, b), hit: true });
    at = b;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), hit: false });
  return out;
}
