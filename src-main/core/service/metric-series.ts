import type { MetricSeriesDto } from '../../common/contract.ts';
import { minMaxIndices, smoothValues, type SmoothingSpec } from '../../common/series-math.ts';
import type { Db } from '../store/db.ts';
import { seriesColumns } from './series-columns.ts';

/**
 * Metric series as a chart asks for them: only the named metrics, as columns (MetricSeriesDto), smoothed at
 * full resolution, then cut down to `maxPoints` per series keeping each stretch's extremes (the one decimation:
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

export type SeriesField = 'epoch' | 'wall_time';

/** how a series is cut and what it carries (contract: metrics.series) */
interface SeriesOptions {
  maxPoints?: number;
  smoothing?: SmoothingSpec;
  range?: StepRange;
  fields?: readonly SeriesField[];
  /** with smoothing: the smoothed column alone */
  smoothedOnly?: boolean;
}

export function metricSeries(
  db: Db,
  runIds: readonly number[],
  opts: SeriesOptions & { names?: readonly string[] },
): Record<number, Record<string, MetricSeriesDto>> {
  const out: Record<number, Record<string, MetricSeriesDto>> = {};
  const names = metricNames(db, runIds);
  for (const runId of runIds) {
    const series: Record<string, MetricSeriesDto> = {};
    for (const name of names[runId].filter((n) => !opts.names || opts.names.includes(n)))
      series[name] = oneSeries(db, runId, name, opts);
    out[runId] = series;
  }
  return out;
}

/**
 * A series from its cached columns (series-columns.ts), smoothed over the whole series first, so a zoom or a cut
 * never changes the line, then cut to at most maxPoints (of a zoomed range: only its steps); epochs and wall
 * times are read only when asked for, and of a cut series only for the points kept.
 */
function oneSeries(db: Db, runId: number, name: string, opts: SeriesOptions): MetricSeriesDto {
  const { steps, values } = seriesColumns(db, runId, name);
  const smoothed = opts.smoothing && opts.smoothing.kind !== 'none' ? smoothValues(values, opts.smoothing) : null;
  const range = opts.range;
  // [lo, end): the range's points and one either side
  const lo = range ? Math.max(0, lowerBound(steps, range.from) - 1) : 0;
  const end = range ? Math.min(values.length, upperBound(steps, range.to) + 2) : values.length;
  const whole = lo === 0 && end === values.length && values.length <= (opts.maxPoints ?? Infinity);
  const kept = whole ? null : minMaxIndices(values.subarray(lo, end), opts.maxPoints ?? Infinity).map((i) => i + lo);
  const pick = (a: ArrayLike<number>): number[] => (kept ? kept.map((i) => a[i]) : Array.from(a));
  // the points kept depend on the values only: a smoothed column alone lines up with the caller's steps and values
  if (opts.smoothedOnly && smoothed) return { steps: [], values: [], smoothed: pick(smoothed) };
  const out: MetricSeriesDto = { steps: pick(steps), values: pick(values) };
  if (smoothed) out.smoothed = pick(smoothed);
  const fields = opts.fields ?? [];
  if (fields.length) {
    const rows = (
      kept
        ? db
            .prepare(
              'SELECT epoch, wall_time FROM metrics WHERE run_id = ? AND name = ? ' +
                'AND step IN (SELECT value FROM json_each(?)) ORDER BY step',
            )
            .raw()
            .all(runId, name, JSON.stringify(out.steps))
        : db
            .prepare('SELECT epoch, wall_time FROM metrics WHERE run_id = ? AND name = ? ORDER BY step')
            .raw()
            .all(runId, name)
    ) as Array<[number, number]>;
    // steps are unique in a series and both lists ascend, so rows[k] is the point out.steps[k]
    if (fields.includes('epoch')) out.epochs = rows.map((r) => r[0]);
    if (fields.includes('wall_time')) out.wallTimes = rows.map((r) => r[1]);
  }
  return out;
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
