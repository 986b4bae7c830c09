import type { FilterKind, FilterSpec } from '../../../common/filters.ts';
import type { Db } from '../../store/db.ts';
import type { FeatureGroup, PairFeatures } from './pair-features.ts';

/**
 * One filter of a pipeline, run over a dataset's measured pairs: which pairs
 * it removes (1 per removed position, dataset order), and in words why.
 */
export interface FilterRun {
  removed: Uint8Array;
  /** why the pair at this position is removed (asked only of removed ones, with their texts) */
  reason(i: number, pair: PairText): string;
  /** pairs the filter kept without judging them, and why (the language filter's too-short sides) */
  notJudged?: { pairs: number; reason: string };
}

export interface PairText {
  source: string;
  target: string;
}

export interface FilterContext {
  db: Db;
  datasetId: number;
  /**
   * De-duplication only: 1 where no per-pair filter of the pipeline removes
   * the pair. A group keeps its first such pair, so a dedup never keeps the one
   * copy another filter then removes.
   */
  passes: Uint8Array;
}

export interface PairFilter<K extends FilterKind> {
  kind: K;
  /** de-duplication filters run after the per-pair ones (they read FilterContext.passes) */
  dedup?: boolean;
  /** the costly columns it reads, measured before it runs */
  needs?: readonly FeatureGroup[];
  run(f: PairFeatures, spec: Extract<FilterSpec, { kind: K }>, ctx: FilterContext): FilterRun;
}

/** A per-pair filter from its test (true: remove) and its reason in words (asked only of removed pairs). */
export function perPair(
  f: PairFeatures,
  removes: (i: number) => boolean,
  reason: (i: number, pair: PairText) => string,
): FilterRun {
  const removed = new Uint8Array(f.n);
  for (let i = 0; i < f.n; i++) if (removes(i)) removed[i] = 1;
  return { removed, reason };
}
