import type { RunConfig } from '../../common/config.ts';

/** Whether a larger value of the validation metric is better (the trainer's early stopping, the runs' labels). */
export function metricMode(metric: RunConfig['early_stopping_metric']): 'min' | 'max' {
  return metric === 'bleu' || metric === 'chrf' ? 'max' : 'min';
}
