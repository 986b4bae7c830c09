import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../common/errors.ts';
import { averagedLabel } from '../service/checkpoint-labels.ts';
import type { Db } from '../store/db.ts';
import { addCheckpoint, type CheckpointRecord, listCheckpoints, removeCheckpoint } from '../store/checkpoints.ts';
import { getRun } from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';
import { assignWeights, loadCheckpoint, readModelWeights, saveCheckpoint } from './checkpoint.ts';

/**
 * Checkpoint averaging (Vaswani et al. 2017, 6.1; fairseq's average_checkpoints.py):
 * the element-wise mean of the weights of a run's last N checkpoints, saved as a new
 * checkpoint of the run (kind 'averaged') that translate, evaluate and export load
 * like any other. It has no resume files: training never continues from it.
 */
export interface AveragedCheckpoint {
  runId: number;
  checkpointId: number;
  path: string;
  /** the step of the newest averaged checkpoint (what the average stands for) */
  step: number;
  epoch: number;
  /** the steps of the checkpoints averaged, oldest first */
  steps: number[];
  label: string;
}

/** What the store records of an averaged checkpoint (checkpoints.detail). */
export interface AveragedDetail {
  averaged: { last: number; steps: number[] };
}

/**
 * What to average and where the average goes, resolved in the store. The app resolves it in the service
 * and writes the average in the inference process (off the event loop, which never opens the store), then
 * records it here again; the CLI does all three in one process (averageLastCheckpoints).
 */
export interface AveragePlan {
  runId: number;
  last: number;
  /** the checkpoints averaged, oldest first */
  sources: Array<{ path: string; step: number; epoch: number }>;
  /** the average's folder */
  dir: string;
}

export async function averageLastCheckpoints(db: Db, runId: number, last: number): Promise<AveragedCheckpoint> {
  const plan = planAverage(db, runId, last);
  await writeAverage(plan);
  return recordAverage(db, plan);
}

/** The run's last `last` trained checkpoints, checked to share one vocabulary, and the average's folder. */
export function planAverage(db: Db, runId: number, last: number): AveragePlan {
  getRun(db, runId); // not_found names the run
  const picked = lastTrainedCheckpoints(db, runId, last);
  checkSamePipeline(picked);
  const newest = picked[picked.length - 1];
  const dir = join(storeDir(db), 'runs', String(runId), `averaged-last-${last}-step-${newest.step}`);
  return { runId, last, sources: picked.map((c) => ({ path: c.path, step: c.step, epoch: c.epoch })), dir };
}

/** Averages the plan's checkpoints into its folder (tf only: no store). */
export async function writeAverage(plan: AveragePlan): Promise<void> {
  const { runId, sources, dir } = plan;
  const maps = sources.map((c) => readModelWeights(c.path));
  const newest = sources[sources.length - 1];
  // The newest checkpoint gives the model's shape, config and pipeline; its weights are replaced.
  const loaded = loadCheckpoint(newest.path);
  try {
    const mean = averageWeights(
      maps,
      sources.map((c) => c.path),
    );
    try {
      assignWeights(loaded.model, mean, dir);
    } finally {
      tf.dispose(Object.values(mean));
    }
    const meta = { runId, step: newest.step, epoch: newest.epoch };
    await saveCheckpoint(dir, { model: loaded.model, pipeline: loaded.pipeline, config: loaded.config, meta });
  } finally {
    loaded.model.dispose();
    for (const m of maps) tf.dispose(Object.values(m));
  }
  const steps = sources.map((c) => c.step);
  // Provenance travels with the folder too (an export or a copy of it says what it is).
  writeFileSync(
    join(dir, 'averaged.json'),
    JSON.stringify({ last: plan.last, steps, paths: sources.map((c) => c.path) }),
  );
}

