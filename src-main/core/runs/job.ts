import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { getDatasetByName } from '../data/builtin.ts';
import { ensureSplit, loadSplitPairs } from '../data/splits.ts';
import { buildModel } from '../model/build.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import { datasetHash } from '../store/datasets.ts';
import { busyTimeoutMs, retryWhileBusy } from '../store/busy.ts';
import { openDb, type Db } from '../store/db.ts';
import { addCheckpoint, latestCheckpoint, listCheckpoints, removeCheckpoint, setCheckpointKind } from '../store/checkpoints.ts';
import { recordMetrics, recordSamples, truncateRunAfter } from '../store/run-metrics.ts';
import { finishRun, getRun, markRunning, recordRunSetup, type RunProgress, updateRunEnvironment, updateRunProgress } from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';
import { WriteQueue } from '../store/write-queue.ts';
import { TextPipeline } from '../text/pipeline.ts';
import { initBackend, type BackendPreference } from '../tf/backend.ts';
import { loadCheckpoint, pipelineHash, readResumeState, type ResumeState } from '../train/checkpoint.ts';
import { Trainer } from '../train/trainer.ts';
import { makeValidationSet } from '../train/validate.ts';

/**
 * One training run, executed inside the worker process: prepares data and
 * model (or restores the latest checkpoint), trains, and writes everything
 * (metrics, samples, checkpoints, progress heartbeat, final status) to the
 * store as it happens. Progress also goes to `report` for live UIs. Another
 * writer holding the store's lock delays these writes (WriteQueue), in order,
 * and never fails the run; the job ends once all of them are in the store.
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
  let peakRss = process.memoryUsage().rss;
  const run = getRun(db, runId);
  const config = run.config;
  await retryWhileBusy(() => markRunning(db, runId, process.pid));
  /** Progress snapshots double as the heartbeat: skipped while the store is busy (the next one replaces it), except the last. */
  const progress = (p: Partial<RunProgress> & Pick<RunProgress, 'phase'>, final = false) => {
    const full: RunProgress = { step: 0, epoch: 0, totalSteps: 0, fraction: 0, etaSeconds: null, loss: null, tokensPerSecond: null, backend: null, ...p };
    if (final) writes.write(() => updateRunProgress(db, runId, full));
    else writes.writeIfFree(() => updateRunProgress(db, runId, full));
    opts.report?.(full);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  progress({ phase: 'preparing', message: 'loading backend and data' });
  let model: Seq2SeqModel | undefined;
  try {
    const backend = await initBackend(opts.backend);
    const dataset = await getDatasetByName(db, config.dataset);
    const split = await retryWhileBusy(() =>
      ensureSplit(db, dataset.id, config.split, { seed: config.split_seed, valid_ratio: config.valid_ratio, test_ratio: config.test_ratio }),
    );
    const trainPairs = loadSplitPairs(db, split.id, 'train');
    let validPairs = loadSplitPairs(db, split.id, 'valid');
    // A split without validation pairs (the tutorial's six sentences) validates on the training pairs.
    const validOnTrain = validPairs.length === 0;
    if (validOnTrain) validPairs = trainPairs;

    let pipeline: TextPipeline;
    let resume: ResumeState | undefined;
    const latest = opts.resume ? latestCheckpoint(db, runId) : undefined;
    if (latest) {
      const loaded = loadCheckpoint(latest.path);
      ({ model, pipeline } = loaded);
      resume = readResumeState(latest.path);
      writes.write(() => truncateRunAfter(db, runId, latest.step));
    } else {
      pipeline = TextPipeline.fit(trainPairs, config);
      model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, config.random_seed);
    }
    const encode = (p: { id: number; source: string; target: string }) => ({ id: p.id, src: pipeline.encodeSource(p.source), trg: pipeline.encodeTarget(p.target) });
    const train = trainPairs.map(encode).filter((e) => e.src.length > 0 && e.src.length <= config.max_sent_length && e.trg.length <= config.max_sent_length);
    const setup = {
      datasetId: dataset.id,
      splitId: split.id,
      datasetHash: datasetHash(db, dataset.id),
      splitHash: split.hash,
      vocabHash: pipelineHash(pipeline),
      backend: backend.name,
      environment: {
        ...environment(),
        backend: backend.name,
        backend_attempts: backend.attempts,
        ...(backend.adapter ? { adapter: backend.adapter } : {}),
        src_vocab: pipeline.srcVocab.size,
        trg_vocab: pipeline.trgVocab.size,
        train_pairs: train.length,
        skipped_long_pairs: trainPairs.length - train.length,
        valid_pairs: validPairs.length,
        valid_on_train: validOnTrain,
        parameters: [...model.variables.values()].reduce((s, v) => s + v.size, 0),
      },
    };
    writes.write(() => recordRunSetup(db, runId, setup));

    let lastReport = 0;
    let lastLoss: number | null = null;
    let lastTps: number | null = null;
    const runDir = join(storeDir(db), 'runs', String(runId));
    const trainer: Trainer = new Trainer({
      model,
      pipeline,
      config,
      train,
      valid: makeValidationSet(validPairs, pipeline, config),
      runDir,
      runId,
      resume,
      callbacks: {
        onStep: (r) => {
          lastLoss = r.loss;
          const now = performance.now();
          if (now - lastReport < 250 && r.step < r.totalSteps) return;
          lastReport = now;
          progress({ phase: 'training', step: r.step, epoch: r.epoch, totalSteps: r.totalSteps, fraction: r.step / Math.max(r.totalSteps, 1), etaSeconds: r.etaSeconds, loss: r.loss, tokensPerSecond: lastTps, backend: backend.name });
        },
        onLog: (r) => {
          lastTps = r.tokensPerSecond;
          const wall = Date.now() / 1000;
          const points = [
            { name: 'train/loss', step: r.step, epoch: r.epoch, wall_time: wall, value: r.loss },
            { name: 'train/lr', step: r.step, epoch: r.epoch, wall_time: wall, value: r.lr },
            { name: 'train/grad_norm', step: r.step, epoch: r.epoch, wall_time: wall, value: r.gradNorm },
            { name: 'train/tokens_per_s', step: r.step, epoch: r.epoch, wall_time: wall, value: r.tokensPerSecond },
          ];
          writes.write(() => recordMetrics(db, runId, points));
        },
        onValidationStart: (step) => progress({ phase: 'validating', step, epoch: trainer.epochsDone, loss: lastLoss, backend: backend.name, totalSteps: trainer.plannedSteps, fraction: step / Math.max(trainer.plannedSteps, 1) }),
        onBusy: () => progress({ phase: 'validating', step: trainer.step, epoch: trainer.epochsDone, loss: lastLoss, backend: backend.name, totalSteps: trainer.plannedSteps, fraction: trainer.step / Math.max(trainer.plannedSteps, 1) }),
        onValidation: (r) => {
          const wall = Date.now() / 1000;
          const at = { step: r.step, epoch: r.epoch, wall_time: wall };
          const points = [
            { name: 'valid/loss', ...at, value: r.loss },
            { name: 'valid/ppl', ...at, value: r.ppl },
            { name: 'valid/bleu', ...at, value: r.bleu },
            { name: 'valid/chrf', ...at, value: r.chrf },
            { name: 'valid/seconds', ...at, value: r.seconds },
          ];
          const samples = r.samples.map((s) => ({ idx: s.idx, source: s.source, reference: s.reference, hypothesis: s.hypothesis }));
          writes.write(() => {
            recordMetrics(db, runId, points);
            recordSamples(db, runId, r.step, samples);
            updateRunEnvironment(db, runId, { bleu_signature: r.bleuSignature, chrf_signature: r.chrfSignature });
          });
        },
        onCheckpoint: (r) => {
          writes.write(() => addCheckpoint(db, runId, { step: r.step, epoch: r.epoch, path: r.dir, kind: r.role, metricName: r.metricName, metricValue: r.score }));
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
        // Deleting or stripping a checkpoint's files waits in the queue behind the index changes that stop pointing at them.
        afterRecorded: (change) => writes.write(change),
      },
    });
    opts.onStopRequest?.(() => trainer.requestStop());
    const reason = await trainer.run();
    trainer.dispose();
    const status = reason === 'cancelled' ? 'cancelled' : 'completed';
    const env = { stop_reason: reason, peak_rss_mb: Math.round(peakRss / 2 ** 20), finished_step: trainer.step };
    writes.write(() => updateRunEnvironment(db, runId, env));
    progress({ phase: 'done', step: trainer.step, epoch: trainer.epochsDone, totalSteps: trainer.plannedSteps, fraction: 1, loss: lastLoss, backend: backend.name, message: reason }, true);
    writes.write(() => finishRun(db, runId, status));
    await writes.drain();
    return status;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    writes.write(() => finishRun(db, runId, 'failed', message));
    await writes.drain();
    throw err;
  } finally {
    model?.dispose();
    db.close();
  }
}

function environment(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const version = (pkg: string) => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  };
  return {
    node: process.versions.node,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpu_count: cpus().length,
    total_memory_mb: Math.round(totalmem() / 2 ** 20),
    tfjs: version('@tensorflow/tfjs-core'),
    tfjs_backend_wasm: version('@tensorflow/tfjs-backend-wasm'),
    better_sqlite3: version('better-sqlite3'),
  };
}

export { openDb, type Db };
