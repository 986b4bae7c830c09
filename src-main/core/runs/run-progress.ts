import type { Db } from '../store/db.ts';
import { updateRunProgress, type RunProgress } from '../store/runs.ts';
import type { WriteQueue } from '../store/write-queue.ts';

/**
 * A running job's progress: stored as runs.progress (which doubles as the heartbeat
 * other processes watch) and sent to `report` for live UIs. A snapshot is skipped
 * while the store is busy (the next one replaces it), except the last. It also keeps
 * the job's peak RSS, sampled at every snapshot.
 */
export type ProgressUpdate = Partial<RunProgress> & Pick<RunProgress, 'phase'>;

export class RunProgressReporter {
  private peak = process.memoryUsage().rss;

  constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly writes: WriteQueue,
    private readonly report?: (p: RunProgress) => void,
  ) {}

  send(update: ProgressUpdate, final = false): void {
    const full: RunProgress = {
      step: 0,
      epoch: 0,
      totalSteps: 0,
      fraction: 0,
      etaSeconds: null,
      loss: null,
      tokensPerSecond: null,
      backend: null,
      ...update,
    };
    if (final) this.writes.write(() => updateRunProgress(this.db, this.runId, full));
    else this.writes.writeIfFree(() => updateRunProgress(this.db, this.runId, full));
    this.report?.(full);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  get peakRssMb(): number {
    return Math.round(this.peak / 2 ** 20);
  }
}
