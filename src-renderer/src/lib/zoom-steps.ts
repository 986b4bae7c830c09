/**
 * The steps a zoomed x range covers, for fetching that stretch at full resolution: the x axis may be the
 * epoch or a time, so the range is mapped through the points each run already has (x grows with the step
 * in each run). Widened to the points just outside it, so the lines reach the chart's edges.
 * Null when no run has points.
 */
export function stepRange(
  runs: ReadonlyArray<ReadonlyArray<{ step: number; x: number }>>,
  [x0, x1]: readonly [number, number],
): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const pts of runs) {
    if (pts.length === 0) continue;
    // last point at or before x0, first at or after x1 (the ends when the range runs past them)
    let lo = 0;
    while (lo + 1 < pts.length && pts[lo + 1].x <= x0) lo++;
    let hi = pts.length - 1;
    while (hi > 0 && pts[hi - 1].x >= x1) hi--;
    from = Math.min(from, pts[lo].step);
    to = Math.max(to, pts[hi].step);
  }
  return from <= to ? { from, to } : null;
}
