import { runTrainingJob } from '../runs/job.ts';
import type { BackendPreference } from '../tf/backend.ts';

/**
 * Entry of the training process (a Node child process, or an Electron
 * utilityProcess). Arguments: DB path, run id, backend, "resume"|"new".
 * Progress goes to the parent over IPC when there is a channel; a "cancel"
 * message or SIGTERM finishes the current update, saves a checkpoint and stops.
 */
interface ParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

const [dbPath, runIdArg, backend = 'auto', mode = 'new'] = process.argv.slice(2);
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (msg: unknown) => (parentPort ? parentPort.postMessage(msg) : process.send?.(msg));

let stop: (() => void) | null = null;
let stopRequested = false;
const requestStop = () => {
  stopRequested = true;
  stop?.();
};
process.on('SIGTERM', requestStop);
process.on('SIGINT', requestStop);
process.on('message', (m) => m === 'cancel' && requestStop());
parentPort?.on('message', (e) => e.data === 'cancel' && requestStop());

// Fault injection for tests of the parent's crash handling: WORKBENCH_TRAIN_FAULT=exit-at-step:N
// makes the process die at step N the way a native crash does (stderr text, non-zero exit, nothing
// recorded by the job itself), so what the user sees comes from the parent watching the process.
const faultStep = /^exit-at-step:(\d+)$/.exec(process.env.WORKBENCH_TRAIN_FAULT ?? '')?.[1];
const injectFault = (step: number) => {
  if (faultStep === undefined || step < Number(faultStep)) return;
  process.stderr.write(`injected fault at step ${step} (WORKBENCH_TRAIN_FAULT)\n`);
  process.exit(70);
};

runTrainingJob({
  dbPath,
  runId: Number(runIdArg),
  backend: backend as BackendPreference,
  resume: mode === 'resume',
  report: (p) => {
    send({ type: 'progress', progress: p });
    injectFault(p.step);
  },
  onStopRequest: (fn) => {
    stop = fn;
    if (stopRequested) fn();
  },
})
  .then((status) => {
    send({ type: 'done', status });
    process.exit(0);
  })
  .catch((err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
