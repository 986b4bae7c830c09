import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emaDebiased } from '../src-main/common/series-math.ts';
import { getDatasetByName } from '../src-main/core/data/builtin.ts';
import { createRunFromRequest } from '../src-main/core/runs/launch.ts';
import type { MetricSeriesDto } from '../src-main/common/contract.ts';
import { metricNames, metricSeries } from '../src-main/core/service/metric-series.ts';
import { toSummary } from '../src-main/core/service/run-dto.ts';
import { seriesColumns } from '../src-main/core/service/series-columns.ts';
import { openDb } from '../src-main/core/store/db.ts';
import { recordMetrics, truncateRunAfter } from '../src-main/core/store/run-metrics.ts';
import { finishRun, getRun } from '../src-main/core/store/runs.ts';

/**
 * The chart's series from the service's column cache (issue 14: fluid at 27 runs x 100k points): a zoomed
 * range at full resolution, smoothed as the whole series; a cached series follows what the store holds.
 */
async function storeWithLoss(n: number, f: (i: number) => number) {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'wb-series-cache-')), 'x.db'));
  await getDatasetByName(db, 'builtin:tutorial');
  const run = createRunFromRequest(db, { preset: 'tutorial', config: { dataset: 'builtin:tutorial' } });
  const points = Array.from({ length: n }, (_, i) => ({
    name: 'train/loss',
    step: 10 * (i + 1),
    epoch: i / 100,
    wall_time: 1e9 + i,
    value: f(i),
  }));
  recordMetrics(db, run.id, [...points, { name: 'valid/bleu', step: 100, epoch: 1, value: 2 }]);
  return { db, runId: run.id };
}

/** the columns as one object a point (what these cases assert on) */
const points = (c: MetricSeriesDto) =>
  c.steps.map((step, i) => ({
    step,
    value: c.values[i],
    smoothed: c.smoothed?.[i],
    epoch: c.epochs?.[i],
    wall_time: c.wallTimes?.[i],
  }));

