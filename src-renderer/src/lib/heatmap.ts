/**
 * The attention heatmap's arithmetic, without the DOM (test/ui-heatmap.test.ts).
 * A row of attention weights sums to 1 over the source, so over a long source
 * the weights of most rows are small and, on an absolute 0–1 scale, nearly
 * white: per row (each row to its own largest weight) shows where each target
 * token looks, absolute shows how sure it is.
 */
export type HeatScale = 'row' | 'absolute';

/** [tgt][src] intensities in [0, 1] for the colour of each cell. */
export function heatIntensities(weights: readonly (readonly number[])[], scale: HeatScale): number[][] {
  return weights.map((row) => {
    const max = scale === 'row' ? Math.max(0, ...row.filter(Number.isFinite)) : 1;
    return row.map((w) => (Number.isFinite(w) && max > 0 ? Math.min(1, Math.max(0, w / max)) : 0));
  });
}

/** Side of a cell in px: the source fits the width it is given, between 12 px (still hoverable) and 28 px. */
export function heatCellSize(width: number, labelWidth: number, columns: number): number {
  if (columns <= 0) return 28;
  return Math.max(12, Math.min(28, Math.floor((width - labelWidth - 8) / columns)));
}

/** Font size of the source labels for a cell size: never above the cell (they are rotated), 10–13 px. */
export function heatLabelFont(cell: number): number {
  return Math.max(10, Math.min(13, cell - 4));
}

/** The legend's tick labels, left to right, for the colour ramp. */
export function heatLegend(scale: HeatScale): string[] {
  return scale === 'row' ? ['0', '½ row max', 'row max'] : ['0', '0.5', '1'];
}
