import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../common/errors.ts';
import { averagedLabel } from '../service/checkpoint-labels.ts';
import type { Db } from '../store/db.ts';
import { addCheckpoint, type CheckpointRecord, listCheckpoints, removeCheckpoint } from '../store/checkpoints.ts';
import { getRun } from '../store/runs.ts';
import { storeDir } from '../store/store-dir.ts';

/**
 * Checkpoint averaging (Vaswani et al. 2017, 6.1; fairseq's average_checkpoints.py):
 * the element-wise mean of the weights of a run's last N checkpoints, saved as a new
 * checkpoint of the run (kind 'averaged') that translate, evaluate and export load
 * like any other. It has no resume files: training never continues from it. Planned and recorded here in the
 * store, without tfjs (the app's service does both); the weights are averaged by average.ts.
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

/** The run's last `last` trained checkpoints, checked to share one vocabulary, and the average's folder. */
export function planAverage(db: Db, runId: number, last: number): AveragePlan {
  getRun(db, runId); // not_found names the run
  const picked = lastTrainedCheckpoints(db, runId, last);
  checkSamePipeline(picked);
  const newest = picked[picked.length - 1];
  const dir = join(storeDir(db), 'runs', String(runId), `averaged-last-${last}-step-${newest.step}`);
  return { runId, last, sources: picked.map((c) => ({ path: c.path, step: c.step, epoch: c.epoch })), dir };
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