describe('metric series for charts', () => {
  it('a zoomed range comes at full resolution with the point either side, smoothed as the whole series', async () => {
    const values = (i: number) => Math.sin(i / 3) + i / 100;
    const { db, runId } = await storeWithLoss(5000, values);
    const smoothing = { kind: 'ema' as const, weight: 0.9 };
    const zoomed = metricSeries(db, [runId], {
      names: ['train/loss'],
      maxPoints: 400,
      smoothing,
      range: { from: 20_005, to: 21_000 },
      fields: ['epoch', 'wall_time'],
    })[runId]['train/loss'];
    // steps 20,010 … 21,000 are inside (100 points, under maxPoints: all of them), 20,000 and 21,010 the neighbours
    expect(zoomed.steps).toEqual(Array.from({ length: 102 }, (_, k) => 20_000 + 10 * k));
    const full = emaDebiased(
      Array.from({ length: 5000 }, (_, i) => values(i)),
      0.9,
    );
    for (const p of points(zoomed)) {
      expect(p.value).toBeCloseTo(values(p.step / 10 - 1), 12);
      expect(p.smoothed).toBeCloseTo(full[p.step / 10 - 1], 12);
    }
    expect(points(zoomed)[0]).toMatchObject({ epoch: 19.99, wall_time: 1e9 + 1999 });
    db.close();
  });

  it('a range wider than maxPoints is cut like the whole series', async () => {
    const { db, runId } = await storeWithLoss(5000, (i) => (i === 3210 ? 99 : 1));
    const zoomed = metricSeries(db, [runId], {
      names: ['train/loss'],
      maxPoints: 200,
      range: { from: 10_000, to: 40_000 },
    });
    const pts = points(zoomed[runId]['train/loss']);
    expect(pts.length).toBeLessThanOrEqual(200);
    expect(pts[0].step).toBe(9_990);
    expect(pts.at(-1)?.step).toBe(40_010);
    expect(pts.find((p) => p.value === 99)?.step).toBe(32_110);
    db.close();
  });

  it('a smoothing change can ask for the smoothed column alone: it lines up with the series held', async () => {
    const { db, runId } = await storeWithLoss(5000, (i) => Math.cos(i / 7) + (i === 2345 ? 50 : 0));
    const ask = (smoothing: { kind: 'ema'; weight: number }, smoothedOnly?: boolean) =>
      metricSeries(db, [runId], {
        names: ['train/loss'],
        maxPoints: 300,
        range: { from: 5_000, to: 45_000 },
        fields: ['epoch'],
        smoothing,
        smoothedOnly,
      })[runId]['train/loss'];
    const held = ask({ kind: 'ema', weight: 0.5 });
    const whole = ask({ kind: 'ema', weight: 0.95 });
    const only = ask({ kind: 'ema', weight: 0.95 }, true);
    expect(only).toEqual({ steps: [], values: [], smoothed: whole.smoothed });
    // the same points under either smoothing: the held steps and values take the new column as they are
    expect(whole.steps).toEqual(held.steps);
    expect(whole.smoothed).not.toEqual(held.smoothed);
    db.close();
  });

  it('a cached series follows the store: an appended point, and a resumed run that re-recorded its tail', async () => {
    const { db, runId } = await storeWithLoss(1000, () => 1);
    const cut = () => points(metricSeries(db, [runId], { names: ['train/loss'], maxPoints: 100 })[runId]['train/loss']);
    expect(cut().at(-1)).toMatchObject({ step: 10_000, value: 1 });
    recordMetrics(db, runId, [{ name: 'train/loss', step: 10_010, epoch: 10, value: 7 }]);
    expect(cut().at(-1)).toMatchObject({ step: 10_010, value: 7 });
    // resumed from step 5,000: the same steps recorded again with other values, so the series ends where it did
    truncateRunAfter(db, runId, 5_000);
    db.prepare("UPDATE runs SET status = 'running', heartbeat_at = '2026-12-03T12:00:00Z' WHERE id = ?").run(runId);
    recordMetrics(
      db,
      runId,
      Array.from({ length: 501 }, (_, k) => ({ name: 'train/loss', step: 5_010 + 10 * k, epoch: 5, value: 3 })),
    );
    expect(cut().at(-1)).toMatchObject({ step: 10_010, value: 3 });
    db.close();
  });

  it("a run's listed speed is the mean of its tokens/s series, read from the columns as they change", async () => {
    const { db, runId } = await storeWithLoss(10, () => 1);
    expect(toSummary(db, getRun(db, runId)).tokensPerSecond).toBeNull();
    const speed = (step: number, value: number) => ({ name: 'train/tokens_per_s', step, epoch: 0, value });
    recordMetrics(db, runId, [speed(10, 100), speed(20, 200), speed(30, 600)]);
    finishRun(db, runId, 'completed');
    expect(toSummary(db, getRun(db, runId)).tokensPerSecond).toBeCloseTo(300, 9);
    recordMetrics(db, runId, [speed(20, 500)]); // an edit of a finished run's series
    expect(toSummary(db, getRun(db, runId)).tokensPerSecond).toBeCloseTo(400, 9);
    db.close();
  });

  it('an ended run without a stored copy is read once: the copy its first read writes keeps the cache valid', async () => {
    const { db, runId } = await storeWithLoss(300, (i) => i);
    finishRun(db, runId, 'completed');
    db.prepare('DELETE FROM metric_columns WHERE run_id = ?').run(runId); // as a run ended before migration 8
    const first = seriesColumns(db, runId, 'train/loss');
    expect(db.prepare('SELECT count FROM metric_columns WHERE run_id = ?').pluck().all(runId)).toContain(300);
    expect(seriesColumns(db, runId, 'train/loss')).toBe(first); // the cached arrays, not a second read
  });

  it('names each run recorded, in order', async () => {
    const { db, runId } = await storeWithLoss(10, () => 1);
    recordMetrics(db, runId, [{ name: 'system/memory_mb', step: 10, epoch: 0, value: 300 }]);
    expect(metricNames(db, [runId])).toEqual({ [runId]: ['system/memory_mb', 'train/loss', 'valid/bleu'] });
    db.close();
  });
});
