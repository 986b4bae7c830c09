import type { Output, ParsedInput } from '../../common/contract.ts';
import { runDatasetTask, type DatasetTaskChannel } from '../data/dataset-tasks.ts';
import { DatasetWorker } from '../data/dataset-worker.ts';
import { trackProgress, type TaskProgressUpdate } from '../data/task-progress.ts';
import type { HandlerContext } from './handler-context.ts';

/**
 * Runs a slow dataset task (dataset-tasks.ts) for a channel's handler, off the service's event loop. With a jobId,
 * the task's progress goes out as job.progress events (as an import's does) and jobs.cancel(jobId) stops it
 * (nothing written: its write is one transaction).
 */
export type DatasetWork = <K extends DatasetTaskChannel>(
  channel: K,
  input: ParsedInput<K>,
  jobId?: string,
) => Promise<Output<K>>;

type RunTask = <K extends DatasetTaskChannel>(
  channel: K,
  input: ParsedInput<K>,
  signal: AbortSignal,
  onProgress: (u: TaskProgressUpdate) => void,
) => Promise<Output<K>>;

// One worker per service (the filter and version handlers share it), keyed by the service's closing signal.
const perService = new WeakMap<AbortSignal, DatasetWork>();

/**
 * The service's dataset worker thread, started on its first task and ended when the service closes. A store
 * in memory cannot be opened by a second connection: there the task runs in-process, as before (its progress
 * is sent; a cancel is seen only before it starts, as nothing else runs meanwhile).
 */
export function datasetWork(h: HandlerContext): DatasetWork {
  const known = perService.get(h.closing);
  if (known) return known;
  let run: RunTask;
  if (h.dbPath === ':memory:' || h.dbPath === '') {
    run = async (channel, input, signal, onProgress) =>
      runDatasetTask(
        h.db,
        channel,
        input,
        trackProgress(onProgress, () => signal.aborted),
      );
  } else {
    const worker = new DatasetWorker(h.dbPath);
    h.closing.addEventListener('abort', () => worker.close(), { once: true });
    run = (channel, input, signal, onProgress) => worker.run(channel, input, { signal, onProgress });
  }
  const work: DatasetWork = async (channel, input, jobId) => {
    const job = new AbortController();
    if (jobId) h.jobs.set(jobId, job);
    const progress = (u: TaskProgressUpdate) => {
      if (!jobId) return;
      const { rows, fraction, rowsPerSecond, etaSeconds, step, total } = u;
      h.emit({ type: 'job.progress', jobId, rows, fraction, rowsPerSecond, etaSeconds, step, total });
    };
    try {
      return await run(channel, input, job.signal, progress);
    } finally {
      if (jobId && h.jobs.get(jobId) === job) h.jobs.delete(jobId);
    }
  };
  perService.set(h.closing, work);
  return work;
}
