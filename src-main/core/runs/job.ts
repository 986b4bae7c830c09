import { join } from 'node:path';
import { busyTimeoutMs, retryWhileBusy } from '../store/busy.ts';
import { openDb, type Db } from '../store/db.ts';
import { truncateRunAfter } from '../store/run-metrics.ts';
import {
  finishRun,
  getRun,
  markRunning,
  recordRunSetup,
  type RunProgress,
  updateRunEnvironment,
} from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';
import { WriteQueue } from '../store/write-queue.ts';
import { initBackend, type BackendPreference } from '../tf/backend.ts';
import { loadBlas } from '../tf/native-blas.ts';
import { Trainer } from '../train/trainer.ts';
import { shareBlasThreads, type BlasThreadSharing } from './blas-threads.ts';
import { prepareRun, type PreparedRun } from './prepare-run.ts';
import { completeRunComparisons } from './retrain-comparison.ts';
import { RunProgressReporter } from './run-progress.ts';
import { StoreRecorder } from './store-recorder.ts';

/**
 * One training run, executed inside the worker process: prepares data and model
 * (prepare-run.ts), trains, and records everything in the store as it happens
 * (store-recorder.ts: metrics, samples, checkpoints, progress heartbeat), then the
 * final status. Another writer holding the store's lock delays these writes
 * (WriteQueue), in order, and never fails the run; the job ends once all of them
 * are in the store.
 */
export interface JobOptions {
  dbPath: string;
  runId: number;
  backend: BackendPreference;
  resume: boolean;
  report?: (p: RunProgress) => void;
  /** resolves when the job should stop after the current update (cancel) */
  onStopRequest?: (stop: () => void) => void;
}

export async function runTrainingJob(opts: JobOptions): Promise<'completed' | 'cancelled'> {
  // A longer busy timeout than other connections': the trainer would rather wait for the store than queue.
  const db = openDb(opts.dbPath, { busyTimeoutMs: 3 * busyTimeoutMs() });
  // Every recording goes through `writes`: a store locked by another writer delays it, never fails the run.
  const writes = new WriteQueue(db);
  const { runId } = opts;
  const run = getRun(db, runId);
  await retryWhileBusy(() => markRunning(db, runId, process.pid));
  const progress = new RunProgressReporter(db, runId, writes, opts.report);
  progress.send({ phase: 'preparing', message: 'loading backend and data' });
  let prepared: PreparedRun | undefined;
  let blasThreads: BlasThreadSharing | undefined;
  try {
    const backend = await initBackend(opts.backend);
    const blas = backend.name === 'wasm-blas' ? loadBlas().addon : null;
    if (blas) blasThreads = shareBlasThreads(db, (n) => blas.setThreads(n));
    const runDir = join(storeDir(db), 'runs', String(runId));
    prepared = await prepareRun(db, run, {
      backend,
      resume: opts.resume,
      runDir,
      onStage: (message) => progress.send({ phase: 'preparing', message }),
    });
    const { setup, resumedFromStep } = prepared;
    if (resumedFromStep !== null) writes.write(() => truncateRunAfter(db, runId, resumedFromStep));
    writes.write(() => recordRunSetup(db, runId, setup));
    // The threads at the start: they follow the number of live trainers after (blas-threads.ts).
    if (blasThreads) writes.write(() => updateRunEnvironment(db, runId, { blas_threads: blasThreads?.threads }));

    const recorder: StoreRecorder = new StoreRecorder({
      db,
      runId,
      writes,
      progress,
      backend: backend.name,
      position: () => ({ step: trainer.step, epoch: trainer.epochsDone, totalSteps: trainer.plannedSteps }),
    });
    const trainer: Trainer = new Trainer({
      model: prepared.model,
      pipeline: prepared.pipeline,
      config: run.config,
      train: prepared.train,
      valid: prepared.valid,
      runDir,
      runId,
      resume: prepared.resume,
      callbacks: recorder.callbacks,
    });
    opts.onStopRequest?.(() => trainer.requestStop());
    const reason = await trainer.run();
    trainer.dispose();
    const status = reason === 'cancelled' ? 'cancelled' : 'completed';
    const env = { stop_reason: reason, peak_rss_mb: progress.peakRssMb, finished_step: trainer.step };
    writes.write(() => updateRunEnvironment(db, runId, env));
    const { step, epochsDone: epoch, plannedSteps: totalSteps } = trainer;
    progress.send(
      {
        phase: 'done',
        step,
        epoch,
        totalSteps,
        fraction: 1,
        loss: recorder.lastLoss,
        backend: backend.name,
        message: reason,
      },
      true,
    );
    writes.write(() => finishRun(db, runId, status));
    await writes.drain();
    // A retrain (retrain.ts) waits for this run: its bootstrap against the original, stored (failures included).
    if (status === 'completed') await completeRunComparisons(db, runId, opts.backend);
    return status;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    writes.write(() => finishRun(db, runId, 'failed', message));
    await writes.drain();
    throw err;
  } finally {
    blasThreads?.stop();
    prepared?.dispose();
    db.close();
  }
}

export { openDb, type Db };
