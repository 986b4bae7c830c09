import { describe, expect, it } from 'vitest';
import {
  autoSmoothing,
  chartSvg,
  csvCell,
  emaDebiased,
  formatDuration,
  formatX,
  logTicks,
  decimate,
  pointsForWidth,
  movingAverage,
  niceTicks,
  prepareSeries,
  seriesCsv,
  smooth,
  smoothingLabel,
  xOf,
  type PlottedSeries,
} from '../src-renderer/src/lib/series.ts';

/** The compare chart's pure parts: smoothing, decimation, axes, CSV and SVG exports. */
describe('smoothing', () => {
  it('debiased EMA starts at the first value and follows a constant exactly (TensorBoard)', () => {
    expect(emaDebiased([5, 5, 5], 0.9)).toEqual([5, 5, 5].map((v) => expect.closeTo(v, 10)));
    const e = emaDebiased([0, 10], 0.5);
    expect(e[0]).toBe(0);
    // last = 0.5*(0.5*0) + 0.5*10 = 5; debiased by 1 - 0.5^2
    expect(e[1]).toBeCloseTo(5 / 0.75, 10);
    expect(emaDebiased([1, NaN, 3], 0)).toEqual([1, NaN, 3]);
  });

  it('moving average is trailing and averages what exists at the start', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
    expect(movingAverage([2, 4, 6], 10)).toEqual([2, 3, 4]);
  });
});

describe('default smoothing (issue 13 B1)', () => {
  const meta = (runId: number) => ({ label: `${runId}`, runId, metric: 'valid/bleu', color: '#000' });

  it('draws a validation metric as recorded: 2 BLEU points keep which run ends higher', () => {
    const a = [
      { x: 100, y: 10 },
      { x: 200, y: 20 },
    ];
    const b = [
      { x: 100, y: 30 },
      { x: 200, y: 18 },
    ];
    const { spec } = autoSmoothing('valid/bleu', 2);
    expect(spec).toEqual({ kind: 'none' });
    const [pa, pb] = [prepareSeries(meta(1), a, spec, 800), prepareSeries(meta(2), b, spec, 800)];
    expect(pa.smoothed.at(-1)?.y).toBe(20);
    expect(pb.smoothed.at(-1)?.y).toBe(18);
    // what the old default (EMA 0.6) showed: run 2 ahead at the end
    const ema = { kind: 'ema', weight: 0.6 } as const;
    expect(smooth(b, ema)[1].y).toBeGreaterThan(smooth(a, ema)[1].y);
  });

  it('smooths a noisy training metric in proportion to its length, never a schedule', () => {
    expect(autoSmoothing('train/loss', 12).spec).toEqual({ kind: 'none' });
    expect(autoSmoothing('train/loss', 12).reason).toMatch(/too few/);
    expect(autoSmoothing('train/loss', 100).spec).toEqual({ kind: 'ema', weight: 0.5 });
    expect(autoSmoothing('train/loss', 1000).spec).toEqual({ kind: 'ema', weight: 0.95 });
    expect(autoSmoothing('train/grad_norm', 1_000_000).spec).toEqual({ kind: 'ema', weight: 0.99 });
    expect(autoSmoothing('train/lr', 100_000).spec).toEqual({ kind: 'none' });
    expect(autoSmoothing('valid/loss', 100_000).spec).toEqual({ kind: 'none' });
    expect(smoothingLabel({ kind: 'ema', weight: 0.95 })).toBe('EMA 0.950');
    expect(smoothingLabel({ kind: 'none' })).toBe('none');
  });

  it('an unsmoothed series is drawn once (no faint copy) and its CSV has no smoothed value', () => {
    const p = prepareSeries(
      meta(3),
      [
        { x: 1, y: 5 },
        { x: 2, y: 6 },
      ],
      { kind: 'none' },
      400,
    );
    const svg = chartSvg([p], { title: 't', xLabel: 'step', yLabel: 'BLEU' });
    expect(svg.match(/<path d="M/g)).toHaveLength(1);
    expect(seriesCsv([p], 'step')).toBe(
      'run,label,metric,step,value,smoothed\n3,3,valid/bleu,1,5,\n3,3,valid/bleu,2,6,\n',
    );
  });
});

describe('decimation', () => {
  const noisy = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: Math.sin(i / 1000) + (i % 7) / 10 }));

  it('about two points per pixel, rounded so a small resize asks for nothing new', () => {
    expect(pointsForWidth(1000)).toBe(2048);
    expect(pointsForWidth(1010)).toBe(2048);
    expect(pointsForWidth(0)).toBe(512);
  });

  it('min/max buckets keep a one-sample spike that plain striding would drop', () => {
    const flat = Array.from({ length: 50_000 }, (_, i) => ({ x: i, y: i === 31_337 ? 100 : 1 }));
    const d = decimate(flat, 2000);
    expect(d.length).toBeLessThanOrEqual(2000);
    expect(d.some((p) => p.y === 100 && p.x === 31_337)).toBe(true);
    expect(d.every((p, i) => i === 0 || p.x > d[i - 1].x)).toBe(true);
    expect(d[0]).toEqual(flat[0]);
    expect(d.at(-1)).toEqual(flat.at(-1));
    // small series pass through untouched
    expect(decimate(flat.slice(0, 10), 500)).toEqual(flat.slice(0, 10));
  });

  it('smooths at full resolution before decimating (the line does not depend on the pixel count)', () => {
    const s = prepareSeries(
      { label: 'r', runId: 1, metric: 'train/loss', color: '#000' },
      noisy,
      { kind: 'ema', weight: 0.99 },
      400,
    );
    const full = smooth(noisy, { kind: 'ema', weight: 0.99 });
    expect(s.full?.smoothed).toEqual(full);
    // every drawn smoothed point is a point of the full-resolution smoothed series
    const byX = new Map(full.map((p) => [p.x, p.y]));
    expect(s.smoothed.every((p) => byX.get(p.x) === p.y)).toBe(true);
    expect(s.smoothed.length).toBeLessThanOrEqual(pointsForWidth(400));
    expect(s.smoothed.length).toBeGreaterThan(400);
    // smoothing the decimated points instead would give a different line
    const after = smooth(decimate(noisy, pointsForWidth(400)), { kind: 'ema', weight: 0.99 });
    expect(after.some((p, i) => Math.abs(p.y - s.smoothed[i].y) > 1e-3)).toBe(true);
  });

  it('20 runs × 100k points prepare fast enough to stay interactive', () => {
    const t = performance.now();
    for (let r = 0; r < 20; r++)
      prepareSeries({ label: `${r}`, runId: r, metric: 'm', color: '#000' }, noisy, { kind: 'ema', weight: 0.6 }, 1200);
    expect(performance.now() - t).toBeLessThan(5000);
  });
});

