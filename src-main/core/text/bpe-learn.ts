import { charClusters } from './tokenize.ts';

/**
 * Learning BPE merges (Sennrich et al., 2016) from word counts, fast enough for
 * corpora of millions of sentences: the corpus is first reduced to its word types
 * with counts (see word-counts.ts), so the cost is in the types, not the tokens.
 *
 * Symbols are interned to integers and a word is an Int32Array of symbol ids; a
 * pair is the number a * S + b, S the most symbols there can be (clusters seen plus
 * merges), so that keys stay small integers (V8 Smis, below 2^30) for the usual
 * sizes: the maps then hash them fast and allocate nothing. Pair counts are kept incrementally: a merge
 * revisits only the words that hold the merged pair (an index from pair to the
 * words where it was ever seen; a word that no longer holds it is a no-op), takes
 * their old pairs out of the counts and puts their new ones in. The most frequent
 * pair comes from a max-heap whose stale entries are skipped when popped. Ties go
 * to the smaller "a\0b" string, so the merges are deterministic and equal to those
 * of the simple one-pair-at-a-time textbook algorithm.
 *
 * Returns the merges as [a, b] pairs of symbol strings, the end-of-word marker
 * `eow` glued to the last cluster of each word.
 */
export function learnMerges(
  counts: ReadonlyMap<string, number>,
  numMerges: number,
  eow: string,
): Array<[string, string]> {
  const symbolIds = new Map<string, number>();
  const symbols: string[] = [];
  const intern = (s: string): number => {
    let id = symbolIds.get(s);
    if (id === undefined) {
      id = symbols.length;
      symbolIds.set(s, id);
      symbols.push(s);
    }
    return id;
  };
  // Sorted types: the interning order, hence everything below, does not depend on the map's order.
  const types = [...counts.keys()].filter((w) => w !== '').sort();
  const freq = Float64Array.from(types, (w) => counts.get(w) ?? 0);
  const words: Int32Array[] = types.map((w) => {
    const cs = charClusters(w);
    cs[cs.length - 1] += eow;
    return Int32Array.from(cs, intern);
  });
  const SHIFT = symbols.length + numMerges; // each merge adds at most one symbol

  const pairCounts = new Map<number, number>();
  const where = new Map<number, number[]>();
  // Pairs whose count changed since the last push, with the count they had then: a merge takes a word's
  // pairs out and puts most of them back, and only a net change needs a new heap entry.
  const touched = new Map<number, number>();
  const add = (key: number, delta: number) => {
    const old = pairCounts.get(key) ?? 0;
    if (!touched.has(key)) touched.set(key, old);
    pairCounts.set(key, old + delta);
  };
  const note = (key: number, wi: number) => {
    const list = where.get(key);
    if (list) list.push(wi);
    else where.set(key, [wi]);
  };
  for (let wi = 0; wi < words.length; wi++) {
    const w = words[wi];
    for (let i = 0; i + 1 < w.length; i++) {
      const key = w[i] * SHIFT + w[i + 1];
      add(key, freq[wi]);
      note(key, wi);
    }
  }
  const heap = new PairHeap((key) => `${symbols[Math.floor(key / SHIFT)]}\u0000${symbols[key % SHIFT]}`);
  const pushTouched = () => {
    for (const [key, old] of touched) {
      const n = pairCounts.get(key) ?? 0;
      if (n > 1 && n !== old) heap.push(n, key); // a pair seen once is not worth a merge
    }
    touched.clear();
  };
  pushTouched();

  const merges: Array<[string, string]> = [];
  const visited = new Int32Array(words.length).fill(-1);
  while (merges.length < numMerges) {
    const best = heap.popValid(pairCounts);
    if (best === undefined) break;
    const a = Math.floor(best / SHIFT);
    const b = best % SHIFT;
    const ab = intern(symbols[a] + symbols[b]);
    const round = merges.length;
    merges.push([symbols[a], symbols[b]]);
    for (const wi of where.get(best) ?? []) {
      if (visited[wi] === round) continue; // listed twice
      visited[wi] = round;
      const before = words[wi];
      const after = mergePair(before, a, b, ab);
      if (after === before) continue;
      const n = freq[wi];
      for (let i = 0; i + 1 < before.length; i++) add(before[i] * SHIFT + before[i + 1], -n);
      for (let i = 0; i + 1 < after.length; i++) {
        const key = after[i] * SHIFT + after[i + 1];
        add(key, n);
        if (after[i] === ab || after[i + 1] === ab) note(key, wi); // only pairs with the new symbol are new here
      }
      words[wi] = after;
    }
    pairCounts.delete(best);
    where.delete(best);
    touched.delete(best);
    pushTouched();
  }
  return merges;
}

/** Every non-overlapping (a, b), left to right, replaced by ab; the same array when there is none. */
function mergePair(w: Int32Array, a: number, b: number, ab: number): Int32Array {
  let hits = 0;
  for (let i = 0; i + 1 < w.length; i++) {
    if (w[i] === a && w[i + 1] === b) {
      hits++;
      i++;
    }
  }
  if (hits === 0) return w;
  const out = new Int32Array(w.length - hits);
  let j = 0;
  for (let i = 0; i < w.length; i++) {
    if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
      out[j++] = ab;
      i++;
    } else out[j++] = w[i];
  }
  return out;
}

/**
 * Max-heap of (count, pair): larger count first, then the smaller pair string.
 * An entry is stale when the pair's count has changed since it was pushed.
 */
class PairHeap {
  private readonly n: number[] = [];
  private readonly k: number[] = [];
  private readonly s: string[] = [];

  constructor(private readonly name: (key: number) => string) {}

  push(count: number, key: number): void {
    this.n.push(count);
    this.k.push(key);
    this.s.push(this.name(key));
    let i = this.n.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  /** The best pair whose entry is still current, or undefined when none is left. */
  popValid(current: ReadonlyMap<number, number>): number | undefined {
    while (this.n.length > 0) {
      const count = this.n[0];
      const key = this.k[0];
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
    this.s.pop();
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
    return this.n[i] > this.n[j] || (this.n[i] === this.n[j] && this.s[i] < this.s[j]);
  }

  private swap(i: number, j: number): void {
    [this.n[i], this.n[j]] = [this.n[j], this.n[i]];
    [this.k[i], this.k[j]] = [this.k[j], this.k[i]];
    [this.s[i], this.s[j]] = [this.s[j], this.s[i]];
  }
}
