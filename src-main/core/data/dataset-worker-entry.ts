import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../common/errors.ts';
import { openDb, type Db } from '../store/db.ts';
import { runDatasetTask } from './dataset-tasks.ts';
import type { DatasetReply, DatasetRequest, DatasetWorkerInit } from './dataset-worker-protocol.ts';

/**
 * The dataset worker thread: runs the service's slow dataset tasks (dataset-tasks.ts) one at a time on its own
 * connection to the store, so the service's event loop stays free. The filter features cache (keyed by the
 * connection) lives here, so repeated previews of one dataset stay fast. Closed by the service (terminate):
 * a write cut short was one uncommitted transaction, which SQLite rolls back.
 */
const port = parentPort;
if (!port) throw new Error('the dataset worker runs as a worker thread');
const { dbPath } = workerData as DatasetWorkerInit;
// Opened on the first task, so a store that cannot be opened is that task's error.
let db: Db | undefined;

port.on('message', (req: DatasetRequest) => {
  let reply: DatasetReply;
  try {
    db ??= openDb(dbPath);
    reply = { id: req.id, ok: true, value: runDatasetTask(db, req.channel, req.input) };
  } catch (err) {
    reply = { id: req.id, ok: false, error: serializeError(err) };
  }
  port.postMessage(reply);
});