describe('axes', () => {
  it('x of a metric point per axis kind', () => {
    const p = { step: 10, epoch: 0.5, wall_time: 1_700_000_100 };
    expect([xOf(p, 'step', 0), xOf(p, 'epoch', 0), xOf(p, 'wall', 0), xOf(p, 'relative', 1_700_000_000)]).toEqual([
      10, 0.5, 1_700_000_100, 100,
    ]);
    expect(formatX('wall', 1_700_000_100)).toBe('22:15:00');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(7300)).toBe('2h01m');
  });

  it('nice linear ticks and log ticks', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(logTicks(0.01, 50)).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(1.5, 30)).toEqual([2, 5, 10, 20]);
  });

  it('a log axis over a short range still gets at least three labelled ticks (issue 13 B1)', () => {
    // a validation loss from 3.1 to 4.5: no power of ten, no 2 or 5 inside
    expect(logTicks(3.1, 4.5)).toEqual([3.5, 4, 4.5]);
    expect(logTicks(0.22, 0.95)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(logTicks(2.01, 2.04).length).toBeGreaterThanOrEqual(2);
  });
});

describe('exports', () => {
  const s: PlottedSeries[] = [
    {
      label: 'run 1',
      runId: 1,
      metric: 'valid/bleu',
      color: '#1f77b4',
      raw: [
        { x: 1, y: 2 },
        { x: 2, y: 4 },
      ],
      smoothed: [
        { x: 1, y: 2 },
        { x: 2, y: 3 },
      ],
    },
    {
      label: 'run "2", lstm',
      runId: 2,
      metric: 'valid/bleu',
      color: '#d62728',
      raw: [{ x: 1, y: 1 }],
      smoothed: [{ x: 1, y: 1 }],
    },
  ];

  it('CSV: one row per point with raw and smoothed values, quoted labels', () => {
    expect(seriesCsv(s, 'step')).toBe(
      'run,label,metric,step,value,smoothed\n' +
        '1,run 1,valid/bleu,1,2,2\n' +
        '1,run 1,valid/bleu,2,4,3\n' +
        '2,"run ""2"", lstm",valid/bleu,1,1,1\n',
    );
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });

  it('CSV of prepared series is the full-resolution data, not the decimated drawing', () => {
    const pts = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: i % 13 }));
    const p = prepareSeries({ label: 'r', runId: 7, metric: 'm', color: '#000' }, pts, { kind: 'none' }, 100);
    expect(p.raw.length).toBeLessThan(5000);
    expect(seriesCsv([p], 'step').trim().split('\n')).toHaveLength(5001);
  });

  it('SVG: paper-sized, one real path per raw and smoothed series, escaped labels', () => {
    const svg = chartSvg(s, { title: 'BLEU <valid>', xLabel: 'step', yLabel: 'BLEU', size: 'column' });
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="3\.5in" height="2\.5in" viewBox="0 0 252 180"/,
    );
    expect(svg.match(/<path d="M[\d.]+,[\d.]+/g)).toHaveLength(4);
    expect(svg).not.toMatch(/<image|data:image/);
    expect(svg).toContain('BLEU &lt;valid&gt;');
    expect(svg).toContain('run &quot;2&quot;, lstm');
    // the smoothed path of run 1 goes from the left edge to the right edge of the plot
    const d = /<path d="(M[^"]+)" fill="none" stroke="#1f77b4" stroke-width/.exec(svg)?.[1] ?? '';
    expect(d.split('L')).toHaveLength(2);
  });

  it('SVG with a log y axis drops non-positive values and labels powers of ten', () => {
    const log: PlottedSeries[] = [
      {
        label: 'loss',
        runId: 1,
        metric: 'train/loss',
        color: '#000',
        raw: [
          { x: 0, y: 0 },
          { x: 1, y: 10 },
          { x: 2, y: 0.1 },
        ],
        smoothed: [
          { x: 1, y: 10 },
          { x: 2, y: 0.1 },
        ],
      },
    ];
    const svg = chartSvg(log, { title: 'loss', xLabel: 'step', yLabel: 'loss', logY: true });
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
    expect(svg).toMatch(/>0\.1<\/text>/);
    expect(svg).toMatch(/>10<\/text>/);
  });
});
