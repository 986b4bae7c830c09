import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { getDatasetByName } from '../data/builtin.ts';
import { ensureSplit, loadSplitPairs } from '../data/splits.ts';
import { buildModel } from '../model/build.ts';
import type { Seq2SeqModel } from '../model/types.ts';
import { datasetHash } from '../store/datasets.ts';
import { openDb, type Db } from '../store/db.ts';
import { addCheckpoint, latestCheckpoint, listCheckpoints, removeCheckpoint, setCheckpointKind } from '../store/checkpoints.ts';
import { recordMetrics, recordSamples, truncateRunAfter } from '../store/run-metrics.ts';
import { finishRun, getRun, markRunning, recordRunSetup, type RunProgress, updateRunEnvironment, updateRunProgress } from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';
import { TextPipeline } from '../text/pipeline.ts';
import { initBackend, type BackendPreference } from '../tf/backend.ts';
import { loadCheckpoint, pipelineHash, readResumeState, type ResumeState } from '../train/checkpoint.ts';
import { Trainer } from '../train/trainer.ts';
import { makeValidationSet } from '../train/validate.ts';

/**
 * One training run, executed inside the worker process: prepares data and
 * model (or restores the latest checkpoint), trains, and writes everything
 * (metrics, samples, checkpoints, progress heartbeat, final status) to the
 * store as it happens. Progress also goes to `report` for live UIs.
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
  const db = openDb(opts.dbPath);
  const { runId } = opts;
  let peakRss = process.memoryUsage().rss;
  const run = getRun(db, runId);
  const config = run.config;
  markRunning(db, runId, process.pid);
  const progress = (p: Partial<RunProgress> & Pick<RunProgress, 'phase'>) => {
    const full: RunProgress = { step: 0, epoch: 0, totalSteps: 0, fraction: 0, etaSeconds: null, loss: null, tokensPerSecond: null, backend: null, ...p };
    updateRunProgress(db, runId, full);
    opts.report?.(full);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  progress({ phase: 'preparing', message: 'loading backend and data' });
  let model: Seq2SeqModel | undefined;
  try {
    const backend = await initBackend(opts.backend);
    const dataset = await getDatasetByName(db, config.dataset);
    const split = ensureSplit(db, dataset.id, config.split, { seed: config.split_seed, valid_ratio: config.valid_ratio, test_ratio: config.test_ratio });
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
      truncateRunAfter(db, runId, latest.step);
    } else {
      pipeline = TextPipeline.fit(trainPairs, config);
      model = buildModel(config, pipeline.srcVocab.size, pipeline.trgVocab.size, config.random_seed);
    }
    const encode = (p: { id: number; source: string; target: string }) => ({ id: p.id, src: pipeline.encodeSource(p.source), trg: pipeline.encodeTarget(p.target) });
    const train = trainPairs.map(encode).filter((e) => e.src.length > 0 && e.src.length <= config.max_sent_length && e.trg.length <= config.max_sent_length);
    recordRunSetup(db, runId, {
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
        src_vocab: pipeline.srcVocab.size,
        trg_vocab: pipeline.trgVocab.size,
        train_pairs: train.length,
        skipped_long_pairs: trainPairs.length - train.length,
        valid_pairs: validPairs.length,
        valid_on_train: validOnTrain,
        parameters: [...model.variables.values()].reduce((s, v) => s + v.size, 0),
      },
    });

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
          recordMetrics(db, runId, [
            { name: 'train/loss', step: r.step, epoch: r.epoch, wall_time: wall, value: r.loss },
            { name: 'train/lr', step: r.step, epoch: r.epoch, wall_time: wall, value: r.lr },
            { name: 'train/grad_norm', step: r.step, epoch: r.epoch, wall_time: wall, value: r.gradNorm },
            { name: 'train/tokens_per_s', step: r.step, epoch: r.epoch, wall_time: wall, value: r.tokensPerSecond },
          ]);
        },
        onValidationStart: (step) => progress({ phase: 'validating', step, loss: lastLoss, backend: backend.name, totalSteps: trainer.plannedSteps, fraction: step / Math.max(trainer.plannedSteps, 1) }),
        onBusy: () => progress({ phase: 'validating', step: trainer.step, loss: lastLoss, backend: backend.name, totalSteps: trainer.plannedSteps, fraction: trainer.step / Math.max(trainer.plannedSteps, 1) }),
        onValidation: (r) => {
          const wall = Date.now() / 1000;
          const at = { step: r.step, epoch: r.epoch, wall_time: wall };
          db.transaction(() => {
            recordMetrics(db, runId, [
              { name: 'valid/loss', ...at, value: r.loss },
              { name: 'valid/ppl', ...at, value: r.ppl },
              { name: 'valid/bleu', ...at, value: r.bleu },
              { name: 'valid/chrf', ...at, value: r.chrf },
              { name: 'valid/seconds', ...at, value: r.seconds },
            ]);
            recordSamples(db, runId, r.step, r.samples.map((s) => ({ idx: s.idx, source: s.source, reference: s.reference, hypothesis: s.hypothesis })));
          })();
          updateRunEnvironment(db, runId, { bleu_signature: r.bleuSignature, chrf_signature: r.chrfSignature });
        },
        onCheckpoint: (r) => {
          addCheckpoint(db, runId, { step: r.step, epoch: r.epoch, path: r.dir, kind: r.role, metricName: r.metricName, metricValue: r.score });
        },
        onCheckpointRemoved: (dir) => {
          for (const c of listCheckpoints(db, runId)) if (c.path === dir) removeCheckpoint(db, c.id);
        },
        onCheckpointRoleChanged: (dir, role) => {
          for (const c of listCheckpoints(db, runId)) if (c.path === dir) setCheckpointKind(db, c.id, role);
        },
      },
    });
    opts.onStopRequest?.(() => trainer.requestStop());
    const reason = await trainer.run();
    trainer.dispose();
    const status = reason === 'cancelled' ? 'cancelled' : 'completed';
    updateRunEnvironment(db, runId, { stop_reason: reason, peak_rss_mb: Math.round(peakRss / 2 ** 20), finished_step: trainer.step });
    progress({ phase: 'done', step: trainer.step, totalSteps: trainer.plannedSteps, fraction: 1, loss: lastLoss, backend: backend.name, message: reason });
    finishRun(db, runId, status);
    return status;
  } catch (err) {
    finishRun(db, runId, 'failed', err instanceof Error ? err.message : String(err));
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
