import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../common/errors.ts';
import { openDb, type Db } from '../store/db.ts';
import { runDatasetTask } from './dataset-tasks.ts';
import type { DatasetRequest, DatasetWorkerInit, DatasetWorkerMessage } from './dataset-worker-protocol.ts';
import { trackProgress } from './task-progress.ts';

/**
 * The dataset worker thread: runs the service's slow dataset tasks (dataset-tasks.ts) one at a time on its own
 * connection to the store, so the service's event loop stays free. The filter features cache (keyed by the
 * connection) lives here, so repeated previews of one dataset stay fast. Each task sends its progress and stops at
 * its next report once its cancel flag is raised (a write cut short was one transaction, rolled back). Closed by
 * the service (terminate): a write cut short there too is rolled back by SQLite.
 */
const port = parentPort;
if (!port) throw new Error('the dataset worker runs as a worker thread');
const { dbPath } = workerData as DatasetWorkerInit;
// Opened on the first task, so a store that cannot be opened is that task's error.
let db: Db | undefined;
const send = (m: DatasetWorkerMessage) => port.postMessage(m);

port.on('message', (req: DatasetRequest) => {
  const flag = new Int32Array(req.cancel);
  const progress = trackProgress(
    (update) => send({ id: req.id, progress: update }),
    () => Atomics.load(flag, 0) === 1,
  );
  try {
    db ??= openDb(dbPath);
    progress.report('starting', 0, 1); // a task cancelled while it waited its turn ends here
    send({ id: req.id, ok: true, value: runDatasetTask(db, req.channel, req.input, progress) });
  } catch (err) {
    send({ id: req.id, ok: false, error: serializeError(err) });
  }
});
