import { join } from 'node:path';
import type { RunConfig } from '../../common/config.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import type { TextPipeline } from '../text/pipeline.ts';
import { updateGradients } from './accumulate.ts';
import { epochBatches, makeBatch, type Batch, type Examples } from './batching.ts';
import { buildOptimizer, buildScheduler } from './builders.ts';
import { metricMode } from './metric-mode.ts';
import { checkpointDirName, saveCheckpoint, type ResumeState } from './checkpoint.ts';
import type { BatchDynamics } from './cartography.ts';
import { CheckpointKeeper, type KeptCheckpoint, type KeptRole } from './keeper.ts';
import { clipByGlobalNorm, type Optimizer } from './optimizers.ts';
import type { Scheduler, SchedulerState } from './schedulers.ts';
import { validate, yieldToEventLoop, type ValidationResult, type ValidationSet } from './validate.ts';

/**
 * The training loop: epochs of length-bucketed batches, one optimizer update per
 * batch (or per batch_multiplier batches), validation + checkpoint every
 * validation_freq updates (or every epoch),
 * early stopping, cancel. It only computes and emits events; recording them (store,
 * IPC, console) is attached from outside through `TrainerCallbacks`.
 */

export interface StepReport {
  step: number;
  /** fractional epoch: 2.5 = two epochs done and half of the third */
  epoch: number;
  /** loss per target token of this update's batches (label-smoothed if label_smoothing > 0) */
  loss: number;
  gradNorm: number;
  lr: number;
  tokens: number;
  totalSteps: number;
  etaSeconds: number | null;
}

export interface LogReport {
  step: number;
  epoch: number;
  /** token-weighted mean of the window's batch losses */
  loss: number;
  lr: number;
  gradNorm: number;
  tokensPerSecond: number;
}

export interface ValidationReport extends ValidationResult {
  step: number;
  epoch: number;
  /** the early-stopping metric's value, and whether it is the best so far */
  score: number;
  isBest: boolean;
  lr: number;
}

export interface CheckpointReport {
  dir: string;
  step: number;
  epoch: number;
  role: KeptRole;
  metricName: string;
  score: number | null;
}

export interface TrainerCallbacks {
  onStep?(r: StepReport): void;
  onLog?(r: LogReport): void;
  onValidationStart?(step: number): void;
  onValidation?(r: ValidationReport): void;
  onCheckpoint?(r: CheckpointReport): void;
  onCheckpointRemoved?(dir: string): void;
  onCheckpointRoleChanged?(dir: string, role: KeptRole): void;
  /** Runs a change to checkpoint files once what the callbacks recorded before it is in the store; default: at once. */
  afterRecorded?(change: () => void): void;
  onEpochEnd?(epoch: number, seconds: number): void;
  /** Called while validating, between batches: keeps a heartbeat going. */
  onBusy?(): void;
  /** config.cartography: a batch's training dynamics, in the (1-based) epoch it was trained in */
  onExampleDynamics?(epoch: number, d: BatchDynamics): void;
}

export type StopReason = 'max_epochs' | 'max_steps' | 'early_stopping' | 'learning_rate_min' | 'cancelled';

/** Everything needed to continue exactly where a checkpoint left off (JSON). */
export interface TrainerState {
  step: number;
  /** 1-based epoch in progress, and how many of its batches are done */
  epoch: number;
  batchInEpoch: number;
  tokensSeen: number;
  trainSeconds: number;
  scheduler: SchedulerState;
  best: { score: number | null; step: number };
  validationsWithoutImprovement: number;
  lastValidatedStep: number;
  kept: KeptCheckpoint[];
}

export interface TrainerOptions {
  model: Seq2SeqModel;
  pipeline: TextPipeline;
  config: RunConfig;
  /** in memory, or read batch by batch (a run's training file: encoded-examples.ts) */
  train: Examples;
  valid: ValidationSet;
  /** where ckpt-<step>/ folders go (runs/<id>/) */
  runDir: string;
  runId?: number | null;
  callbacks?: TrainerCallbacks;
  /** state + optimizer slots from a checkpoint (the model's weights already loaded) */
  resume?: ResumeState;
}

export class Trainer {
  readonly model: Seq2SeqModel;
  private readonly config: RunConfig;
  private readonly optimizer: Optimizer;
  private readonly scheduler: Scheduler;
  private readonly keeper: CheckpointKeeper;
  private readonly cb: TrainerCallbacks;
  private readonly batchesPerEpoch: number;
  private readonly totalSteps: number;
  private state: TrainerState;
  private stopRequested = false;
  /** batches in the epoch in progress (token batching can cut epochs into different counts) */
  private planLength: number;
  private sessionStart = { step: 0, time: 0 };

