import { tickLabel } from './series.ts';

/**
 * Where a chart's hover marks go (ChartHoverMarks draws them over the canvas): the crosshair, each line's point
 * nearest the hovered x and the tooltip's rows. Both Compare's chart and the synced charts of the grid place
 * them so, in canvas pixels, from the chart's area and scales.
 */

/** a line as the hover reads it: its points sorted by x */
export interface HoverLine {
  label: string;
  color: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

/** the plotting area of the chart in canvas pixels (chart.js's chartArea) */
export interface HoverArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** an axis that turns a value into canvas pixels (chart.js's Scale) */
export interface HoverAxis {
  getPixelForValue(value: number): number;
}

export interface HoverTip {
  /** the tip's top in pixels of the chart's box */
  top: number;
  /** columns the rows are laid out in; undefined: one, cut at the chart's height */
  columns?: number;
  /** the tip sits left of the crosshair in the right half of the chart */
  before: boolean;
  title: string;
  /** highest value first */
  rows: { label: string; color: string; y: number }[];
}

/** the hover's marks in canvas pixels */
export interface HoverMarks {
  top: number;
  height: number;
  /** the crosshair's x */
  cross: number;
  dots: { x: number; y: number; color: string }[];
  /** null: no tooltip (none of the lines has a point, or another chart of the grid shows it) */
  tip: HoverTip | null;
}

/** what the tooltip shows besides its rows and where it goes; null: this chart shows no tooltip */
export interface HoverTipPlace {
  xLabel: string;
  formatX?: (x: number) => string;
  top: number;
  /** rows that fit in one column: more are laid out in more columns; undefined: one column */
  rowsPerColumn?: number;
}

/** Index of the point whose x is nearest to `x` in points sorted by x (-1 when empty). */
export function nearestIndex(points: ReadonlyArray<{ x: number }>, x: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(points[hi].x - x) < Math.abs(points[lo].x - x) ? hi : lo;
}

/** The marks at data value `x`, the crosshair at pixel `cross` (the pointer's, or the value's own pixel). */
export function hoverMarks(
  lines: readonly HoverLine[],
  at: { x: number; cross: number },
  chart: { area: HoverArea; x: HoverAxis; y: HoverAxis },
  tip: HoverTipPlace | null,
): HoverMarks {
  const { area: a } = chart;
  const points = lines.flatMap((l) => {
    const i = nearestIndex(l.points, at.x);
    if (i < 0) return [];
    const p = l.points[i];
    return [
      { label: l.label, color: l.color, y: p.y, px: chart.x.getPixelForValue(p.x), py: chart.y.getPixelForValue(p.y) },
    ];
  });
  return {
    top: a.top,
    height: a.bottom - a.top,
    cross: at.cross,
    dots: points
      .filter((r) => r.px >= a.left && r.px <= a.right && r.py >= a.top && r.py <= a.bottom)
      .map((r) => ({ x: r.px, y: r.py, color: r.color })),
    tip:
      tip && points.length > 0
        ? {
            top: tip.top,
            columns: tip.rowsPerColumn === undefined ? undefined : Math.ceil(points.length / tip.rowsPerColumn),
            before: at.cross > (a.left + a.right) / 2,
            title: `${tip.xLabel} ${tip.formatX ? tip.formatX(at.x) : tickLabel(at.x)}`,
            rows: points.sort((p, q) => q.y - p.y).map(({ label, color, y }) => ({ label, color, y })),
          }
        : null,
  };
}
