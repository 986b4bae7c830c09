/**
 * Learning-rate schedules (JoeyNMT's builders.py names). A scheduler is asked for
 * the rate of each update (`rateAt(step)`) and told about every validation score
 * (`onValidation`); its state is plain JSON so a checkpoint can restore it.
 */
export interface Scheduler {
  readonly name: string;
  /** Learning rate of update number `step` (1-based). */
  rateAt(step: number): number;
  /** Called after each validation with the early-stopping metric's value. */
  onValidation(score: number): void;
  state(): SchedulerState;
  loadState(state: SchedulerState): void;
}

export type SchedulerState = Record<string, number>;

/** Constant learning rate. */
export class ConstantScheduler implements Scheduler {
  readonly name = 'none';
  constructor(private readonly lr: number) {}
  rateAt(): number {
    return this.lr;
  }
  onValidation(): void {}
  state(): SchedulerState {
    return {};
  }
  loadState(): void {}
}

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau as JoeyNMT configures it
 * (threshold 1e-4, absolute): after `patience` validations without improvement of
 * the metric, multiply the rate by `factor`.
 */
export class PlateauScheduler implements Scheduler {
  readonly name = 'plateau';
  private lr: number;
  private best: number;
  private badValidations = 0;

  constructor(
    initialLr: number,
    private readonly mode: 'min' | 'max',
    private readonly factor: number,
    private readonly patience: number,
    private readonly threshold = 1e-4,
  ) {
    this.lr = initialLr;
    this.best = mode === 'min' ? Infinity : -Infinity;
  }

  rateAt(): number {
    return this.lr;
  }

  onValidation(score: number): void {
    const improved = this.mode === 'min' ? score < this.best - this.threshold : score > this.best + this.threshold;
    if (improved) {
      this.best = score;
      this.badValidations = 0;
    } else if (++this.badValidations > this.patience) {
      this.lr *= this.factor;
      this.badValidations = 0;
    }
  }

  state(): SchedulerState {
    return { lr: this.lr, best: this.best, badValidations: this.badValidations };
  }

  loadState(s: SchedulerState): void {
    this.lr = s.lr;
    // JSON turns ±Infinity into null: an unset best comes back as the mode's start.
    this.best = typeof s.best === 'number' ? s.best : this.mode === 'min' ? Infinity : -Infinity;
    this.badValidations = s.badValidations;
  }
}

/**
 * "Attention is all you need" (Vaswani et al. 2017, 5.3):
 * lr = factor * hidden^-0.5 * min(step^-0.5, step * warmup^-1.5). Ignores learning_rate.
 */
export class NoamScheduler implements Scheduler {
  readonly name = 'noam';
  constructor(
    private readonly hiddenSize: number,
    private readonly factor: number,
    private readonly warmup: number,
  ) {}
  rateAt(step: number): number {
    const s = Math.max(step, 1);
    return this.factor * this.hiddenSize ** -0.5 * Math.min(s ** -0.5, s * Math.max(this.warmup, 1) ** -1.5);
  }
  onValidation(): void {}
  state(): SchedulerState {
    return {};
  }
  loadState(): void {}
}

/**
 * Linear warm-up to the peak rate (learning_rate) over `warmup` steps, then decay
 * with the inverse square root of the step (JoeyNMT's WarmupInverseSquareRootScheduler),
 * never below learning_rate_min.
 */
export class WarmupInverseSqrtScheduler implements Scheduler {
  readonly name = 'warmupinversesquareroot';
  constructor(
    private readonly peak: number,
    private readonly warmup: number,
    private readonly minRate: number,
  ) {}
  rateAt(step: number): number {
    const s = Math.max(step, 1);
    const w = Math.max(this.warmup, 1);
    const rate = s < w ? (s * this.peak) / w : this.peak * Math.sqrt(w) * s ** -0.5;
    return Math.max(rate, this.minRate);
  }
  onValidation(): void {}
  state(): SchedulerState {
    return {};
  }
  loadState(): void {}
}
