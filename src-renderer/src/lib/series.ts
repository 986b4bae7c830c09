/**
 * Pure functions behind the charts: smoothing (TensorBoard's debiased EMA,
 * moving average) applied to the full-resolution series *before*
 * downsampling, the cut to about two points per pixel (min/max per bucket, so
 * spikes survive: the service's own cut, done here only for a series fetched
 * whole), x-axis choices, and the CSV / SVG exports of what is plotted. No DOM here, so
 * every function is unit-tested (test/ui-series.test.ts).
 */
export interface Point {
  x: number;
  y: number;
}

export type XAxis = 'step' | 'epoch' | 'wall' | 'relative';
// the store's reply shape (relative: vitest has no @common alias)
import type { MetricSeriesDto } from '../../../src-main/common/contract.ts';
// One implementation of the smoothing math for the service and the charts (relative: vitest has no @common alias).
export { emaDebiased, movingAverage, type SmoothingSpec as Smoothing } from '../../../src-main/common/series-math.ts';
import { minMaxIndices, smoothValues, type SmoothingSpec as Smoothing } from '../../../src-main/common/series-math.ts';

/** Smoothed copy of a series (same x): the service's smoothing (common/series-math.ts), point for point. */
export function smooth(points: readonly Point[], s: Smoothing): Point[] {
  if (s.kind === 'none') return points.slice();
  const ys = smoothValues(
    points.map((p) => p.y),
    s,
  );
  return points.map((p, i) => ({ x: p.x, y: ys[i] }));
}

/**
 * Points a chart of `pixels` columns draws of one series: the min/max cut keeps up to 4 points per bucket, so
 * this many give a bucket about every 2 px. Rounded up to a multiple of 512 so a small resize asks nothing new.
 */
export function pointsForWidth(pixels: number): number {
  return Math.max(512, Math.ceil((2 * Math.max(1, pixels)) / 512) * 512);
}

/**
 * A series cut to at most `maxPoints`, keeping each stretch's first, lowest, highest and last point (a
 * one-sample spike survives): the service's cut (common/series-math.ts minMaxIndices), applied here only to
 * a series fetched whole (short enough to smooth in the renderer while the slider moves).
 */
export function decimate(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints) return points.slice();
  return minMaxIndices(
    points.map((p) => p.y),
    maxPoints,
  ).map((i) => points[i]);
}

/** The columns of a series the chart's x axis needs besides steps and values (metrics.series `fields`). */
export function fieldsFor(axis: XAxis): Array<'epoch' | 'wall_time'> {
  return axis === 'epoch' ? ['epoch'] : axis === 'step' ? [] : ['wall_time'];
}

/** Relative time starts when the run started, else at its first point. */
export function timeOrigin(run: { startedAt: string | null }, c: { wallTimes?: number[] } | undefined): number {
  return run.startedAt ? Date.parse(run.startedAt) / 1000 : (c?.wallTimes?.[0] ?? 0);
}

/**
 * A series as the store sends it (columns: steps, values, smoothed, and the epochs or wall times the axis needs)
 * as points on the chosen x axis, each with its step and smoothed value.
 */
export function columnPoints(
  c: MetricSeriesDto | undefined,
  axis: XAxis,
  t0: number,
): Array<Point & { step: number; smoothed?: number }> {
  if (!c) return [];
  const xs = axis === 'step' ? c.steps : axis === 'epoch' ? c.epochs : c.wallTimes;
  const shift = axis === 'relative' ? t0 : 0;
  return c.steps.map((step, i) => ({
    step,
    x: xs ? xs[i] - shift : NaN,
    y: c.values[i],
    smoothed: c.smoothed?.[i],
  }));
}

/** x of a metric point for the chosen axis; wall time in unix seconds, relative time in seconds since `t0`. */
export function xOf(p: { step: number; epoch: number; wall_time: number }, axis: XAxis, t0: number): number {
  return axis === 'step' ? p.step : axis === 'epoch' ? p.epoch : axis === 'wall' ? p.wall_time : p.wall_time - t0;
}

export function xAxisLabel(axis: XAxis): string {
  return axis === 'wall' ? 'wall time' : axis === 'relative' ? 'time since start' : axis;
}

/** 75 → "1m15s", 7300 → "2h01m": compact labels for relative-time ticks. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (Math.abs(s) < 60) return `${s}s`;
  if (Math.abs(s) < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Tick label of an x value: clock time for wall time (UTC, so exports are reproducible), durations for relative
 * time.
 */
