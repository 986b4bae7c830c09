import type { Output, ParsedInput } from '../../common/contract.ts';
import type { SerializedError } from '../../common/errors.ts';
import type { DatasetTaskChannel } from './dataset-tasks.ts';

/**
 * The messages between the service and its dataset worker thread (dataset-worker.ts starts it,
 * dataset-worker-entry.ts answers). Structured clone carries them: plain data, errors in their wire form.
 */

/** workerData: the store the worker opens its own connection to */
export interface DatasetWorkerInit {
  dbPath: string;
}

/** one task: a channel's work with its input, already validated by the service */
export interface DatasetRequest<K extends DatasetTaskChannel = DatasetTaskChannel> {
  id: number;
  channel: K;
  input: ParsedInput<K>;
}

/** the answer to request `id`: the channel's output, or the WorkbenchError it threw (same code) */
export type DatasetReply<K extends DatasetTaskChannel = DatasetTaskChannel> =
  { id: number; ok: true; value: Output<K> } | { id: number; ok: false; error: SerializedError };
