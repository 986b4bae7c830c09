import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { badInput } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { type AveragedCheckpoint, type AveragePlan, planAverage, recordAverage } from './average-plan.ts';
import { assignWeights, loadCheckpoint, readModelWeights, saveCheckpoint } from './checkpoint.ts';

/** Checkpoint averaging's tensor work: the mean of the planned checkpoints' weights (average-plan.ts plans it). */
export async function averageLastCheckpoints(db: Db, runId: number, last: number): Promise<AveragedCheckpoint> {
  const plan = planAverage(db, runId, last);
  await writeAverage(plan);
  return recordAverage(db, plan);
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
