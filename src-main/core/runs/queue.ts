import { conflict } from '../../common/errors.ts';
import type { Db } from '../store/db.ts';
import { holderAlive, schedulerRow } from '../store/queue-claim.ts';
import { enqueue, finishEntry, getQueueEntry, listQueue, type QueueEntry, type QueueState } from '../store/queue.ts';
import { findRun } from '../store/runs.ts';
import { createSweep, type SweepRecord } from '../store/sweeps.ts';
import { chooseBackend } from '../tf/backend-choice.ts';
import { resolveConfig, type LaunchRequest } from './launch.ts';
import { cancelRun } from './lifecycle.ts';
import { machineCapacity } from './queue-capacity.ts';
import { expandSweep, type SweepSpec } from './sweep.ts';

/**
 * The queue's operations, once for every door (the CLI's `sweep` and `queue`, the service's queue.*
 * and sweep.launch). Everything is checked before anything is queued; the scheduler
 * (queue-scheduler.ts) starts what waits here.
 */

/** Queues one launch (the launch form's "queue" choice): checked as a launch is, started by the scheduler. */
export function queueLaunch(db: Db, req: LaunchRequest & { backend?: string }): QueueEntry {
  if (req.backend !== undefined) chooseBackend(req.backend);
  const config = resolveConfig(req);
  return enqueue(db, [{ name: req.name, preset: req.preset ?? null, config, backend: req.backend ?? null }])[0];
}

/** Expands and checks every run of the sweep, then queues them all under one sweep id (all or none). */
export function queueSweep(
  db: Db,
  spec: SweepSpec & { backend?: string },
): { sweep: SweepRecord; entries: QueueEntry[] } {
  if (spec.backend !== undefined) chooseBackend(spec.backend);
  const runs = expandSweep(spec);
  return db.transaction(() => {
    const sweep = createSweep(db, { ...spec }, spec.name);
    const entries = enqueue(
      db,
      runs.map((r) => ({
        name: `${sweep.name} ${r.label}`.trim(),
        preset: spec.preset ?? null,
        config: r.config,
        backend: spec.backend ?? null,
        sweepId: sweep.id,
      })),
    );
    return { sweep, entries };
  })();
}

/**
 * Cancels an entry: one that waits is dropped; one that runs is asked to stop as `runs cancel` does
 * (`live`: its trainer's handle when this process started it), and the entry is over at once.
 */
export function cancelQueueEntry(db: Db, id: number, live?: { cancel(): void }): QueueEntry {
  const e = getQueueEntry(db, id);
  if (e.state === 'done' || e.state === 'cancelled') throw conflict(`queue entry ${id} is already ${e.state}`);
  if (e.state === 'started' && e.runId !== null) {
    const run = findRun(db, e.runId);
    if (run && (run.status === 'running' || run.status === 'queued')) cancelRun(db, e.runId, live);
  }
  finishEntry(db, id, 'cancelled', 'cancelled');
  return getQueueEntry(db, id);
}

/** Cancels every open entry of a sweep; `live` finds the handle of a trainer this process runs. */
export function cancelSweep(db: Db, sweepId: number, live?: (runId: number) => { cancel(): void } | undefined): number {
  const open = listQueue(db, { sweepId });
  for (const e of open) cancelQueueEntry(db, e.id, e.runId !== null ? live?.(e.runId) : undefined);
  return open.length;
}

export interface QueueStatus {
  paused: boolean;
  /** the stored setting (null: the machine's capacity) */
  maxConcurrent: number | null;
  /** what this machine can take (the default K) */
  machineCapacity: number;
  /** the live scheduler holding the queue, if any */
  scheduler: { pid: number; host: string; heartbeatAt: string } | null;
  entries: QueueEntry[];
}

export function queueStatus(db: Db, states?: readonly QueueState[]): QueueStatus {
  const row = schedulerRow(db);
  const live = holderAlive(row);
  return {
    paused: row.paused,
    maxConcurrent: row.maxConcurrent,
    machineCapacity: machineCapacity(),
    scheduler: live ? { pid: row.pid as number, host: row.host ?? '', heartbeatAt: row.heartbeatAt ?? '' } : null,
    entries: listQueue(db, { states }),
  };
}
