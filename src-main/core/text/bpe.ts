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
const ALL_AT = /^@+$/;

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
   * touching only the words that contain the merged pair, and the most
   * frequent pair comes from a max-heap (stale entries skipped when popped),
   * so a merge costs the words it touches, not a scan of every pair type.
   * Ties go to the smaller pair key, so the merges are deterministic.
   */
  static learn(words: Iterable<string>, numMerges: number): Bpe {
    const freq = new Map<string, number>();
    for (const w of words) freq.set(w, (freq.get(w) ?? 0) + 1);
    const types = [...freq.keys()].sort();
    const counts = types.map((w) => freq.get(w) ?? 0);
    const symbols = types.map((w) => [...charClusters(w).slice(0, -1), charClusters(w).at(-1) + EOW]);
    const pairCounts = new Map<string, number>();
    const where = new Map<string, Set<number>>();
    const changed = new Set<string>();
    // `where` may keep words that no longer hold a pair: merging such a word is a no-op.
    const addCount = (key: string, delta: number, wi: number) => {
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + delta);
      changed.add(key);
      if (delta > 0) {
        let set = where.get(key);
        if (!set) where.set(key, (set = new Set()));
        set.add(wi);
      }
    };
    for (let wi = 0; wi < types.length; wi++) for (const [key, m] of pairOccurrences(symbols[wi])) addCount(key, m * counts[wi], wi);
    const heap = new PairHeap();
    const pushChanged = () => {
      for (const key of changed) {
        const n = pairCounts.get(key) ?? 0;
        if (n > 1) heap.push(n, key); // a pair seen once is not worth a merge
      }
      changed.clear();
    };
    pushChanged();

    const merges: Array<[string, string]> = [];
    while (merges.length < numMerges) {
      const best = heap.popValid(pairCounts);
      if (best === undefined) break;
      const [a, b] = splitKey(best);
      merges.push([a, b]);
      for (const wi of where.get(best) ?? []) {
        // Only the pairs around a merged occurrence change: apply the difference, not a full recount.
        const before = pairOccurrences(symbols[wi]);
        symbols[wi] = mergeOnce(symbols[wi], a, b);
        const after = pairOccurrences(symbols[wi]);
        for (const [key, m] of after) {
          const delta = m - (before.get(key) ?? 0);
          if (delta !== 0) addCount(key, delta * counts[wi], wi);
          before.delete(key);
        }
        for (const [key, m] of before) addCount(key, -m * counts[wi], wi);
      }
      pairCounts.delete(best);
      where.delete(best);
      changed.delete(best);
      pushChanged();
    }
    return new Bpe(merges);
  }

  /** One word → its pieces, all but the last ending in "@@". */
  segmentWord(word: string): string[] {
    // A run of "@" (the tokenizer's only token that can contain the marker) stays whole, so joinPieces can tell it apart.
    if (ALL_AT.test(word)) return [word];
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
    if (ALL_AT.test(p)) {
      if (cur) words.push(cur);
      words.push(p);
      cur = '';
    } else if (p.endsWith(CONTINUATION)) cur += p.slice(0, -CONTINUATION.length);
    else {
      words.push(cur + p);
      cur = '';
    }
  }
  if (cur) words.push(cur);
  return words;
}

/** How often each adjacent pair occurs in one word's symbols. */
function pairOccurrences(s: readonly string[]): Map<string, number> {
  const occ = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const key = pairKey(s[i], s[i + 1]);
    occ.set(key, (occ.get(key) ?? 0) + 1);
  }
  return occ;
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

/**
 * Max-heap of (count, pair key): larger count first, then the smaller key.
 * An entry is stale when the pair's count has changed since it was pushed.
 */
class PairHeap {
  private readonly n: number[] = [];
  private readonly k: string[] = [];

  push(count: number, key: string): void {
    this.n.push(count);
    this.k.push(key);
    let i = this.n.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  /** The best pair whose entry is still current, or undefined when none is left. */
  popValid(current: ReadonlyMap<string, number>): string | undefined {
    while (this.n.length > 0) {
      const [count, key] = [this.n[0], this.k[0]];
      this.popTop();
      if (current.get(key) === count) return key;
    }
    return undefined;
  }

  private popTop(): void {
    const last = this.n.length - 1;
    this.swap(0, last);
    this.n.pop();
    this.k.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.n.length && this.before(l, top)) top = l;
      if (r < this.n.length && this.before(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }

  private before(i: number, j: number): boolean {
    return this.n[i] > this.n[j] || (this.n[i] === this.n[j] && this.k[i] < this.k[j]);
  }

  private swap(i: number, j: number): void {
    [this.n[i], this.n[j]] = [this.n[j], this.n[i]];
    [this.k[i], this.k[j]] = [this.k[j], this.k[i]];
  }
}
