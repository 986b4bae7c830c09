/**
 * Smoothing and decimation of metric series, runnable anywhere: the service
 * uses them to send a chart only what it can draw (20 runs x 100k points
 * would be hundreds of MB of JSON), smoothing at full resolution FIRST so the
 * line does not depend on the decimation.
 */
export type SmoothingSpec = { kind: 'none' } | { kind: 'ema'; weight: number } | { kind: 'moving'; window: number };

/** TensorBoard's smoothing: an EMA whose start-up bias towards 0 is divided out. Non-finite values pass through. */
export function emaDebiased(values: ArrayLike<number>, weight: number): number[] {
  const out = new Array<number>(values.length);
  let last = 0;
  // weight^n, kept as a running product (one multiplication a point: 20 runs x 100k points stay interactive)
  let wn = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    wn *= weight;
    out[i] = weight === 0 ? v : last / (1 - wn);
  }
  return out;
}

/** Trailing moving average over `window` points (shorter at the start). */
export function movingAverage(values: ArrayLike<number>, window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= w) sum -= values[i - w];
    out.push(sum / Math.min(i + 1, w));
  }
  return out;
}

export function smoothValues(values: ArrayLike<number>, s: SmoothingSpec): number[] {
  return s.kind === 'ema'
    ? emaDebiased(values, s.weight)
    : s.kind === 'moving'
      ? movingAverage(values, s.window)
      : Array.from(values);
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
    for (const k of [...new Set([start, lo, hi, end - 1])].sort((p, q) => p - q)) out.push(k);
  }
  return out;
}