export function formatX(axis: XAxis, v: number): string {
  if (axis === 'wall') return new Date(v * 1000).toISOString().slice(11, 19);
  if (axis === 'relative') return formatDuration(v);
  return String(Number(v.toPrecision(6)));
}

export interface PlottedSeries {
  label: string;
  runId: number;
  metric: string;
  color: string;
  /** what is drawn (decimated): raw data faint, smoothed line solid */
  raw: Point[];
  smoothed: Point[];
  /** the full-resolution data behind it (same length, same x), for the CSV; defaults to raw/smoothed */
  full?: { raw: readonly Point[]; smoothed: readonly Point[] };
  /** what made `smoothed`; `none`: the line is the data itself (no faint copy behind it). Absent: smoothed. */
  smoothing?: Smoothing;
}

/** Training metrics measured per logging window (noisy); validation metrics and the schedule are not. */
export function isNoisyMetric(metric: string): boolean {
  return metric.startsWith('train/') && metric !== 'train/lr';
}

/** A smoothing and why it was picked, in words for the chart's footer. */
export interface AutoSmoothing {
  spec: Smoothing;
  reason: string;
}

/**
 * The smoothing a chart uses unless the user picks one. A validation metric (one
 * point per validation) or the learning-rate schedule is drawn as recorded: an EMA
 * over a handful of points drags each towards its predecessors and can reverse
 * which run looks better at the end. A noisy training metric gets a debiased EMA
 * whose time constant, 1/(1-weight) points, is about 2% of the series: none below
 * 100 points, 0.5 at 100, 0.95 at 1,000, at most 0.99.
 */
export function autoSmoothing(metric: string, points: number): AutoSmoothing {
  if (!isNoisyMetric(metric))
    return {
      spec: { kind: 'none' },
      reason: `${metric} is drawn as recorded (one point per ${metric.startsWith('valid/') ? 'validation' : 'record'})`,
    };
  const tau = points / 50;
  if (tau < 2)
    return { spec: { kind: 'none' }, reason: `${points.toLocaleString('en')} points per run are too few to smooth` };
  const weight = Math.min(0.99, Math.round((1 - 1 / tau) * 100) / 100);
  return { spec: { kind: 'ema', weight }, reason: `EMA ${weight} for ${points.toLocaleString('en')} points per run` };
}

/** "EMA 0.950", "moving average of 5", "none": a smoothing as a chart states it. */
export function smoothingLabel(s: Smoothing): string {
  return s.kind === 'ema'
    ? `EMA ${s.weight.toFixed(3)}`
    : s.kind === 'moving'
      ? `moving average of ${Math.max(1, Math.floor(s.window))}`
      : 'none';
}

/**
 * One series ready to plot: smoothed at full resolution FIRST (so the line
 * does not depend on the zoom or the cut), then both cut to about two points
 * per pixel (raw and smoothed each keeping their own extremes).
 */
export function prepareSeries(
  meta: Omit<PlottedSeries, 'raw' | 'smoothed' | 'full'>,
  raw: readonly Point[],
  s: Smoothing,
  pixels: number,
): PlottedSeries {
  const sorted = raw.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    ? raw
    : raw.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const smoothedFull = smooth(sorted, s);
  const max = pointsForWidth(pixels);
  return {
    ...meta,
    raw: decimate(sorted, max),
    smoothed: decimate(smoothedFull, max),
    full: { raw: sorted, smoothed: smoothedFull },
    smoothing: s,
  };
}

/**
 * A series the store already smoothed at full resolution and cut to the chart's width (metrics.series with
 * maxPoints = pointsForWidth and smoothing: each stretch keeps its first, lowest, highest and last point,
 * each with its `smoothed` value): drawn as it came, not cut a second time.
 */
export function prepareCutSeries(
  meta: Omit<PlottedSeries, 'raw' | 'smoothed' | 'full'>,
  points: ReadonlyArray<Point & { smoothed?: number }>,
  s: Smoothing,
): PlottedSeries {
  const ok = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const raw = ok.map((p) => ({ x: p.x, y: p.y }));
  const smoothed = s.kind === 'none' ? raw : ok.map((p) => ({ x: p.x, y: p.smoothed ?? p.y }));
  return { ...meta, raw, smoothed, full: { raw, smoothed }, smoothing: s };
}

