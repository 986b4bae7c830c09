import { WorkbenchError } from '../../common/errors.ts';

/**
 * How a long dataset task (a filter preview or apply, a version snapshot or diff) tells how far it is, and where it
 * stops when cancelled. A task is a sequence of steps ("measuring pairs", "hashing the head", ...); each step reports
 * rows done of its total. A report is also the task's cancel point: it throws a WorkbenchError 'cancelled' once the
 * task was cancelled, so a write in progress is rolled back with its transaction and nothing is written.
 */
export interface TaskProgress {
  /** `done` of `total` rows of the step named `step`; throws 'cancelled' once the task is cancelled */
  report(step: string, done: number, total: number): void;
  /** the progress of a part of the task that spans [from, to] of the whole (fractions of 1) */
  part(from: number, to: number): TaskProgress;
}

/** Where a task stands, as the service forwards it (a job.progress event). */
export interface TaskProgressUpdate {
  step: string;
  rows: number;
  total: number;
  /** of the whole task, 0..1 */
  fraction: number;
  /** rows per second in the current step */
  rowsPerSecond: number;
  /** the rest of the task at the current step's pace; null at a step's first report (no pace yet) */
  etaSeconds: number | null;
}

/** A task nobody watches and nobody cancels (the CLI, tests of the core). */
export const NO_PROGRESS: TaskProgress = {
  report: () => {},
  part: () => NO_PROGRESS,
};

/** How often a step's rows are worth a report: about every 1% of its total, and never each row. */
export function reportEvery(total: number): number {
  return Math.max(1000, Math.ceil(total / 100));
}

/**
 * Progress that sends updates to `send` (at most one per percent of the whole task, and one at each new step, so a
 * 1M-pair task sends about a hundred, whatever the machine's speed) and checks `cancelled` at every report.
 */
export function trackProgress(
  send: (u: TaskProgressUpdate) => void,
  cancelled: () => boolean,
  now: () => number = () => performance.now(),
): TaskProgress {
  // The ETA goes by the pace of the current step (since its first report): a part that took no time (a
  // preview's cached measure) must not make the rest look instant.
  let stepStart = { at: now(), fraction: 0 };
  let lastStep = '';
  let sentFraction = -1;
  const scaled = (from: number, to: number): TaskProgress => ({
    report(step, done, total) {
      if (cancelled()) throw new WorkbenchError('cancelled', `cancelled while ${step}`);
      const within = total > 0 ? Math.min(done / total, 1) : 1;
      const fraction = from + (to - from) * within;
      const newStep = step !== lastStep;
      const t = now();
      if (newStep) {
        lastStep = step;
        stepStart = { at: t, fraction };
      } else if (fraction < sentFraction + 0.01) return;
      sentFraction = Math.max(sentFraction, fraction);
      const gained = fraction - stepStart.fraction;
      const rowsPerSecond = done / Math.max((t - stepStart.at) / 1000, 1e-3);
      const etaSeconds = gained > 0 ? ((t - stepStart.at) / 1000) * ((1 - fraction) / gained) : null;
      send({ step, rows: done, total, fraction, rowsPerSecond, etaSeconds });
    },
    part: (a, b) => scaled(from + (to - from) * a, from + (to - from) * b),
  });
  return scaled(0, 1);
}
