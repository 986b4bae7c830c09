import { openDb, runTrainingJob } from '../runs/job.ts';
import { isProcessAlive } from '../process-alive.ts';
import { markStopAsInterrupted } from '../store/runs.ts';
import type { BackendPreference } from '../tf/backend.ts';

/**
 * Entry of the training process (a Node child process, or an Electron
 * utilityProcess). Arguments: DB path, run id, backend, "resume"|"new".
 * Progress goes to the parent over IPC when there is a channel; a "cancel"
 * message, SIGTERM or SIGINT finishes the current update, saves a checkpoint
 * and records the run cancelled.
 *
 * When the launcher goes away (the CLI killed or its terminal closed, the app
 * crashed): seen as the IPC channel closing ('disconnect'), SIGHUP, or the
 * launcher's pid no longer alive. The trainer then does the same as for a
 * cancel (finishes the current update, saves a checkpoint) but records the run
 * `interrupted`, with the reason and how to resume, and exits. It does not
 * keep training detached: nobody would watch or stop it, and `workbench runs
 * resume ID` continues from that checkpoint. Sending to a closed channel or
 * writing to a closed stderr pipe is harmless here, never a crash.
 */
interface ParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

const [dbPath, runIdArg, backend = 'auto', mode = 'new'] = process.argv.slice(2);
const runId = Number(runIdArg);
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const launcherPid = process.ppid;

// With the launcher gone, stderr is a pipe nobody reads: EPIPE must not kill the trainer mid-save.
process.stderr.on('error', () => {});
const send = (msg: unknown) => {
  try {
    if (parentPort) parentPort.postMessage(msg);
    // the callback absorbs a channel closing meanwhile
    else if (process.connected) process.send?.(msg, undefined, {}, () => {});
  } catch {
    // the launcher went away between the check and the send: progress is in the store anyway
  }
};

let stop: (() => void) | null = null;
let stopRequested = false;
let orphanReason: string | null = null;
const requestStop = () => {
  stopRequested = true;
  stop?.();
};
const launcherWentAway = (how: string) => {
  if (orphanReason !== null) return;
  orphanReason = `its launcher (pid ${launcherPid}) went away (${how}); resume with "workbench runs resume ${runId}"`;
  requestStop();
};
process.on('SIGTERM', requestStop);
process.on('SIGINT', requestStop);
process.on('SIGHUP', () => launcherWentAway('SIGHUP: its terminal closed'));
process.on('message', (m) => m === 'cancel' && requestStop());
process.on('disconnect', () => launcherWentAway('its IPC channel closed'));
parentPort?.on('message', (e) => e.data === 'cancel' && requestStop());
// Electron's utilityProcess has no 'disconnect': the launcher's pid is watched instead.
const watchLauncher = setInterval(() => !isProcessAlive(launcherPid) && launcherWentAway('its process ended'), 1000);
watchLauncher.unref();

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
  runId,
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
    // The job knows only "stop requested" (cancelled); nobody cancelled a run whose launcher went away.
    if (status === 'cancelled' && orphanReason !== null) {
      const db = openDb(dbPath);
      try {
        markStopAsInterrupted(db, runId, orphanReason);
      } finally {
        db.close();
      }
    }
    send({ type: 'done', status });
    process.exit(0);
  })
  .catch((err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