/** Points a run is expected to hold of a metric: training and system metrics every logging_freq steps. */
export function expectedPoints(run: { step: number; config: { logging_freq: number } }, metric: string): number {
  return metric.startsWith('valid/') ? 0 : Math.floor(run.step / Math.max(1, run.config.logging_freq));
}

/** Whether a series' line is a smoothing of its data (then the data is drawn faint behind it). */
export const isSmoothed = (s: PlottedSeries): boolean => s.smoothing?.kind !== 'none';

/**
 * The plotted data as long-format CSV: one row per (series, x) with the raw and the smoothed value (empty: not
 * smoothed).
 */
export function seriesCsv(series: readonly PlottedSeries[], xLabel: string): string {
  const rows = [`run,label,metric,${csvCell(xLabel)},value,smoothed`];
  for (const s of series) {
    const { raw, smoothed } = s.full ?? s;
    const on = isSmoothed(s);
    raw.forEach((p, i) =>
      rows.push(
        `${s.runId},${csvCell(s.label)},${csvCell(s.metric)},${p.x},${p.y},${on ? (smoothed[i]?.y ?? '') : ''}`,
      ),
    );
  }
  return rows.join('\n') + '\n';
}

export function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** "Nice" axis ticks (1, 2, 5 × 10^k) covering [min, max]. */
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
 * Ticks of a log axis over [min, max] (both > 0), every one meant to be labelled:
 * powers of ten over more than two decades; 1, 2 and 5 times them over a shorter
 * range; 1 to 9 times them within about a decade; and over a range narrower than
 * that (a loss from 3.1 to 4.5) linear "nice" ticks, as the axis is then nearly linear.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const inRange = (mult: number[]) => {
    const out: number[] = [];
    for (let e = lo; e <= hi; e++) for (const m of mult) out.push(Number((m * 10 ** e).toPrecision(12)));
    return out.filter((t) => t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9));
  };
  if (Math.log10(max / min) > 2) {
    const t = inRange([1]);
    if (t.length >= 2) return t;
  }
  for (const mult of [
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const t = inRange(mult);
    if (t.length >= 3) return t;
  }
  const linear = niceTicks(min, max, 4).filter((t) => t > 0 && t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9));
  return linear.length >= 2 ? linear : [min, max];
}

/** A tick label: at most 4 significant digits, no float noise (0.30000000000000004 → 0.3). */
export const tickLabel = (v: number): string => String(Number(v.toPrecision(4)));

/** Paper figure sizes in inches: one column of a two-column paper, or the full text width. */
export const PAPER_SIZES = {
  column: { width: 3.5, height: 2.5, font: 8 },
  page: { width: 7, height: 3.5, font: 9 },
} as const;
export type PaperSize = keyof typeof PAPER_SIZES;

export interface SvgChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  size?: PaperSize;
  /** tick label of an x value (e.g. clock time) */
  formatX?: (x: number) => string;
}

/**
 * A vector chart for a paper, drawn here (no raster inside): axes, ticks,
 * one <path> per series for the raw data (faint) and one for the smoothed
 * line, and a legend. Sized in inches (width/height attributes) over a
 * viewBox in points (1/72 in), so fonts are true point sizes when printed.
 */
