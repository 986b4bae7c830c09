import type { Db } from '../store/db.ts';
import { iteratePairs } from '../store/datasets.ts';
import { tokenize } from '../text/tokenize.ts';

/** Counts a researcher checks first: pairs, vocabulary sizes, length distribution. */
export interface LengthStats {
  min: number;
  max: number;
  mean: number;
  median: number;
  p95: number;
}

export interface DatasetStats {
  pairs: number;
  srcVocab: number;
  tgtVocab: number;
  srcTokens: number;
  tgtTokens: number;
  srcLength: LengthStats;
  tgtLength: LengthStats;
}

export function datasetStats(db: Db, datasetId: number): DatasetStats {
  const srcV = new Set<string>();
  const tgtV = new Set<string>();
  const srcLens: number[] = [];
  const tgtLens: number[] = [];
  for (const p of iteratePairs(db, datasetId)) {
    const s = tokenize(p.source, { lang: 'en', level: 'word', lowercase: false });
    const t = tokenize(p.target, { lang: 'hi', level: 'word', lowercase: false });
    for (const w of s) srcV.add(w);
    for (const w of t) tgtV.add(w);
    srcLens.push(s.length);
    tgtLens.push(t.length);
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    pairs: srcLens.length,
    srcVocab: srcV.size,
    tgtVocab: tgtV.size,
    srcTokens: sum(srcLens),
    tgtTokens: sum(tgtLens),
    srcLength: lengthStats(srcLens),
    tgtLength: lengthStats(tgtLens),
  };
}

function lengthStats(lens: number[]): LengthStats {
  if (lens.length === 0) return { min: 0, max: 0, mean: 0, median: 0, p95: 0 };
  const sorted = Float64Array.from(lens).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: lens.reduce((a, b) => a + b, 0) / lens.length,
    median: at(0.5),
    p95: at(0.95),
  };
}
