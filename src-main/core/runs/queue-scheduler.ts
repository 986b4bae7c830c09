import { findRun, markStopAsInterrupted, recoverInterruptedRuns } from '../store/runs.ts';
import type { Db } from '../store/db.ts';
import { claimScheduler, newHolderToken, releaseScheduler, schedulerRow } from '../store/queue-claim.ts';
import {
  countEntryAttempt,
  finishEntry,
  linkEntryRun,
  listQueue,
  markEntryStarting,
  nextWaiting,
  returnEntryToWaiting,
  type QueueEntry,
} from '../store/queue.ts';
import type { RunHandle, SpawnWorker } from './launcher.ts';
import { launchRun, resumeRun } from './lifecycle.ts';
import { machineCapacity } from './queue-capacity.ts';

/**
 * Starts queued runs, at most K trainers at once, and keeps the queue going across restarts. Every
 * decision is read from the store on each tick (not from what this process remembers), so a scheduler
 * that starts after another died continues its queue:
 *
 * - an entry whose run is running counts against K (whoever started it);
 * - an entry whose run ended (completed, failed, cancelled by the user) is done;
 * - an entry whose run was interrupted (its scheduler killed, the machine rebooted) is resumed from
 *   its last checkpoint, up to MAX_ATTEMPTS trainer starts, before new entries start;
 * - then waiting entries start in queue order until K are running, unless the queue is paused.
 *
 * One scheduler per store: each tick first claims the queue (store/queue-claim.ts); a scheduler that
 * does not hold it waits, and takes over once the holder is gone. Launch and resume go through
 * lifecycle.ts, the rules every door uses.
 */
export interface QueueSchedulerOptions {
  /** K for this scheduler; default: the stored setting (queue.setMaxConcurrent), else machineCapacity() */
  maxConcurrent?: number;
  /**
   * Start only this sweep's entries (a foreground `workbench sweep`: it ends with its sweep, and other
   * entries wait for the app or `queue run`). Every running trainer still counts against K.
   */
  onlySweep?: number;
  spawn?: SpawnWorker;
  tickMs?: number;
  /** a trainer this scheduler started or resumed (the service forwards its progress to the UI) */
  onStart?: (handle: RunHandle, entry: QueueEntry) => void;
  /** something in the queue moved (an entry started or ended) */
  onChange?: () => void;
  /** a line for the user: why an entry could not start */
  log?: (line: string) => void;
}

/** Trainer starts per entry (the first and the resumes): a run that keeps dying is given up on. */
export const MAX_ATTEMPTS = 3;

