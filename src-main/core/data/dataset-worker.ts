import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Output, ParsedInput } from '../../common/contract.ts';
import { WorkbenchError } from '../../common/errors.ts';
import { workerEntry } from '../worker-entries.ts';
import type { DatasetTaskChannel } from './dataset-tasks.ts';
import type { DatasetRequest, DatasetWorkerInit, DatasetWorkerMessage } from './dataset-worker-protocol.ts';
import type { TaskProgressUpdate } from './task-progress.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(err: WorkbenchError): void;
  onProgress?(update: TaskProgressUpdate): void;
}

/** What a caller may attach to one task: its cancel (aborting raises the task's flag) and its progress. */
export interface DatasetTaskOptions {
  signal?: AbortSignal;
  onProgress?(update: TaskProgressUpdate): void;
}

/**
 * The service's side of the dataset worker thread (dataset-worker-entry.ts): started on the first task, kept for
 * the next ones (its connection holds the filter features cache), closed with the service. Tasks queue in the
 * worker and run one at a time; an error comes back as the WorkbenchError the task threw, same code.
 */
export class DatasetWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly dbPath: string) {}

  /**
   * Runs a task in the worker. Aborting `signal` cancels it: one waiting its turn never starts, one running stops
   * at its next progress report (about every 1% of its work), writing nothing; either way the promise rejects
   * with 'cancelled'. The worker and the tasks queued after it go on.
   */
  run<K extends DatasetTaskChannel>(
    channel: K,
    input: ParsedInput<K>,
    opts: DatasetTaskOptions = {},
  ): Promise<Output<K>> {
    if (this.closed) return Promise.reject(new WorkbenchError('cancelled', 'the workbench service is closing'));
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const raise = () => Atomics.store(new Int32Array(cancel), 0, 1);
    if (opts.signal?.aborted) raise();
    opts.signal?.addEventListener('abort', raise, { once: true });
    const request: DatasetRequest<K> = { id, channel, input, cancel };
    return new Promise<Output<K>>((resolve, reject) => {
      const settled = () => opts.signal?.removeEventListener('abort', raise);
      this.pending.set(id, {
        resolve: (v) => {
          settled();
          resolve(v as Output<K>);
        },
        reject: (e) => {
          settled();
          reject(e);
        },
        onProgress: opts.onProgress,
      });
      worker.ref(); // a door awaiting this answer (the CLI) lives until it comes
      worker.postMessage(request);
    });
  }

  /** Ends the worker at once: a task in flight is cancelled (a write in it was one transaction, rolled back). */
  close(): void {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.failAll(new WorkbenchError('cancelled', 'the workbench service closed'));
    void w?.terminate();
  }

  private start(): Worker {
    const worker = startThread({ dbPath: this.dbPath });
    worker.unref();
    worker.on('message', (reply: DatasetWorkerMessage) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      if ('progress' in reply) {
        p.onProgress?.(reply.progress);
        return;
      }
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new WorkbenchError(reply.error.code, reply.error.message, reply.error.where ?? {}));
    });
    // A worker that died (out of memory, a crash) fails what it held; the next task starts a fresh one.
    const died = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new WorkbenchError('internal', `the dataset worker stopped: ${why}`));
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return worker;
  }

  private failAll(err: WorkbenchError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}

/**
 * The thread, from the entry worker-entries.ts finds: built, its own bundle; from source (tsx, tests), a
 * bootstrap that registers tsx in the thread first (a worker thread takes no --import of its own).
 */
function startThread(init: DatasetWorkerInit): Worker {
  const { file, execArgv } = workerEntry('dataset');
  if (execArgv.length === 0) return new Worker(file, { workerData: init });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(pathToFileURL(file).href);
  const boot = `import(${tsx}).then((t) => { t.register(); return import(${entry}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}
