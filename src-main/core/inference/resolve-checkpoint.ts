import { badInput, notFound } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import {
  bestCheckpoint,
  type CheckpointRecord,
  latestAveragedCheckpoint,
  latestCheckpoint,
  listCheckpoints,
} from '../store/checkpoints.ts';
import { getRun } from '../store/runs.ts';

/**
 * Which checkpoint of a run a name means, resolved in the store alone (no tfjs): the service, export,
 * fine-tuning and the launch checks resolve one without loading the model code.
 */
/** best | latest | averaged (the newest average) | a step number → the checkpoint record. */
export function resolveCheckpoint(db: Db, runId: number, which: string = 'best'): CheckpointRecord {
  const run = getRun(db, runId);
  const all = listCheckpoints(db, runId);
  if (all.length === 0) throw notFound(`run ${runId} (${run.status}) has no checkpoint yet`);
  if (which === 'best') return bestCheckpoint(db, runId) ?? (latestCheckpoint(db, runId) as CheckpointRecord);
  if (which === 'latest') return latestCheckpoint(db, runId) as CheckpointRecord;
  const averaged = which === 'averaged' ? latestAveragedCheckpoint(db, runId) : undefined;
  if (averaged) return averaged;
  // A step names the checkpoint training saved there, not an average that ends at that step.
  const trained = all.filter((c) => c.kind !== 'averaged');
  const step = Number(which);
  const hit = trained.find((c) => c.step === step);
  if (!Number.isInteger(step) || !hit) {
    const names = ['best', 'latest', ...(trained.length < all.length ? ['averaged'] : [])].join(', ');
    throw badInput(
      `run ${runId} has no checkpoint "${which}" (${names} or one of steps ${trained.map((c) => c.step).join(', ')})`,
      {
        field: 'checkpoint',
      },
    );
  }
  return hit;
}
