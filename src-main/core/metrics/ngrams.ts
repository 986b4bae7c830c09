/** n-gram counting shared by BLEU and chrF. Keys are the n-gram joined with a separator no token contains. */
export type NgramCounts = Map<string, number>;

const SEP = '\u0001';

/** All word n-grams of orders 1..maxOrder, in one map (the order is implied by the key). */
export function wordNgrams(words: readonly string[], minOrder: number, maxOrder: number): NgramCounts {
  const counts: NgramCounts = new Map();
  for (let n = minOrder; n <= maxOrder; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      const key = words.slice(i, i + n).join(SEP);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Character n-grams of one order, over code points (not UTF-16 units, as Python slices). */
export function charNgrams(chars: readonly string[], n: number): NgramCounts {
  const counts: NgramCounts = new Map();
  for (let i = 0; i + n <= chars.length; i++) {
    const key = chars.slice(i, i + n).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function ngramOrder(key: string): number {
  let n = 1;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 1) n++;
  return n;
}
