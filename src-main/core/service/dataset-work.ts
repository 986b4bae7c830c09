import type { Output, ParsedInput } from '../../common/contract.ts';
import { runDatasetTask, type DatasetTaskChannel } from '../data/dataset-tasks.ts';
import { DatasetWorker } from '../data/dataset-worker.ts';
import type { HandlerContext } from './handler-context.ts';

/** Runs a slow dataset task (dataset-tasks.ts) for a channel's handler, off the service's event loop. */
export type DatasetWork = <K extends DatasetTaskChannel>(channel: K, input: ParsedInput<K>) => Promise<Output<K>>;

// One worker per service (the filter and version handlers share it), keyed by the service's closing signal.
const perService = new WeakMap<AbortSignal, DatasetWork>();

/**
 * The service's dataset worker thread, started on its first task and ended when the service closes. A store
 * in memory cannot be opened by a second connection: there the task runs in-process, as before.
 */
export function datasetWork(h: HandlerContext): DatasetWork {
  const known = perService.get(h.closing);
  if (known) return known;
  let work: DatasetWork;
  if (h.dbPath === ':memory:' || h.dbPath === '') {
    work = async (channel, input) => runDatasetTask(h.db, channel, input);
  } else {
    const worker = new DatasetWorker(h.dbPath);
    h.closing.addEventListener('abort', () => worker.close(), { once: true });
    work = (channel, input) => worker.run(channel, input);
  }
  perService.set(h.closing, work);
  return work;
}
