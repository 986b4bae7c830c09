import { serializeError } from '../../common/errors.ts';
import { initBackend } from '../tf/backend.ts';
import { ModelCache, runTask } from './inference-jobs.ts';
import type { InferenceReply, InferenceRequest } from './protocol.ts';

/**
 * Entry of the inference process (a Node child process; an Electron
 * utilityProcess may run it too): decodes what the service asks, one request
 * at a time, so the service's event loop never runs a model. It exits with
 * its parent.
 */
interface ParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (msg: InferenceReply) => (parentPort ? parentPort.postMessage(msg) : process.send?.(msg));
const models = new ModelCache();
const ready = initBackend('auto');

async function handle(req: InferenceRequest): Promise<void> {
  try {
    await ready;
    send({ id: req.id, ok: true, result: await runTask(models, req.task) });
  } catch (err) {
    send({ id: req.id, ok: false, error: serializeError(err) });
  }
}

// Requests arrive one at a time (the parent queues them); a chain keeps them in order all the same.
let chain = Promise.resolve();
const enqueue = (m: unknown) => {
  chain = chain.then(() => handle(m as InferenceRequest));
};
process.on('message', enqueue);
parentPort?.on('message', (e) => enqueue(e.data));
process.on('disconnect', () => process.exit(0));
