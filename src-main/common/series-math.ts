/**
 * Smoothing and decimation of metric series, runnable anywhere: the service
 * uses them to send a chart only what it can draw (20 runs x 100k points
 * would be hundreds of MB of JSON), smoothing at full resolution FIRST so the
 * line does not depend on the decimation.
 */
export type SmoothingSpec = { kind: 'none' } | { kind: 'ema'; weight: number } | { kind: 'moving'; window: number };

/** TensorBoard's smoothing: an EMA whose start-up bias towards 0 is divided out. Non-finite values pass through. */
export function emaDebiased(values: ArrayLike<number>, weight: number): number[] {
  return Array.from(emaColumn(values, weight));
}

/**
 * emaDebiased into a typed array: the service smooths 27 x 100k points per view change, and a Float64Array is
 * 3x faster to fill than an Array of that length (which V8 may keep as a dictionary).
 */
function emaColumn(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  let last = 0;
  // weight^n, kept as a running product (one multiplication a point); set to 0 once 1 - wn is exactly 1,
  // before it turns subnormal (arithmetic on subnormals is many times slower)
  let wn = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    if (wn !== 0) wn = wn < 1e-20 ? 0 : wn * weight;
    out[i] = weight === 0 ? v : last / (1 - wn);
  }
  return out;
}

/** Trailing moving average over `window` points (shorter at the start). */
export function movingAverage(values: ArrayLike<number>, window: number): number[] {
  return Array.from(movingColumn(values, window));
}

function movingColumn(values: ArrayLike<number>, window: number): Float64Array {
  const w = Math.max(1, Math.floor(window));
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= w) sum -= values[i - w];
    out[i] = sum / Math.min(i + 1, w);
  }
  return out;
}

/** A series smoothed (a copy when s is none), as a typed array: index i is point i. */
export function smoothValues(values: ArrayLike<number>, s: SmoothingSpec): Float64Array {
  return s.kind === 'ema'
    ? emaColumn(values, s.weight)
    : s.kind === 'moving'
      ? movingColumn(values, s.window)
      : Float64Array.from(values);
}

/**
 * Indices to keep so that at most `maxPoints` remain: the points split into
 * maxPoints/4 equal runs, and of each run the first, lowest, highest and last
 * are kept in order, so a one-sample spike survives any decimation.
 */
export function minMaxIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    // the four in order, each once
    const [first, second] = lo < hi ? [lo, hi] : [hi, lo];
    out.push(start);
    if (first > start) out.push(first);
    if (second > first) out.push(second);
    if (end - 1 > second) out.push(end - 1);
  }
  return out;
}