export function chartSvg(series: readonly PlottedSeries[], o: SvgChartOptions): string {
  const size = PAPER_SIZES[o.size ?? 'page'];
  const W = size.width * 72;
  const H = size.height * 72;
  const f = size.font;
  const m = { l: f * 5.5, r: 8, t: f * 2.2, b: f * 4 };
  const visible = (p: Point) => Number.isFinite(p.y) && Number.isFinite(p.x) && (!o.logY || p.y > 0);
  const all = series.flatMap((s) => [...s.raw, ...s.smoothed]).filter(visible);
  let [x0, x1] = all.length ? [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))] : [0, 1];
  let [y0, y1] = all.length
    ? [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))]
    : [o.logY ? 1 : 0, o.logY ? 10 : 1];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = o.logY ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  if (!o.logY) {
    // widen the y range to whole tick steps so both ends are labelled
    const t = niceTicks(y0, y1, 5);
    const step = t.length > 1 ? t[1] - t[0] : 1;
    [y0, y1] = [Math.floor(y0 / step + 1e-9) * step, Math.ceil(y1 / step - 1e-9) * step];
  }
  const ty = (y: number) => (o.logY ? Math.log10(y) : y);
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((ty(y) - ty(y0)) / (ty(y1) - ty(y0))) * (H - m.t - m.b);
  const n = (v: number) => v.toFixed(2);
  const path = (pts: readonly Point[]) =>
    pts
      .filter(visible)
      .map((p, i) => `${i ? 'L' : 'M'}${n(sx(p.x))},${n(sy(p.y))}`)
      .join('');
  const fx = o.formatX ?? ((x: number) => String(Number(x.toPrecision(6))));
  const xt = niceTicks(x0, x1, Math.max(3, Math.round(size.width * 1.5)));
  const yt = o.logY ? logTicks(y0, y1) : niceTicks(y0, y1, 5);
  const plotted = series.filter((s) => s.raw.some(visible) || s.smoothed.some(visible));
  const legendWidth = Math.max(0, ...plotted.map((s) => s.label.length)) * f * 0.55 + 22;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}in" height="${size.height}in" ` +
      `viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, 'Noto Sans', sans-serif" font-size="${f}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${n(W / 2)}" y="${n(f * 1.3)}" text-anchor="middle" font-size="${f + 1}">${esc(o.title)}</text>`,
    ...yt.map(
      (t) =>
        `<line x1="${n(m.l)}" y1="${n(sy(t))}" x2="${n(W - m.r)}" y2="${n(sy(t))}" ` +
        `stroke="#e5e5e5" stroke-width="0.5"/>`,
    ),
    `<line x1="${n(m.l)}" y1="${n(H - m.b)}" x2="${n(W - m.r)}" y2="${n(H - m.b)}" stroke="black" stroke-width="0.6"/>`,
    `<line x1="${n(m.l)}" y1="${n(m.t)}" x2="${n(m.l)}" y2="${n(H - m.b)}" stroke="black" stroke-width="0.6"/>`,
    ...xt.map(
      (t) =>
        `<line x1="${n(sx(t))}" y1="${n(H - m.b)}" x2="${n(sx(t))}" y2="${n(H - m.b + 3)}" ` +
        `stroke="black" stroke-width="0.6"/>` +
        `<text x="${n(sx(t))}" y="${n(H - m.b + f + 3)}" text-anchor="middle">${esc(fx(t))}</text>`,
    ),
    ...yt.map(
      (t) =>
        `<line x1="${n(m.l - 3)}" y1="${n(sy(t))}" x2="${n(m.l)}" y2="${n(sy(t))}" ` +
        `stroke="black" stroke-width="0.6"/>` +
        `<text x="${n(m.l - 5)}" y="${n(sy(t) + f / 3)}" text-anchor="end">${tickLabel(t)}</text>`,
    ),
    `<text x="${n((m.l + W - m.r) / 2)}" y="${n(H - f * 0.6)}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(${n(f * 1.1)} ${n((m.t + H - m.b) / 2)}) rotate(-90)" text-anchor="middle">` +
      `${esc(o.yLabel)}</text>`,
    // the faint data behind a smoothed line; an unsmoothed line is the data itself, drawn once
    ...plotted
      .filter(isSmoothed)
      .map(
        (s) => `<path d="${path(s.raw)}" fill="none" stroke="${s.color}" stroke-opacity="0.25" stroke-width="0.6"/>`,
      ),
    ...plotted.map(
      (s) =>
        `<path d="${path(s.smoothed)}" fill="none" stroke="${s.color}" stroke-width="1.2" stroke-linejoin="round">` +
        `<title>${esc(s.label)}</title></path>`,
    ),
    `<g transform="translate(${n(W - m.r - legendWidth - 4)} ${n(m.t + 4)})">`,
    `<rect width="${n(legendWidth)}" height="${n(plotted.length * (f + 3) + 4)}" ` +
      `fill="white" fill-opacity="0.85" stroke="#ccc" stroke-width="0.5"/>`,
    ...plotted.map(
      (s, i) =>
        `<line x1="4" y1="${n(4 + i * (f + 3) + f / 2)}" x2="16" y2="${n(4 + i * (f + 3) + f / 2)}" ` +
        `stroke="${s.color}" stroke-width="1.5"/>` +
        `<text x="20" y="${n(4 + i * (f + 3) + f * 0.85)}">${esc(s.label)}</text>`,
    ),
    '</g>',
    '</svg>',
  ];
  return parts.join('\n');
}

function esc(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

/** Tableau 10: distinguishable in print and for most colour-blind readers. */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];
