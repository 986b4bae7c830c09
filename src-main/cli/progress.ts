import { trackProgress, type TaskProgress } from '../core/data/task-progress.ts';

/**
 * A one-line progress bar on stderr, redrawn at most 10 times a second and
 * only on a TTY (pipes and CI logs get nothing but the final summary).
 */
export class ProgressBar {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly enabled: boolean,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  /** fraction in [0, 1] or null when unknown; text: what to show after the bar */
  update(fraction: number | null, text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const width = 24;
    const bar =
      fraction === null
        ? ''
        : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ` +
          `${(fraction * 100).toFixed(0).padStart(3)}% `;
    this.out.write(`\r\x1b[2K${bar}${text}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
    : `${m}:${String(sec).padStart(2, '0')}`;
}

/**
 * A dataset task's progress (core/data/task-progress.ts: a filter preview or apply, a retrain's snapshot) drawn on
 * the bar as its step, rows and ETA. Nothing cancels it from here: Ctrl-C ends the process, and the task's write,
 * one transaction, is rolled back.
 */
export function datasetTaskBar(bar: ProgressBar): TaskProgress {
  return trackProgress(
    (u) => {
      const rows = u.total > 1 ? ` ${u.rows.toLocaleString('en')}/${u.total.toLocaleString('en')}` : '';
      bar.update(u.fraction, `${u.step}${rows}  ETA ${formatEta(u.etaSeconds)}`);
    },
    () => false,
  );
}