export class QueueScheduler {
  readonly token = newHolderToken();
  /** trainers this scheduler started, by run id, until their process exits */
  private readonly handles = new Map<number, RunHandle>();
  private readonly launching = new Set<number>();
  private readonly defaultCapacity = machineCapacity();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  /** whether this scheduler held the queue at its last tick */
  holds = false;

  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
    private readonly opts: QueueSchedulerOptions = {},
  ) {}

  /** Ticks every tickMs (default 1 s) until stop/release; the timer does not keep the process alive. */
  start(): this {
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref();
    void this.tick();
    return this;
  }

  /** K now: this scheduler's option, the stored setting, or what the machine can take. */
  capacity(): number {
    return this.opts.maxConcurrent ?? schedulerRow(this.db).maxConcurrent ?? this.defaultCapacity;
  }

  /** Trainers this scheduler started that are still running. */
  get running(): number {
    return this.handles.size;
  }

  /** One pass over the queue (ticks never overlap: a tick asked for during one waits for it). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= this.pass()
      .catch((err: unknown) => this.opts.log?.(`queue: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async pass(): Promise<void> {
    const { db } = this;
    // An empty queue costs no write (the app ticks all day): the claim is taken only when there is work,
    // and given back when the work is over, so another door's scheduler can take the next sweep at once.
    if (listQueue(db).length === 0 && this.handles.size === 0) {
      if (this.holds) releaseScheduler(db, this.token);
      this.holds = false;
      return;
    }
    this.holds = claimScheduler(db, this.token);
    if (!this.holds) return;
    recoverInterruptedRuns(db); // a trainer that died unseen: its run becomes interrupted, and resumable here
    let active = 0;
    const toResume: QueueEntry[] = [];
    for (const e of listQueue(db, { states: ['started'] })) {
      if (e.runId === null) {
        if (this.launching.has(e.id)) active++;
        else returnEntryToWaiting(db, e.id); // a scheduler died between taking it and creating its run
        continue;
      }
      const run = findRun(db, e.runId);
      if (!run) this.settle(e, 'done', 'its run was deleted');
      else if (run.status === 'running' || run.status === 'queued' || this.handles.has(run.id)) active++;
      else if (run.status === 'interrupted' && e.attempts < MAX_ATTEMPTS) {
        if (this.opts.onlySweep === undefined || e.sweepId === this.opts.onlySweep) toResume.push(e);
      } else if (run.status === 'interrupted') this.settle(e, 'done', `interrupted ${e.attempts} times: ${run.error}`);
      else this.settle(e, 'done', run.status);
    }
    if (schedulerRow(db).paused) return;
    const k = this.capacity();
    for (const e of toResume) {
      if (active >= k || this.stopped) return;
      if (this.resume(e)) active++;
    }
    while (active < k && !this.stopped) {
      const next = nextWaiting(db, this.opts.onlySweep);
      if (!next) return;
      if (await this.launch(next)) active++;
    }
  }

  private settle(e: QueueEntry, state: 'done' | 'cancelled', outcome: string): void {
    if (finishEntry(this.db, e.id, state, outcome)) this.opts.onChange?.();
  }

  private async launch(e: QueueEntry): Promise<boolean> {
    if (!markEntryStarting(this.db, e.id)) return false;
    this.launching.add(e.id);
    try {
      const handle = await launchRun(
        this.db,
        this.dbPath,
        { config: e.config, preset: e.preset ?? undefined, name: e.name || undefined },
        {
          backend: e.backend ?? undefined,
          spawn: this.opts.spawn,
          onCreated: (run) => linkEntryRun(this.db, e.id, run.id),
        },
      );
      this.adopt(handle, e);
      return true;
    } catch (err) {
      // Refused before the trainer ran (the dataset deleted since it was queued, the backend gone): the
      // entry is over, with the reason; the rest of the queue goes on.
      const why = err instanceof Error ? err.message : String(err);
      this.opts.log?.(`queue entry ${e.id} could not start: ${why}`);
      this.settle(e, 'done', `failed to start: ${why}`);
      return false;
    } finally {
      this.launching.delete(e.id);
    }
  }

  private resume(e: QueueEntry): boolean {
    try {
      countEntryAttempt(this.db, e.id);
      this.adopt(resumeRun(this.db, this.dbPath, e.runId as number, { spawn: this.opts.spawn }), e);
      return true;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.opts.log?.(`queue entry ${e.id}: run ${e.runId} did not resume: ${why}`);
      return false;
    }
  }

  private adopt(handle: RunHandle, e: QueueEntry): void {
    this.handles.set(handle.runId, handle);
    handle.on('exit', () => {
      this.handles.delete(handle.runId);
      void this.tick(); // a slot is free: the next entry starts now, not at the next timer tick
    });
    this.opts.onStart?.(handle, e);
    this.opts.onChange?.();
  }

  /**
   * Stops starting runs and lets the queue go (the trainers it started go on; their end is recorded).
   * Synchronous when no tick is under way: a door closes its store right after.
   */
  release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const free = () => {
      if (this.db.open) releaseScheduler(this.db, this.token);
    };
    if (!this.ticking) {
      free();
      return Promise.resolve();
    }
    return this.ticking.then(free);
  }

  /**
   * Stops the scheduler AND the trainers it started: each finishes its update, saves a checkpoint and
   * is recorded interrupted (not cancelled: nobody cancelled the run), so the next scheduler resumes it.
   */
  async stop(reason: string): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    const exits = [...this.handles.values()].map((h) => {
      const exited = new Promise<void>((resolve) => h.once('exit', () => resolve()));
      h.cancel();
      return exited.then(() => markStopAsInterrupted(this.db, h.runId, `${reason}; the queue resumes it`));
    });
    await Promise.all(exits);
    releaseScheduler(this.db, this.token);
  }

  /** Whether `sweepId`'s entries (or the whole queue's) are all over. */
  finished(sweepId?: number): boolean {
    return listQueue(this.db, { sweepId }).length === 0;
  }
}
