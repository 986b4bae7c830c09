import { describe, expect, it } from 'vitest';
import { chartSvg, emaDebiased, lttb, movingAverage, niceTicks, seriesCsv, smooth } from '../src-renderer/src/lib/series.ts';

describe('chart series functions', () => {
  it('debiased EMA starts at the first value and follows a constant exactly', () => {
    expect(emaDebiased([5, 5, 5], 0.9)).toEqual([5, 5, 5].map((v) => expect.closeTo(v, 10)));
    const e = emaDebiased([0, 10], 0.5);
    expect(e[0]).toBe(0);
    expect(e[1]).toBeCloseTo(((0 * 0.5 + 0.5 * 0) * 0.5 + 0.5 * 10) / (1 - 0.25), 10);
  });

  it('moving average is trailing', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
  });

  it('smoothing happens at full resolution, then LTTB keeps the ends and the count', () => {
    const pts = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: Math.sin(i / 1000) + (i % 7) / 10 }));
    const sm = smooth(pts, { kind: 'ema', weight: 0.99 });
    const d = lttb(sm, 800);
    expect(d).toHaveLength(800);
    expect(d[0]).toEqual(sm[0]);
    expect(d[799]).toEqual(sm[99_999]);
    expect(d.every((p, i) => i === 0 || p.x > d[i - 1].x)).toBe(true);
  });

  it('exports CSV and an SVG with real paths', () => {
    const s = [{ label: 'run 1', runId: 1, metric: 'valid/bleu', color: '#000', raw: [{ x: 1, y: 2 }, { x: 2, y: 4 }], smoothed: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }];
    expect(seriesCsv(s, 'step')).toBe('run,label,metric,step,value,smoothed\n1,run 1,valid/bleu,1,2,2\n1,run 1,valid/bleu,2,4,3\n');
    const svg = chartSvg(s, { title: 'BLEU', xLabel: 'step', yLabel: 'BLEU' });
    expect(svg).toMatch(/^<svg[^>]+xmlns/);
    expect(svg).toMatch(/<path d="M52\.00,[\d.]+L/);
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
