import { svgToPng } from './image.ts';
import {
  chartSvg,
  formatX,
  PAPER_SIZES,
  seriesCsv,
  smoothingLabel,
  xAxisLabel,
  type autoSmoothing,
  type PaperSize,
  type PlottedSeries,
  type Smoothing,
  type XAxis,
} from './series.ts';

/** Compare's smoothing menu: auto (by the metric and its number of points), none, EMA, moving average */
export type SmoothingChoice = 'auto' | 'none' | 'ema' | 'moving';

/** the smoothing applied: auto's choice, or the one picked with its weight or window */
export function smoothingSpecOf(choice: SmoothingChoice, auto: Smoothing, weight: number, window: number): Smoothing {
  if (choice === 'auto') return auto;
  if (choice === 'ema') return { kind: 'ema', weight };
  if (choice === 'moving') return { kind: 'moving', window };
  return { kind: 'none' };
}

/** what the chart's footer says about smoothing: only what is applied (and why not, when auto chose none) */
export function smoothingNote(spec: Smoothing, choice: SmoothingChoice, auto: ReturnType<typeof autoSmoothing>) {
  if (spec.kind === 'none') return `not smoothed${choice === 'auto' ? `: ${auto.reason}` : ''}`;
  const how = `${smoothingLabel(spec)}${choice === 'auto' ? ' (auto)' : ''}`;
  return `smoothed: ${how}, applied before decimation · raw data faint`;
}

export interface ChartFileOptions {
  metric: string;
  xAxis: XAxis;
  logY: boolean;
  paper: PaperSize;
  /** the series the CSV holds (every point, which a cut chart fetches for the file only) */
  csvSeries: () => Promise<PlottedSeries[]>;
}

/** The chart as a file: PNG (300 dpi) or SVG at the paper size, or the plotted data as CSV. */
export async function chartFile(kind: 'png' | 'svg' | 'csv', plotted: PlottedSeries[], o: ChartFileOptions) {
  const svg = () =>
    chartSvg(plotted, {
      title: o.metric,
      xLabel: xAxisLabel(o.xAxis),
      yLabel: o.metric,
      logY: o.logY,
      size: o.paper,
      formatX: (v) => formatX(o.xAxis, v),
    });
  const size = PAPER_SIZES[o.paper];
  if (kind === 'png') return svgToPng(svg(), size.width, size.height);
  if (kind === 'svg') return new Blob([svg()], { type: 'image/svg+xml' });
  return new Blob([seriesCsv(await o.csvSeries(), o.xAxis)], { type: 'text/csv' });
}
