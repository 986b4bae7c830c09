import type { MetricPointDto } from '../../common/contract.ts';
import { minMaxIndices, smoothValues, type SmoothingSpec } from '../../common/series-math.ts';
import type { Db } from '../store/db.ts';
import { seriesColumns } from './series-columns.ts';

/**
 * Metric series as a chart asks for them: only the named metrics (range scans
 * on the (run, name, step) key), smoothed at full resolution, then cut down
 * to `maxPoints` per series keeping each stretch's extremes (the one decimation:
 * common/series-math.ts minMaxIndices), optionally only the steps of a zoomed range.
 */
export function metricNames(db: Db, runIds: readonly number[]): Record<number, string[]> {
  // a skip scan of the (run_id, name, step) key, one seek per name: DISTINCT would read every row of the run
  const next = db.prepare('SELECT name FROM metrics WHERE run_id = ? AND name > ? ORDER BY name LIMIT 1').pluck();
  return Object.fromEntries(
    runIds.map((id) => {
      const names: string[] = [];
      for (let n = next.get(id, '') as string | undefined; n !== undefined; n = next.get(id, n) as string | undefined)
        names.push(n);
      return [id, names];
    }),
  );
}

/** Steps from..to (inclusive) of a zoomed chart: its points there and the one either side, so lines reach the edges */
export interface StepRange {
  from: number;
  to: number;
}

export function metricSeries(
  db: Db,
  runIds: readonly number[],
  opts: { names?: readonly string[]; maxPoints?: number; smoothing?: SmoothingSpec; range?: StepRange },
): Record<number, Record<string, MetricPointDto[]>> {
  const one = db.prepare(
    'SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step',
  );
  const out: Record<number, Record<string, MetricPointDto[]>> = {};
  const names = metricNames(db, runIds);
  for (const runId of runIds) {
    const series: Record<string, MetricPointDto[]> = {};
    for (const name of names[runId].filter((n) => !opts.names || opts.names.includes(n))) {
      if (opts.maxPoints || opts.range) {
        series[name] = cutSeries(db, runId, name, opts.maxPoints ?? Infinity, opts.smoothing, opts.range);
        continue;
      }
      let points = one.all(runId, name) as MetricPointDto[];
      if (opts.smoothing && opts.smoothing.kind !== 'none') {
        const smoothed = smoothValues(
          points.map((p) => p.value),
          opts.smoothing,
        );
        points = points.map((p, i) => ({ ...p, smoothed: smoothed[i] }));
      }
      series[name] = points;
    }
    out[runId] = series;
  }
  return out;
}

/**
 * A series cut to at most maxPoints (of a zoomed range: only its steps), from its cached columns
 * (series-columns.ts): smoothed over the whole series first, so a zoom or a cut never changes the line,
 * then only the kept rows are read for their epoch and wall time.
 */
function cutSeries(
  db: Db,
  runId: number,
  name: string,
  maxPoints: number,
  smoothing?: SmoothingSpec,
  range?: StepRange,
): MetricPointDto[] {
  const { steps, values } = seriesColumns(db, runId, name);
  const smoothed = smoothing && smoothing.kind !== 'none' ? smoothValues(values, smoothing) : null;
  // [lo, end): the range's points and one either side
  const lo = range ? Math.max(0, lowerBound(steps, range.from) - 1) : 0;
  const end = range ? Math.min(values.length, upperBound(steps, range.to) + 2) : values.length;
  const kept = minMaxIndices(values.subarray(lo, end), maxPoints).map((i) => i + lo);
  const rows = db
    .prepare(
      'SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name = ? ' +
        'AND step IN (SELECT value FROM json_each(?)) ORDER BY step',
    )
    .all(runId, name, JSON.stringify(kept.map((i) => steps[i]))) as MetricPointDto[];
  // steps are unique in a series and both lists ascend, so rows[k] is values[kept[k]]
  return smoothed ? rows.map((p, k) => ({ ...p, smoothed: smoothed[kept[k]] })) : rows;
}

/** First index whose step is >= step (steps ascend). */
function lowerBound(steps: Float64Array, step: number): number {
  let [lo, hi] = [0, steps.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Last index whose step is <= step (steps ascend); -1 when none. */
function upperBound(steps: Float64Array, step: number): number {
  let [lo, hi] = [0, steps.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
