import { describe, expect, it } from 'vitest';
import { heatCellSize, heatIntensities, heatLabelFont, heatLegend } from '../src-renderer/src/lib/heatmap.ts';

/** The playground heatmap stays readable over a long source (issue 13 B5). */
describe('attention heatmap scale', () => {
  // 30 source tokens: each row's weight spread thin, as attention over a long sentence is
  const long = Array.from({ length: 4 }, (_, r) =>
    Array.from({ length: 30 }, (_, c) => (c === r * 7 ? 0.12 : 0.88 / 29)),
  );

  it('per row: every row reaches full colour at its largest weight', () => {
    const h = heatIntensities(long, 'row');
    expect(h.map((row) => Math.max(...row))).toEqual([1, 1, 1, 1]);
    expect(h[1][7]).toBe(1);
    expect(h[1][0]).toBeCloseTo(0.88 / 29 / 0.12, 6);
  });

  it('absolute: the weight itself, 0 to 1 (a spread row stays pale)', () => {
    const h = heatIntensities(long, 'absolute');
    expect(h[0][0]).toBeCloseTo(0.12, 9);
    expect(Math.max(...h.flat())).toBeLessThan(0.2);
    expect(
      heatIntensities(
        [
          [0, 0],
          [Number.NaN, 2],
        ],
        'row',
      ),
    ).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('30 source tokens fit a half-width panel with cells still large enough to read and hover', () => {
    const cell = heatCellSize(620, 70, 30);
    expect(cell).toBeGreaterThanOrEqual(16);
    expect(70 + 30 * cell + 8).toBeLessThanOrEqual(620);
    expect(heatCellSize(620, 70, 3)).toBe(28);
    expect(heatCellSize(300, 70, 60)).toBe(12);
    expect(heatLabelFont(cell)).toBeGreaterThanOrEqual(10);
    expect(heatLegend('row')).toEqual(['0', '½ row max', 'row max']);
  });
});
