import { describe, expect, it } from 'vitest';
import { bandOf, formatMeanStd, groupRuns, summarize, tQuantile975 } from '../src-renderer/src/lib/seed-groups.ts';

const run = (id: number, config: Record<string, unknown>) => ({
  id,
  config: { dataset: 'd', random_seed: 1, dropout: 0.1, ...config },
});

describe('seed groups', () => {
  const runs = [
    run(1, { hidden_size: 128, random_seed: 1 }),
    run(2, { hidden_size: 256, random_seed: 1 }),
    run(3, { hidden_size: 128, random_seed: 2 }),
    run(4, { hidden_size: 256, random_seed: 2 }),
    run(5, { hidden_size: 128, random_seed: 3, dropout: 0.3 }),
  ];

  it('puts runs that differ only by random_seed together, named by what tells the groups apart', () => {
    const g = groupRuns(runs, { kind: 'seed' });
    expect(g.map((x) => x.runs.map((r) => r.id))).toEqual([[1, 3], [2, 4], [5]]);
    expect(g.map((x) => x.label)).toEqual([
      'dropout=0.1 · hidden_size=128',
      'dropout=0.1 · hidden_size=256',
      'dropout=0.3 · hidden_size=128',
    ]);
  });

  it('groups by one chosen parameter, and keeps each run alone without grouping', () => {
    const g = groupRuns(runs, { kind: 'param', key: 'hidden_size' });
    expect(g.map((x) => [x.label, x.runs.map((r) => r.id)])).toEqual([
      ['hidden_size=128', [1, 3, 5]],
      ['hidden_size=256', [2, 4]],
    ]);
    expect(groupRuns(runs, { kind: 'none' }).map((x) => x.runs.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('summarises as mean ± sample std and skips missing values', () => {
    const s = summarize([1, 2, 3, null, NaN]);
    expect(s).toMatchObject({ n: 3, mean: 2, std: 1, min: 1, max: 3 });
    expect(formatMeanStd(s)).toBe('2.00 ± 1.00');
    expect(formatMeanStd(summarize([5]))).toBe('5.00');
    expect(formatMeanStd(summarize([null]))).toBe('–');
  });
});

describe('bands', () => {
  it('aligns validation points exactly and gives min-max and the t-based 95% interval', () => {
    const a = [
      { x: 100, y: 1 },
      { x: 200, y: 4 },
    ];
    const b = [
      { x: 100, y: 3 },
      { x: 200, y: 6 },
    ];
    const c = [{ x: 100, y: 2 }];
    const mm = bandOf([a, b, c], 'minmax', 500);
    expect(mm.mean).toEqual([
      { x: 100, y: 2 },
      { x: 200, y: 5 },
    ]);
    expect(mm.lo.map((p) => p.y)).toEqual([1, 4]);
    expect(mm.hi.map((p) => p.y)).toEqual([3, 6]);
    expect(mm.n).toEqual([3, 2]);
    const ci = bandOf([a, b, c], 'ci95', 500);
    // std of 1,3,2 is 1; t(2) = 4.303; half width 4.303/sqrt(3)
    expect(ci.hi[0].y).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 6);
    expect(ci.lo[1].y).toBeCloseTo(5 - 12.706, 6);
    expect(bandOf([a], 'ci95', 500).lo).toEqual(bandOf([a], 'ci95', 500).mean);
  });

  it('buckets long series into columns, each run weighted once per column', () => {
    const n = 10_000;
    const a = Array.from({ length: n }, (_, i) => ({ x: i, y: 1 }));
    // b logs ten times as often: it still counts as one run per column
    const b = Array.from({ length: n * 10 }, (_, i) => ({ x: i / 10, y: 3 }));
    const band = bandOf([a, b], 'minmax', 100);
    expect(band.mean).toHaveLength(100);
    expect(band.mean.every((p) => p.y === 2)).toBe(true);
    expect(band.lo.every((p) => p.y === 1) && band.hi.every((p) => p.y === 3)).toBe(true);
    expect(band.mean[0].x).toBeLessThan(band.mean[99].x);
  });

  it('has the t quantiles of a textbook table', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(9)).toBe(2.262);
    expect(tQuantile975(100)).toBe(1.96);
  });
});
