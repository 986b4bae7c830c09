import type { RunConfig } from './config.ts';

/**
 * The run queue's entries, one shape for the store (core/store/queue.ts, table `queue`) and the
 * contract. An entry is a launch that waits: a config validated when it was queued, started by the
 * scheduler (core/runs/queue-scheduler.ts) in position order, at most K at once. States:
 *   waiting → started (it has a run) → done (the run ended: outcome says how);
 *   waiting ⇄ held (paused by the user: skipped, keeps its place); waiting/held/started → cancelled.
 */
export type QueueState = 'waiting' | 'held' | 'started' | 'done' | 'cancelled';

export interface QueueEntry {
  id: number;
  position: number;
  state: QueueState;
  name: string;
  preset: string | null;
  config: RunConfig;
  backend: string | null;
  sweepId: number | null;
  runId: number | null;
  /** trainer starts: the first and each resume after an interruption */
  attempts: number;
  /** done: the run's final status, or why it could not start */
  outcome: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
