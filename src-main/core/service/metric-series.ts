import type { MetricPointDto } from '../../common/contract.ts';
import { minMaxIndices, smoothValues, type SmoothingSpec } from '../../common/series-math.ts';
import type { Db } from '../store/db.ts';

/**
 * Metric series as a chart asks for them: only the named metrics (range scans
 * on the (run, name, step) key), smoothed at full resolution, then cut down
 * to `maxPoints` per series keeping each stretch's extremes.
 */
export function metricNames(db: Db, runIds: readonly number[]): Record<number, string[]> {
  const q = db.prepare('SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name').pluck();
  return Object.fromEntries(runIds.map((id) => [id, q.all(id) as string[]]));
}

export function metricSeries(
  db: Db,
  runIds: readonly number[],
  opts: { names?: readonly string[]; maxPoints?: number; smoothing?: SmoothingSpec },
): Record<number, Record<string, MetricPointDto[]>> {
  const one = db.prepare('SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step');
  const out: Record<number, Record<string, MetricPointDto[]>> = {};
  const names = metricNames(db, runIds);
  for (const runId of runIds) {
    const series: Record<string, MetricPointDto[]> = {};
    for (const name of names[runId].filter((n) => !opts.names || opts.names.includes(n))) {
      let points = one.all(runId, name) as MetricPointDto[];
      if (opts.smoothing && opts.smoothing.kind !== 'none') {
        const smoothed = smoothValues(points.map((p) => p.value), opts.smoothing);
        points = points.map((p, i) => ({ ...p, smoothed: smoothed[i] }));
      }
      if (opts.maxPoints) {
        const values = points.map((p) => p.value);
        points = minMaxIndices(values, opts.maxPoints).map((i) => points[i]);
      }
      series[name] = points;
    }
    out[runId] = series;
  }
  return out;
}
