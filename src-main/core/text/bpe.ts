import { charClusters } from './tokenize.ts';

/**
 * Byte-pair encoding (Sennrich et al., 2016) over words, subword-nmt style:
 * merges are learned on the train split's word counts with an end-of-word
 * marker, and a split word marks every piece but its last with "@@"
 * ("नमस्ते" → "नम@@ स्ते"). The alphabet is character *clusters*, so no
 * merge can leave a matra or virama without its consonant.
 */

const EOW = '</w>';
export const CONTINUATION = '@@';

export interface BpeJSON {
  merges: Array<[string, string]>;
}

export class Bpe {
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, string[]>();

  constructor(readonly merges: ReadonlyArray<readonly [string, string]>) {
    this.ranks = new Map(merges.map(([a, b], i) => [pairKey(a, b), i]));
  }

  /**
   * Learns up to `numMerges` merges. Pair counts are updated incrementally,
   * touching only the words that contain the merged pair, so learning stays
   * linear in the number of word types per merge rather than in the corpus.
   */
  static learn(words: Iterable<string>, numMerges: number): Bpe {
    const freq = new Map<string, number>();
    for (const w of words) freq.set(w, (freq.get(w) ?? 0) + 1);
    const types = [...freq.keys()].sort();
    const counts = types.map((w) => freq.get(w) ?? 0);
    const symbols = types.map((w) => [...charClusters(w).slice(0, -1), charClusters(w).at(-1) + EOW]);
    const pairCounts = new Map<string, number>();
    const where = new Map<string, Set<number>>();
    const addPairs = (wi: number, sign: number) => {
      const s = symbols[wi];
      for (let i = 0; i + 1 < s.length; i++) {
        const key = pairKey(s[i], s[i + 1]);
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * counts[wi]);
        if (sign > 0) {
          let set = where.get(key);
          if (!set) where.set(key, (set = new Set()));
          set.add(wi);
        }
      }
    };
    for (let wi = 0; wi < types.length; wi++) addPairs(wi, 1);

    const merges: Array<[string, string]> = [];
    while (merges.length < numMerges) {
      let best = '';
      let bestCount = 1; // a pair seen once is not worth a merge
      for (const [key, n] of pairCounts) if (n > bestCount || (n === bestCount && n > 1 && key < best)) [best, bestCount] = [key, n];
      if (!best) break;
      const [a, b] = splitKey(best);
      merges.push([a, b]);
      for (const wi of where.get(best) ?? []) {
        addPairs(wi, -1);
        symbols[wi] = mergeOnce(symbols[wi], a, b);
        addPairs(wi, 1);
      }
      pairCounts.delete(best);
      where.delete(best);
    }
    return new Bpe(merges);
  }

  /** One word → its pieces, all but the last ending in "@@". */
  segmentWord(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    let s = [...charClusters(word).slice(0, -1), charClusters(word).at(-1) + EOW];
    for (;;) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = this.ranks.get(pairKey(s[i], s[i + 1]));
        if (r !== undefined && r < bestRank) [bestRank, bestAt] = [r, i];
      }
      if (bestAt < 0) break;
      s = mergeOnce(s, s[bestAt], s[bestAt + 1]);
    }
    const pieces = s.map((p, i) => (i === s.length - 1 ? p.slice(0, -EOW.length) : p + CONTINUATION)).filter((p) => p !== '');
    if (this.cache.size < 100_000) this.cache.set(word, pieces);
    return pieces;
  }

  segment(words: readonly string[]): string[] {
    return words.flatMap((w) => (w ? this.segmentWord(w) : []));
  }

  toJSON(): BpeJSON {
    return { merges: this.merges.map(([a, b]) => [a, b]) };
  }

  static fromJSON(json: BpeJSON): Bpe {
    return new Bpe(json.merges);
  }
}

/** Pieces back to words: "नम@@ स्ते" → "नमस्ते". */
export function joinPieces(pieces: readonly string[]): string[] {
  const words: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (p.endsWith(CONTINUATION)) cur += p.slice(0, -CONTINUATION.length);
    else {
      words.push(cur + p);
      cur = '';
    }
  }
  if (cur) words.push(cur);
  return words;
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), key.slice(i + 1)];
}

function mergeOnce(s: readonly string[], a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
      out.push(a + b);
      i++;
    } else out.push(s[i]);
  }
  return out;
}
