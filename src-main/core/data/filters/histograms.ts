import type { HistogramDto } from '../../../common/filters.ts';
import type { PairFeatures } from './pair-features.ts';

/**
 * The preview's charts: words per side and the target/source length ratio,
 * each for all pairs and for the kept ones (the bars before and after).
 */
export function lengthHistograms(
  f: PairFeatures,
  hits: Uint8Array,
): { sourceLength: HistogramDto; targetLength: HistogramDto; lengthRatio: HistogramDto } {
  return {
    sourceLength: countInto(lengthEdges(f.srcTokens, f.n), f.srcTokens, f.n, hits),
    targetLength: countInto(lengthEdges(f.tgtTokens, f.n), f.tgtTokens, f.n, hits),
    lengthRatio: ratioHistogram(f, hits),
  };
}

/** About 40 bins of whole words from 0 up to the 99th percentile (the last bin holds the long tail). */
function lengthEdges(values: Uint32Array, n: number): number[] {
  const p99 = percentile(values, n, 0.99);
  const width = Math.max(1, Math.ceil((p99 + 1) / 40));
  const edges: number[] = [];
  for (let e = 0; e <= p99 + width; e += width) edges.push(e);
  return edges;
}

/** A percentile by counting (lengths are small integers; the rare huge one is clipped): no sort of 1M values. */
function percentile(values: Uint32Array, n: number, q: number): number {
  if (n === 0) return 0;
  const cap = 10_000;
  const counts = new Uint32Array(cap + 1);
  for (let i = 0; i < n; i++) counts[Math.min(cap, values[i])]++;
  let seen = 0;
  for (let v = 0; v <= cap; v++) {
    seen += counts[v];
    if (seen >= q * n) return v;
  }
  return cap;
}

function countInto(edges: number[], values: Uint32Array, n: number, hits: Uint8Array): HistogramDto {
  const bins = edges.length - 1;
  const width = edges[1] - edges[0];
  const all = new Array<number>(bins).fill(0);
  const kept = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(values[i] / width));
    all[b]++;
    if (!hits[i]) kept[b]++;
  }
  return { edges, all, kept };
}

/** log2(target words / source words) in quarter steps from 1/8 to 8; pairs with an empty side are not counted. */
function ratioHistogram(f: PairFeatures, hits: Uint8Array): HistogramDto {
  const lo = -3;
  const step = 0.25;
  const bins = 24;
  const edges = Array.from({ length: bins + 1 }, (_, k) => Number((2 ** (lo + k * step)).toPrecision(4)));
  const all = new Array<number>(bins).fill(0);
  const kept = new Array<number>(bins).fill(0);
  for (let i = 0; i < f.n; i++) {
    if (f.srcTokens[i] === 0 || f.tgtTokens[i] === 0) continue;
    const x = Math.log2(f.tgtTokens[i] / f.srcTokens[i]);
    const b = Math.max(0, Math.min(bins - 1, Math.floor((x - lo) / step)));
    all[b]++;
    if (!hits[i]) kept[b]++;
  }
  return { edges, all, kept };
}
