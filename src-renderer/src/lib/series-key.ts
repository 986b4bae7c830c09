/**
 * The series Compare holds, keyed by what shaped them, and a smoothing change served from a series held under
 * another smoothing (no DOM here: test/ui-series-cut.test.ts).
 */
import type { MetricSeriesDto } from '../../../src-main/common/contract.ts';
import type { Smoothing } from './series.ts';

/**
 * Where Compare keeps a metric's series: a series the store cut to the chart's width per cut (points, x axis's
 * fields) and smoothing, the smoothing last (sameCut finds the cut under another smoothing); a whole series per x
 * axis's fields (smoothed in the renderer).
 */
export function seriesKey(metric: string, fields: readonly string[], cut: { points: number; spec: Smoothing } | null) {
  return cut ? `${metric}|${fields}|${cut.points}|${JSON.stringify(cut.spec)}` : `${metric}|${fields}`;
}

/**
 * A run's series held under the same cut with another smoothing (the store keeps the same points whatever the
 * smoothing: they are chosen on the values), so a smoothing change needs only the smoothed column.
 */
export function sameCut(
  series: Record<string, Record<number, MetricSeriesDto>>,
  key: string,
  runId: number,
): MetricSeriesDto | undefined {
  const cut = key.slice(0, key.lastIndexOf('|') + 1);
  for (const [k, byRun] of Object.entries(series)) if (k.startsWith(cut) && byRun[runId]) return byRun[runId];
  return undefined;
}

/** a held series with another smoothed column (undefined: not smoothed), its steps, values and x columns kept */
export function withSmoothed(held: MetricSeriesDto, smoothed: number[] | undefined): MetricSeriesDto {
  const out = { ...held };
  delete out.smoothed;
  if (smoothed) out.smoothed = smoothed;
  return out;
}