/** Indexes the written average as a checkpoint of the run (kind 'averaged'). */
export function recordAverage(db: Db, plan: AveragePlan): AveragedCheckpoint {
  const { runId, last, sources, dir } = plan;
  const newest = sources[sources.length - 1];
  const steps = sources.map((c) => c.step);
  const detail: AveragedDetail = { averaged: { last, steps } };
  const checkpointId = db.transaction(() => {
    // Averaging the same checkpoints again replaces the folder: one index entry for it.
    for (const c of listCheckpoints(db, runId)) if (c.path === dir) removeCheckpoint(db, c.id);
    return addCheckpoint(db, runId, { step: newest.step, epoch: newest.epoch, path: dir, kind: 'averaged', detail });
  })();
  const label = averagedLabel({ ...detail });
  return { runId, checkpointId, path: dir, step: newest.step, epoch: newest.epoch, steps, label };
}

/** The run's last `last` checkpoints saved by training (earlier averages are not averaged again), oldest first. */
function lastTrainedCheckpoints(db: Db, runId: number, last: number): CheckpointRecord[] {
  const trained = listCheckpoints(db, runId).filter((c) => c.kind !== 'averaged');
  if (!Number.isInteger(last) || last < 1) {
    throw badInput(`--last must be a whole number of checkpoints, at least 1; got ${last}`, { field: 'last' });
  }
  if (trained.length === 0) throw badInput(`run ${runId} has no checkpoint to average`, { field: 'run' });
  if (last > trained.length) {
    const steps = trained.map((c) => c.step).join(', ');
    const kept = `${trained.length} checkpoint(s) (steps ${steps})`;
    const message = `run ${runId} keeps ${kept}; cannot average the last ${last}`;
    throw badInput(message, { field: 'last' });
  }
  return trained.slice(-last);
}

/** Averaging models with different vocabularies would mix the rows of different tokens. */
function checkSamePipeline(ckpts: readonly CheckpointRecord[]): void {
  const first = readFileSync(join(ckpts[0].path, 'pipeline.json'), 'utf8');
  for (const c of ckpts.slice(1)) {
    if (readFileSync(join(c.path, 'pipeline.json'), 'utf8') !== first) {
      const message =
        `${c.path}: its vocabulary differs from that of step ${ckpts[0].step}; ` +
        'only checkpoints of one vocabulary can be averaged';
      throw badInput(message, { file: join(c.path, 'pipeline.json') });
    }
  }
}

/**
 * The element-wise mean of named weights (every map must hold the same names and shapes).
 * Sums in float64, so the mean of N identical float32 weights is those weights exactly.
 */
export function averageWeights(maps: readonly tf.NamedTensorMap[], sources: readonly string[]): tf.NamedTensorMap {
  if (maps.length === 0) throw badInput('nothing to average');
  const out: tf.NamedTensorMap = {};
  const names = Object.keys(maps[0]).sort();
  maps.forEach((m, i) => {
    const other = Object.keys(m).sort();
    const missing = names.filter((n) => !(n in m));
    const extra = other.filter((n) => !(n in maps[0]));
    if (missing.length || extra.length) {
      const list = (names: string[]) => names.join(', ') || 'none';
      const diff = `missing: ${list(missing)}; extra: ${list(extra)}`;
      const message = `${sources[i]}: weights differ from ${sources[0]} (${diff})`;
      throw badInput(message, { file: sources[i] });
    }
  });
  for (const name of names) {
    const shape = maps[0][name].shape;
    const sum = new Float64Array(maps[0][name].size);
    maps.forEach((m, i) => {
      const t = m[name];
      if (!tf.util.arraysEqual(t.shape, shape)) {
        const message = `${sources[i]}: weight ${name} has shape [${t.shape}], ${sources[0]} has [${shape}]`;
        throw badInput(message, { file: sources[i] });
      }
      const values = t.dataSync();
      for (let j = 0; j < sum.length; j++) sum[j] += values[j];
    });
    const mean = new Float32Array(sum.length);
    for (let j = 0; j < sum.length; j++) mean[j] = sum[j] / maps.length;
    out[name] = tf.tensor(mean, shape, 'float32');
  }
  return out;
}
