import type { SmoothingChoice } from './compare-chart.ts';
import type { PaperSize, XAxis } from './series.ts';

/**
 * How Compare's chart is drawn, as the user set it: the metric, the x axis, the smoothing
 * (and the EMA weight or moving window), log y, and the paper size of its exports. One
 * instance per view (the view stays mounted), so they survive view switches and a cleared
 * selection; the metric and x axis may come from the URL (#/compare?metric=…&x=…).
 */
export class CompareChartOptions {
  metric = $state('valid/bleu');
  xAxis = $state<XAxis>('step');
  smoothing = $state<SmoothingChoice>('auto');
  weight = $state(0.6);
  windowSize = $state(5);
  logY = $state(false);
  paper = $state<PaperSize>('page');

  constructor(params: URLSearchParams) {
    this.metric = params.get('metric') ?? 'valid/bleu';
    this.xAxis = (params.get('x') as XAxis | null) ?? 'step';
  }
}
