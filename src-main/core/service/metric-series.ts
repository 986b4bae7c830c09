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
  const one = db.prepare(
    'SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step',
  );
  const out: Record<number, Record<string, MetricPointDto[]>> = {};
  const names = metricNames(db, runIds);
  for (const runId of runIds) {
    const series: Record<string, MetricPointDto[]> = {};
    for (const name of names[runId].filter((n) => !opts.names || opts.names.includes(n))) {
      // longer than maxPoints: cut (a shorter one is sent whole)
      const cut = opts.maxPoints ? cutSeries(db, runId, name, opts.maxPoints, opts.smoothing) : null;
      if (cut) {
        series[name] = cut;
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
 * A series longer than maxPoints, cut without reading it whole as rows: its values alone (a tenth of the time
 * of 100k row objects) give the smoothing and the kept indices, then only the kept rows are read.
 * Null when it is short enough to send whole.
 */
function cutSeries(
  db: Db,
  runId: number,
  name: string,
  maxPoints: number,
  smoothing?: SmoothingSpec,
): MetricPointDto[] | null {
  const where = 'FROM metrics WHERE run_id = ? AND name = ? ORDER BY step';
  const values = db.prepare(`SELECT value ${where}`).pluck().all(runId, name) as number[];
  if (values.length <= maxPoints) return null;
  const smoothed = smoothing && smoothing.kind !== 'none' ? smoothValues(values, smoothing) : null;
  const kept = minMaxIndices(values, maxPoints);
  const steps = db.prepare(`SELECT step ${where}`).pluck().all(runId, name) as number[];
  const rows = db
    .prepare(
      'SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name = ? ' +
        'AND step IN (SELECT value FROM json_each(?)) ORDER BY step',
    )
    .all(runId, name, JSON.stringify(kept.map((i) => steps[i]))) as MetricPointDto[];
  // steps are unique in a series and both lists ascend, so rows[k] is values[kept[k]]
  return smoothed ? rows.map((p, k) => ({ ...p, smoothed: smoothed[kept[k]] })) : rows;
}
