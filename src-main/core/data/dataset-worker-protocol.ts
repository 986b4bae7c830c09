import type { Output, ParsedInput } from '../../common/contract.ts';
import type { SerializedError } from '../../common/errors.ts';
import type { DatasetTaskChannel } from './dataset-tasks.ts';
import type { TaskProgressUpdate } from './task-progress.ts';

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
  /**
   * The task's cancel flag (an Int32Array of one over it; 1: cancelled). Shared memory, because the worker runs a
   * task without returning to its event loop, so no message could reach it before the task ends: the task reads
   * the flag at each progress report (task-progress.ts). Raised before the task starts, it never starts.
   */
  cancel: SharedArrayBuffer;
}

/** the answer to request `id`: the channel's output, or the WorkbenchError it threw (same code) */
export type DatasetReply<K extends DatasetTaskChannel = DatasetTaskChannel> =
  { id: number; ok: true; value: Output<K> } | { id: number; ok: false; error: SerializedError };

/** how far request `id` is, while it runs (about one per percent) */
export interface DatasetProgressMessage {
  id: number;
  progress: TaskProgressUpdate;
}

export type DatasetWorkerMessage = DatasetReply | DatasetProgressMessage;