  constructor(private readonly opts: TrainerOptions) {
    this.model = opts.model;
    this.config = opts.config;
    this.cb = opts.callbacks ?? {};
    this.optimizer = buildOptimizer(this.config);
    this.scheduler = buildScheduler(this.config);
    this.batchesPerEpoch = this.epochPlan(1).length;
    this.planLength = this.batchesPerEpoch;
    const byEpochs = this.config.max_epochs * Math.ceil(this.batchesPerEpoch / this.config.batch_multiplier);
    this.totalSteps = this.config.max_steps > 0 ? Math.min(this.config.max_steps, byEpochs) : byEpochs;
    const restored = opts.resume?.trainer as TrainerState | undefined;
    this.state = restored
      ? { ...restored }
      : {
          step: 0,
          epoch: 1,
          batchInEpoch: 0,
          tokensSeen: 0,
          trainSeconds: 0,
          scheduler: {},
          best: { score: null, step: 0 },
          validationsWithoutImprovement: 0,
          lastValidatedStep: 0,
          kept: [],
        };
    if (opts.resume) {
      this.optimizer.loadState(opts.resume.optimizer);
      this.scheduler.loadState(this.state.scheduler);
    }
    this.keeper = new CheckpointKeeper(
      this.config.keep_best_ckpts,
      metricMode(this.config.early_stopping_metric),
      {
        onAdded: (k, role) =>
          this.cb.onCheckpoint?.({
            dir: k.dir,
            step: k.step,
            epoch: k.epoch,
            role,
            metricName: this.config.early_stopping_metric,
            score: k.score,
          }),
        onRemoved: (k) => this.cb.onCheckpointRemoved?.(k.dir),
        onRoleChanged: (k, role) => this.cb.onCheckpointRoleChanged?.(k.dir, role),
        afterRecorded: this.cb.afterRecorded && ((change) => this.cb.afterRecorded?.(change)),
      },
      this.state.kept,
    );
  }

  get step(): number {
    return this.state.step;
  }

  /** Fractional epochs trained so far, as StepReport.epoch (what the store's runs.epoch shows). */
  get epochsDone(): number {
    return this.state.epoch - 1 + this.state.batchInEpoch / Math.max(this.planLength, 1);
  }

  get plannedSteps(): number {
    return this.totalSteps;
  }

  /** Finish the current update, save a checkpoint, stop (cancel). Safe from a signal handler. */
  requestStop(): void {
    this.stopRequested = true;
  }

  async run(): Promise<StopReason> {
    this.sessionStart = { step: this.state.step, time: performance.now() };
    let window = { loss: 0, tokens: 0, seconds: 0, gradNorm: 0, steps: 0 };
    const { config } = this;
    while (this.state.epoch <= config.max_epochs) {
      const epochStarted = performance.now();
      const plan = this.epochPlan(this.state.epoch);
      this.planLength = plan.length;
      // One update every `batch_multiplier` batches (the last update of an epoch may take fewer).
      const perUpdate = config.batch_multiplier;
      for (let i = this.state.batchInEpoch; i < plan.length; i += perUpdate) {
        if (this.stopRequested) return this.stop('cancelled');
        const batches = plan.slice(i, i + perUpdate).map((indices) => makeBatch(this.opts.train, indices));
        const done = i + batches.length; // batches of the epoch done after this update
        const nTokens = batches.reduce((n, b) => n + b.nTokens, 0);
        const t0 = performance.now();
        const lr = this.scheduler.rateAt(this.state.step + 1);
        const { loss, gradNorm } = await this.trainStep(batches, lr);
        const seconds = (performance.now() - t0) / 1000;
        this.state.step += 1;
        this.state.batchInEpoch = done;
        this.state.tokensSeen += nTokens;
        this.state.trainSeconds += seconds;
        window = {
          loss: window.loss + loss * nTokens,
          tokens: window.tokens + nTokens,
          seconds: window.seconds + seconds,
          gradNorm,
          steps: window.steps + 1,
        };
        const epoch = this.state.epoch - 1 + done / plan.length;
        const { step } = this.state;
        const etaSeconds = this.eta();
        this.cb.onStep?.({ step, epoch, loss, gradNorm, lr, tokens: nTokens, totalSteps: this.totalSteps, etaSeconds });

        if (this.state.step % config.logging_freq === 0) {
          this.cb.onLog?.({
            step: this.state.step,
            epoch,
            loss: window.loss / window.tokens,
            lr,
            gradNorm: window.gradNorm,
            tokensPerSecond: window.tokens / window.seconds,
          });
          window = { loss: 0, tokens: 0, seconds: 0, gradNorm: 0, steps: 0 };
        }
        const endOfEpoch = done === plan.length;
        const lastStep =
          (config.max_steps > 0 && this.state.step >= config.max_steps) ||
          (endOfEpoch && this.state.epoch === config.max_epochs);
        if (endOfEpoch) {
          this.state.epoch += 1;
          this.state.batchInEpoch = 0;
          this.cb.onEpochEnd?.(this.state.epoch - 1, (performance.now() - epochStarted) / 1000);
        }
        const due = config.validation_freq > 0 ? this.state.step % config.validation_freq === 0 : endOfEpoch;
        if (due || lastStep) {
          const stop = await this.validateAndCheckpoint(epoch);
          if (stop) return this.stop(stop);
        }
        if (lastStep) return this.stop(endOfEpoch && this.state.epoch > config.max_epochs ? 'max_epochs' : 'max_steps');
        await yieldToEventLoop(); // lets IPC messages and signals (cancel) in
      }
    }
    return this.stop('max_epochs');
  }

