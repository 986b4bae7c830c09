import type { FilterRun } from './filter.ts';
import type { PairFeatures } from './pair-features.ts';

/**
 * Keep one pair of each group with the same key (exact or near-duplicate key):
 * the first in dataset order that the per-pair filters keep (`passes`), or
 * the first of all when they remove every member; the others are removed.
 */
export function keepOnePerKey(f: PairFeatures, keys: Float64Array, passes: Uint8Array, what: string): FilterRun {
  // key → position of the pair kept so far (a passing one replaces a non-passing first)
  const kept = new Map<number, number>();
  for (let i = 0; i < f.n; i++) {
    const k = kept.get(keys[i]);
    if (k === undefined || (!passes[k] && passes[i])) kept.set(keys[i], i);
  }
  const removed = new Uint8Array(f.n);
  for (let i = 0; i < f.n; i++) if (kept.get(keys[i]) !== i) removed[i] = 1;
  return { removed, reason: (i) => `${what} of pair ${f.ids[kept.get(keys[i]) ?? i]} (kept)` };
}
