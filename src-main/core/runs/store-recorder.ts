import { recordDynamics, summarizeCartography } from '../store/cartography.ts';
import { addCheckpoint, listCheckpoints, removeCheckpoint, setCheckpointKind } from '../store/checkpoints.ts';
import type { Db } from '../store/db.ts';
import { recordMetrics, recordSamples } from '../store/run-metrics.ts';
import { updateRunEnvironment } from '../store/runs.ts';
import type { WriteQueue } from '../store/write-queue.ts';
import { systemMetrics } from '../train/system-metrics.ts';
import type { LogReport, StepReport, TrainerCallbacks, ValidationReport } from '../train/trainer.ts';
import type { RunProgressReporter } from './run-progress.ts';

/**
 * The trainer's callbacks that record a run in the store: metrics, validation
 * samples, checkpoints and the progress heartbeat. Every write goes through the
 * job's WriteQueue, so a store locked by another writer delays them (in order)
 * and never fails the run.
 */
export interface StoreRecorderOptions {
  db: Db;
  runId: number;
  writes: WriteQueue;
  progress: RunProgressReporter;
  backend: string;
  /** where the trainer is (read while validating, between its own reports) */
  position: () => { step: number; epoch: number; totalSteps: number };
}

/** Live progress at most this often (ms); the last update always. */
const PROGRESS_INTERVAL_MS = 250;

export class StoreRecorder {
  /** the last batch loss: shown while validating and in the final progress */
  lastLoss: number | null = null;
  private lastTokensPerSecond: number | null = null;
  private lastReport = 0;
  /** cartography: dynamics recorded since the last summary */
  private dynamicsSinceSummary = false;

  constructor(private readonly o: StoreRecorderOptions) {}

  get callbacks(): TrainerCallbacks {
    const { db, runId, writes } = this.o;
    return {
      onStep: (r) => this.step(r),
      onLog: (r) => this.log(r),
      onValidationStart: () => this.busy(),
      onBusy: () => this.busy(),
      onValidation: (r) => {
        this.validation(r);
        this.summarizeDynamics(); // a run that stops mid-epoch (max_steps) still gets its data map
      },
      onExampleDynamics: (epoch, d) => {
        this.dynamicsSinceSummary = true;
        writes.write(() => recordDynamics(db, runId, epoch, d));
      },
      onEpochEnd: () => this.summarizeDynamics(),
      onCheckpoint: (r) => {
        const row = {
          step: r.step,
          epoch: r.epoch,
          path: r.dir,
          kind: r.role,
          metricName: r.metricName,
          metricValue: r.score,
        };
        writes.write(() => addCheckpoint(db, runId, row));
      },
      onCheckpointRemoved: (dir) => {
        // Queued with the list: it must see the checkpoints recorded (maybe queued) before it.
        writes.write(() => {
          for (const c of listCheckpoints(db, runId)) if (c.path === dir) removeCheckpoint(db, c.id);
        });
      },
      onCheckpointRoleChanged: (dir, role) => {
        writes.write(() => {
          for (const c of listCheckpoints(db, runId)) if (c.path === dir) setCheckpointKind(db, c.id, role);
        });
      },
      // Deleting or stripping a checkpoint's files waits in the queue behind the index changes
      // that stop pointing at them.
      afterRecorded: (change) => writes.write(change),
    };
  }

  private summarizeDynamics(): void {
    if (!this.dynamicsSinceSummary) return;
    this.dynamicsSinceSummary = false;
    this.o.writes.write(() => summarizeCartography(this.o.db, this.o.runId));
  }

  private step(r: StepReport): void {
    this.lastLoss = r.loss;
    const now = performance.now();
    if (now - this.lastReport < PROGRESS_INTERVAL_MS && r.step < r.totalSteps) return;
    this.lastReport = now;
    this.o.progress.send({
      phase: 'training',
      step: r.step,
      epoch: r.epoch,
      totalSteps: r.totalSteps,
      fraction: r.step / Math.max(r.totalSteps, 1),
      etaSeconds: r.etaSeconds,
      loss: r.loss,
      tokensPerSecond: this.lastTokensPerSecond,
      backend: this.o.backend,
    });
  }

  private busy(): void {
    const { step, epoch, totalSteps } = this.o.position();
    this.o.progress.send({
      phase: 'validating',
      step,
      epoch,
      loss: this.lastLoss,
      backend: this.o.backend,
      totalSteps,
      fraction: step / Math.max(totalSteps, 1),
    });
  }

  private log(r: LogReport): void {
    this.lastTokensPerSecond = r.tokensPerSecond;
    const at = { step: r.step, epoch: r.epoch, wall_time: Date.now() / 1000 };
    const points = [
      { name: 'train/loss', ...at, value: r.loss },
      { name: 'train/lr', ...at, value: r.lr },
      { name: 'train/grad_norm', ...at, value: r.gradNorm },
      { name: 'train/tokens_per_s', ...at, value: r.tokensPerSecond },
      ...systemMetrics().map((m) => ({ ...m, ...at })),
    ];
    this.o.writes.write(() => recordMetrics(this.o.db, this.o.runId, points));
  }

  private validation(r: ValidationReport): void {
    const { db, runId } = this.o;
    const at = { step: r.step, epoch: r.epoch, wall_time: Date.now() / 1000 };
    const points = [
      { name: 'valid/loss', ...at, value: r.loss },
      { name: 'valid/ppl', ...at, value: r.ppl },
      { name: 'valid/bleu', ...at, value: r.bleu },
      { name: 'valid/chrf', ...at, value: r.chrf },
      { name: 'valid/seconds', ...at, value: r.seconds },
    ];
    const samples = r.samples.map((s) => ({
      idx: s.idx,
      source: s.source,
      reference: s.reference,
      hypothesis: s.hypothesis,
    }));
    this.o.writes.write(() => {
      recordMetrics(db, runId, points);
      recordSamples(db, runId, r.step, samples);
      updateRunEnvironment(db, runId, { bleu_signature: r.bleuSignature, chrf_signature: r.chrfSignature });
    });
  }
}
