import type { RunConfig } from '../../common/config.ts';
import { metricMode } from './metric-mode.ts';
import { Adam, Sgd, type Optimizer } from './optimizers.ts';
import {
  ConstantScheduler,
  NoamScheduler,
  PlateauScheduler,
  WarmupInverseSqrtScheduler,
  type Scheduler,
} from './schedulers.ts';

/**
 * The one place that maps configuration strings to training objects (JoeyNMT's
 * builders.py): adding an optimizer or a schedule touches these tables only.
 */
const OPTIMIZERS: Record<RunConfig['optimizer'], (c: RunConfig) => Optimizer> = {
  adam: (c) => new Adam({ betas: c.adam_betas, weightDecay: c.weight_decay }),
  sgd: (c) => new Sgd({ momentum: c.momentum, weightDecay: c.weight_decay }),
};

const SCHEDULERS: Record<RunConfig['scheduling'], (c: RunConfig) => Scheduler> = {
  none: (c) => new ConstantScheduler(c.learning_rate),
  plateau: (c) =>
    new PlateauScheduler(c.learning_rate, metricMode(c.early_stopping_metric), c.decrease_factor, c.patience),
  noam: (c) => new NoamScheduler(c.hidden_size, c.learning_rate_factor, c.learning_rate_warmup),
  warmupinversesquareroot: (c) =>
    new WarmupInverseSqrtScheduler(c.learning_rate, c.learning_rate_warmup, c.learning_rate_min),
};

export function buildOptimizer(config: RunConfig): Optimizer {
  return OPTIMIZERS[config.optimizer](config);
}

export function buildScheduler(config: RunConfig): Scheduler {
  return SCHEDULERS[config.scheduling](config);
}
