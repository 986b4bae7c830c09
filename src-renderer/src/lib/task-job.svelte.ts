import { api, ApiError } from './api.ts';

/**
 * One slow dataset task at a time of a panel (a filter preview or apply, a version diff): its jobId, and what its
 * job.progress events said last, for TaskProgress.svelte to show with a Cancel button (jobs.cancel). The line
 * shows once the task reports real work: a cached preview answers before that and never flickers a bar.
 */
export class TaskJob {
  jobId = $state<string | null>(null);
  step = $state('');
  rows = $state(0);
  total = $state<number | null>(null);
  fraction = $state<number | null>(null);
  eta = $state<number | null>(null);
  /** true from the first progress past "starting" until the task ends */
  visible = $state(false);

  constructor(private readonly prefix: string) {}

  /** Runs `call` with a fresh jobId (a newer run replaces what is shown); its progress lands here until it ends. */
  async run<T>(call: (jobId: string) => Promise<T>): Promise<T> {
    const jobId = `${this.prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    [this.jobId, this.visible, this.step, this.rows, this.fraction, this.eta] = [jobId, false, '', 0, null, null];
    const off = api.onEvent((e) => {
      if (e.type !== 'job.progress' || e.jobId !== this.jobId) return;
      this.step = e.step ?? '';
      [this.rows, this.total, this.fraction, this.eta] = [e.rows, e.total ?? null, e.fraction, e.etaSeconds];
      if (e.step !== 'starting') this.visible = true;
    });
    try {
      return await call(jobId);
    } finally {
      off();
      if (this.jobId === jobId) [this.jobId, this.visible] = [null, false];
    }
  }

  /** Asks the service to stop the task: it ends with a "cancelled" error and writes nothing. */
  cancel(): void {
    if (this.jobId) void api.invoke('jobs.cancel', { jobId: this.jobId });
  }
}

/** A task ended by its Cancel button (not an error to show). */
export function wasCancelled(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'cancelled';
}
