import { describe, expect, it } from 'vitest';
import { minMaxIndices } from '../src-main/common/series-math.ts';
import { sameCut, seriesKey, withSmoothed } from '../src-renderer/src/lib/series-key.ts';
import {
  columnPoints,
  expectedPoints,
  fieldsFor,
  pointsForWidth,
  prepareCutSeries,
  prepareSeries,
  smooth,
  timeOrigin,
} from '../src-renderer/src/lib/series.ts';

/** A long series the service smoothed and cut (metrics.series maxPoints): drawn like a full one, without the data. */
describe('series cut by the store', () => {
  const meta = { label: '1 a', runId: 1, metric: 'train/loss', color: '#000' };
  const full = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) + (i === 4321 ? 9 : 0) }));
  const smoothed = smooth(full, { kind: 'ema', weight: 0.9 });
  // what the service sends: a min/max cut of the raw data, each point with its full-resolution smoothed value
  const cut = full.filter((_, i) => i % 7 === 0 || i === 4321).map((p) => ({ ...p, smoothed: smoothed[p.x].y }));

  it('draws the smoothed values the store computed, and keeps the spike in the faint data', () => {
    const s = prepareCutSeries(meta, cut, { kind: 'ema', weight: 0.9 });
    for (const p of s.smoothed) expect(p.y).toBeCloseTo(smoothed[p.x].y, 12);
    expect(s.raw.some((p) => p.y > 7)).toBe(true);
    expect(s.full?.raw).toHaveLength(cut.length);
  });

  it('draws what the store cut to the chart width as it came: one cut, in the store (issue 13 A)', () => {
    // the store cut to pointsForWidth(600) = 1,536 points; the renderer used to cut them again (to 600 and 4 x 300)
    const sent = full.slice(0, pointsForWidth(600)).map((p) => ({ ...p, smoothed: smoothed[p.x].y }));
    const s = prepareCutSeries(meta, sent, { kind: 'ema', weight: 0.9 });
    expect(s.raw).toEqual(sent.map(({ x, y }) => ({ x, y })));
    expect(s.smoothed.map((p) => p.x)).toEqual(sent.map((p) => p.x));
    // a series fetched whole is cut by the same rule, to the same number of points
    const whole = prepareSeries(meta, full, { kind: 'none' }, 600);
    expect(whole.raw.length).toBeLessThanOrEqual(pointsForWidth(600));
    const y = full.map((p) => p.y);
    expect(whole.raw).toEqual(minMaxIndices(y, pointsForWidth(600)).map((i) => full[i]));
  });

  it('draws the data itself when not smoothed', () => {
    const s = prepareCutSeries(meta, cut, { kind: 'none' });
    expect(s.smoothing).toEqual({ kind: 'none' });
    expect(s.full?.smoothed).toEqual(s.full?.raw);
  });

  it('expects a point every logging_freq steps of training and system metrics, few of validation ones', () => {
    const run = { step: 100_000, config: { logging_freq: 10 } };
    expect(expectedPoints(run, 'train/loss')).toBe(10_000);
    expect(expectedPoints(run, 'system/memory_mb')).toBe(10_000);
    expect(expectedPoints(run, 'valid/bleu')).toBe(0);
  });
});

describe('a series as the store sends it (columns)', () => {
  const c = { steps: [10, 20], values: [3, 2], smoothed: [3, 2.5], epochs: [0.1, 0.2], wallTimes: [1000, 1010] };

  it('maps to points on each x axis, relative time from the run start (else its first point)', () => {
    expect(columnPoints(c, 'step', 0)).toEqual([
      { step: 10, x: 10, y: 3, smoothed: 3 },
      { step: 20, x: 20, y: 2, smoothed: 2.5 },
    ]);
    expect(columnPoints(c, 'epoch', 0).map((p) => p.x)).toEqual([0.1, 0.2]);
    expect(columnPoints(c, 'wall', 0).map((p) => p.x)).toEqual([1000, 1010]);
    expect(columnPoints(c, 'relative', timeOrigin({ startedAt: null }, c)).map((p) => p.x)).toEqual([0, 10]);
    expect(timeOrigin({ startedAt: '1970-01-01T00:16:30Z' }, c)).toBe(990);
    // an axis whose column was not fetched has no x: prepareCutSeries drops such points rather than misplace them
    expect(columnPoints({ steps: [1], values: [1] }, 'epoch', 0)[0].x).toBeNaN();
  });

  it('asks only for the columns the x axis needs', () => {
    expect([fieldsFor('step'), fieldsFor('epoch'), fieldsFor('wall'), fieldsFor('relative')]).toEqual([
      [],
      ['epoch'],
      ['wall_time'],
      ['wall_time'],
    ]);
  });
});

describe('a smoothing change of a cut series (Compare)', () => {
  const ema = (weight: number) => ({ cut: { points: 1536, spec: { kind: 'ema' as const, weight } } });
  const key = (weight: number, fields: string[] = []) => seriesKey('train/loss', fields, ema(weight).cut);
  const held = { steps: [10, 20], values: [3, 2], smoothed: [3, 2.5], epochs: [0.1, 0.2] };

  it('finds the same cut held under another smoothing, not another width, axis or metric', () => {
    const series = { [key(0.5)]: { 7: held } };
    expect(sameCut(series, key(0.95), 7)).toBe(held);
    expect(sameCut(series, key(0.95), 8)).toBeUndefined();
    expect(sameCut(series, key(0.95, ['epoch']), 7)).toBeUndefined();
    const wider = seriesKey('train/loss', [], { points: 2048, spec: { kind: 'ema', weight: 0.95 } });
    expect(sameCut(series, wider, 7)).toBeUndefined();
    expect(sameCut(series, seriesKey('train/lossy', [], ema(0.95).cut), 7)).toBeUndefined();
  });

  it('takes the new smoothed column into the points held, or drops it when not smoothed', () => {
    expect(withSmoothed(held, [3, 2.9])).toEqual({ ...held, smoothed: [3, 2.9] });
    expect(withSmoothed(held, undefined)).toEqual({ steps: [10, 20], values: [3, 2], epochs: [0.1, 0.2] });
    expect(held.smoothed).toEqual([3, 2.5]);
  });
});
