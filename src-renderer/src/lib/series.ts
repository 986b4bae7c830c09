/**
 * Pure functions behind the compare chart: smoothing (TensorBoard's debiased
 * EMA, moving average), applied to the full-resolution series *before*
 * downsampling, then Largest-Triangle-Three-Buckets decimation to about one
 * point per pixel, and the CSV / SVG exports of what is plotted.
 */
export interface Point {
  x: number;
  y: number;
}

export type Smoothing = { kind: 'none' } | { kind: 'ema'; weight: number } | { kind: 'moving'; window: number };

/** TensorBoard's smoothing: an EMA whose start-up bias towards 0 is divided out. */
export function emaDebiased(values: readonly number[], weight: number): number[] {
  const out: number[] = [];
  let last = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    last = last * weight + (1 - weight) * v;
    n++;
    out.push(weight === 0 ? v : last / (1 - weight ** n));
  }
  return out;
}

/** Trailing moving average over `window` points. */
export function movingAverage(values: readonly number[], window: number): number[] {
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

export function smooth(points: readonly Point[], s: Smoothing): Point[] {
  if (s.kind === 'none') return points.slice();
  const ys = points.map((p) => p.y);
  const sm = s.kind === 'ema' ? emaDebiased(ys, s.weight) : movingAverage(ys, s.window);
  return points.map((p, i) => ({ x: p.x, y: sm[i] }));
}

/** Largest-Triangle-Three-Buckets (Steinarsson, 2013): keeps the visual shape with `threshold` points. */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  if (threshold >= points.length || threshold < 3) return points.slice();
  const out: Point[] = [points[0]];
  const every = (points.length - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const start = Math.floor((i + 1) * every) + 1;
    const end = Math.min(Math.floor((i + 2) * every) + 1, points.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = start; j < end; j++) {
      avgX += points[j].x;
      avgY += points[j].y;
    }
    avgX /= Math.max(end - start, 1);
    avgY /= Math.max(end - start, 1);
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    let best = rangeStart;
    let bestArea = -1;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const area = Math.abs((points[a].x - avgX) * (points[j].y - points[a].y) - (points[a].x - points[j].x) * (avgY - points[a].y));
      if (area > bestArea) [bestArea, best] = [area, j];
    }
    out.push(points[best]);
    a = best;
  }
  out.push(points[points.length - 1]);
  return out;
}

export interface PlottedSeries {
  label: string;
  runId: number;
  metric: string;
  color: string;
  raw: Point[];
  smoothed: Point[];
}

/** The plotted data as long-format CSV: one row per (series, x) with raw and smoothed values. */
export function seriesCsv(series: readonly PlottedSeries[], xLabel: string): string {
  const rows = [`run,label,metric,${xLabel},value,smoothed`];
  for (const s of series) {
    s.raw.forEach((p, i) => rows.push(`${s.runId},${csvCell(s.label)},${s.metric},${p.x},${p.y},${s.smoothed[i]?.y ?? ''}`));
  }
  return rows.join('\n') + '\n';
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** "Nice" axis ticks (1, 2, 5 × 10^k). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step0 = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * A vector chart for a paper: axes, ticks, one path per series (the smoothed
 * line, the raw data faint behind it) and a legend. Sized in points
 * (default 3.5 × 2.4 in, a single column).
 */
export function chartSvg(series: readonly PlottedSeries[], o: { title: string; xLabel: string; yLabel: string; logY?: boolean; width?: number; height?: number }): string {
  const W = o.width ?? 504;
  const H = o.height ?? 346;
  const m = { l: 52, r: 12, t: 26, b: 40 };
  const all = series.flatMap((s) => [...s.raw, ...s.smoothed]).filter((p) => Number.isFinite(p.y) && (!o.logY || p.y > 0));
  const xs = all.map((p) => p.x);
  const tf = (y: number) => (o.logY ? Math.log10(y) : y);
  const ys = all.map((p) => tf(p.y));
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((tf(y) - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const path = (pts: readonly Point[]) =>
    pts.filter((p) => Number.isFinite(p.y) && (!o.logY || p.y > 0)).map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(2)},${sy(p.y).toFixed(2)}`).join('');
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
  const xt = niceTicks(x0, x1);
  const yt = o.logY ? niceTicks(y0, y1).map((t) => 10 ** t) : niceTicks(y0, y1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="10">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="12">${esc(o.title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    ...xt.map((t) => `<line x1="${sx(t)}" y1="${H - m.b}" x2="${sx(t)}" y2="${H - m.b + 4}" stroke="black"/><text x="${sx(t)}" y="${H - m.b + 14}" text-anchor="middle">${t}</text>`),
    ...yt.map((t) => `<line x1="${m.l - 4}" y1="${sy(t)}" x2="${m.l}" y2="${sy(t)}" stroke="black"/><text x="${m.l - 6}" y="${sy(t) + 3}" text-anchor="end">${Number(t.toPrecision(4))}</text>`),
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(12 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
    ...series.map((s) => `<path d="${path(s.raw)}" fill="none" stroke="${s.color}" stroke-opacity="0.25" stroke-width="1"/>`),
    ...series.map((s) => `<path d="${path(s.smoothed)}" fill="none" stroke="${s.color}" stroke-width="1.5"><title>${esc(s.label)}</title></path>`),
    ...series.map((s, i) => `<g transform="translate(${m.l + 8} ${m.t + 6 + i * 13})"><line x1="0" y1="0" x2="14" y2="0" stroke="${s.color}" stroke-width="2"/><text x="18" y="3">${esc(s.label)}</text></g>`),
    '</svg>',
  ];
  return parts.join('\n');
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
