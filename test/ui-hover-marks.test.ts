import { describe, expect, it } from 'vitest';
import { hoverMarks, nearestIndex, type HoverLine } from '../src-renderer/src/lib/hover-marks.ts';

/** a chart whose plotting area is x 0-100, y 0-50 pixels, one pixel a unit (y up) */
const chart = {
  area: { left: 0, right: 100, top: 0, bottom: 50 },
  x: { getPixelForValue: (v: number) => v },
  y: { getPixelForValue: (v: number) => 50 - v },
};
const line = (label: string, ys: number[]): HoverLine => ({
  label,
  color: `#${label}`,
  points: ys.map((y, i) => ({ x: i * 10, y })),
});

describe("a chart's hover marks", () => {
  it('finds the point nearest an x in points sorted by x', () => {
    const pts = [0, 10, 20, 30].map((x) => ({ x }));
    expect(nearestIndex(pts, 14)).toBe(1);
    expect(nearestIndex(pts, 16)).toBe(2);
    expect(nearestIndex(pts, -5)).toBe(0);
    expect(nearestIndex(pts, 99)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it("marks each line's nearest point and lists the lines highest first", () => {
    const lines = [line('a', [1, 2, 3]), line('b', [40, 45, 60]), line('c', [])];
    const m = hoverMarks(lines, { x: 11, cross: 11 }, chart, { xLabel: 'step', top: 4 });
    expect(m).toMatchObject({ top: 0, height: 50, cross: 11 });
    // b's point at 45 is inside the area; c has none
    expect(m.dots).toEqual([
      { x: 10, y: 48, color: '#a' },
      { x: 10, y: 5, color: '#b' },
    ]);
    expect(m.tip).toEqual({
      top: 4,
      columns: undefined,
      before: false,
      title: 'step 11',
      rows: [
        { label: 'b', color: '#b', y: 45 },
        { label: 'a', color: '#a', y: 2 },
      ],
    });
  });

  it('leaves out the dots outside the area, puts the tip left in the right half, in the columns its rows need', () => {
    const lines = [line('a', [0, 0, 0, 0, 0, 0, 0, 70]), line('b', [1]), line('d', [2])];
    const m = hoverMarks(lines, { x: 70, cross: 72 }, chart, {
      xLabel: 'time',
      formatX: (x) => `${x} s`,
      top: 4,
      rowsPerColumn: 2,
    });
    // a's point at y 70 is above the area
    expect(m.dots.map((d) => d.color)).toEqual(['#b', '#d']);
    expect(m.tip).toMatchObject({ before: true, columns: 2, title: 'time 70 s' });
    expect(m.tip?.rows.map((r) => r.label)).toEqual(['a', 'd', 'b']);
  });

  it('shows no tip where the chart has none to show or no line has a point', () => {
    expect(hoverMarks([line('a', [1])], { x: 0, cross: 0 }, chart, null).tip).toBeNull();
    expect(hoverMarks([line('a', [])], { x: 0, cross: 0 }, chart, { xLabel: 'step', top: 4 }).tip).toBeNull();
  });
});