  /** One update over `batch_multiplier` batches: gradients (accumulate.ts), clipping, optimizer step. */
  private async trainStep(batches: readonly Batch[], lr: number): Promise<{ loss: number; gradNorm: number }> {
    const { grads, lossPerToken, dynamics } = await updateGradients(this.model, batches, this.config);
    for (const d of dynamics ?? []) this.cb.onExampleDynamics?.(this.state.epoch, d);
    const clipped = await clipByGlobalNorm(grads, this.config.clip_grad_norm);
    this.optimizer.apply(this.model.variables, clipped.grads, lr);
    for (const g of Object.values(clipped.grads)) g.dispose();
    if (!Number.isFinite(lossPerToken)) {
      throw new Error(`training diverged: loss is ${lossPerToken} at step ${this.state.step + 1}`);
    }
    return { loss: lossPerToken, gradNorm: clipped.norm };
  }

  /** Validation, best tracking, plateau scheduling, checkpoint; returns a reason to stop, if any. */
  private async validateAndCheckpoint(epoch: number): Promise<StopReason | undefined> {
    const { config } = this;
    this.cb.onValidationStart?.(this.state.step);
    const result = await validate(this.model, this.opts.pipeline, this.opts.valid, config, () => this.cb.onBusy?.());
    const score = metricValue(result, config.early_stopping_metric);
    const mode = metricMode(config.early_stopping_metric);
    const best = this.state.best.score;
    const isBest = best === null || (mode === 'min' ? score < best : score > best);
    if (isBest) {
      this.state.best = { score, step: this.state.step };
      this.state.validationsWithoutImprovement = 0;
    } else {
      this.state.validationsWithoutImprovement += 1;
    }
    this.scheduler.onValidation(score);
    this.state.lastValidatedStep = this.state.step;
    const lr = this.scheduler.rateAt(this.state.step + 1);
    this.cb.onValidation?.({ ...result, step: this.state.step, epoch, score, isBest, lr });
    await this.checkpoint(epoch, score);

    if (
      config.early_stopping_patience > 0 &&
      this.state.validationsWithoutImprovement >= config.early_stopping_patience
    ) {
      return 'early_stopping';
    }
    if (lr < config.learning_rate_min) return 'learning_rate_min';
    return undefined;
  }

  private async checkpoint(epoch: number, score: number | null): Promise<void> {
    const dir = join(this.opts.runDir, checkpointDirName(this.state.step));
    const kept: KeptCheckpoint = { dir, step: this.state.step, epoch, score };
    // The state saved is the state *after* registering this checkpoint, so a resume knows it.
    const keptAfter = [...this.keeper.state().filter((k) => k.dir !== dir), kept];
    this.state.scheduler = this.scheduler.state();
    const trainer: TrainerState = { ...this.state, kept: keptAfter };
    await saveCheckpoint(dir, {
      model: this.model,
      pipeline: this.opts.pipeline,
      config: this.config,
      meta: { runId: this.opts.runId ?? null, step: this.state.step, epoch },
      resume: { trainer: { ...trainer }, optimizer: { name: this.optimizer.name, ...this.optimizer.state() } },
    });
    this.keeper.add(kept); // announces it (onCheckpoint), then prunes
    this.state.kept = this.keeper.state();
  }

  private async stop(reason: StopReason): Promise<StopReason> {
    // A cancel between validations saves where it stopped, so resume loses nothing.
    if (reason === 'cancelled' && this.state.step > 0 && this.keeper.latest()?.step !== this.state.step) {
      const plan = this.epochPlan(this.state.epoch);
      await this.checkpoint(this.state.epoch - 1 + this.state.batchInEpoch / Math.max(plan.length, 1), null);
    }
    return reason;
  }

  private epochPlan(epoch: number): number[][] {
    const { config } = this;
    return epochBatches(this.opts.train, epoch, {
      batchSize: config.batch_size,
      batchType: config.batch_type,
      seed: config.random_seed,
      shuffle: true,
    });
  }

  private eta(): number | null {
    const done = this.state.step - this.sessionStart.step;
    if (done < 1) return null;
    const perStep = (performance.now() - this.sessionStart.time) / 1000 / done;
    return perStep * Math.max(this.totalSteps - this.state.step, 0);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

export function metricValue(r: ValidationResult, metric: RunConfig['early_stopping_metric']): number {
  return { loss: r.loss, ppl: r.ppl, bleu: r.bleu, chrf: r.chrf }[metric];
}
