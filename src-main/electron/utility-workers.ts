import type { InferenceWorker, SpawnInference } from '../core/inference/inference-process.ts';
import type { SpawnWorker } from '../core/runs/launcher.ts';
import { utilityProcessExit } from '../core/runs/trainer-exit.ts';
import { workerEntry, type WorkerKind } from '../core/worker-entries.ts';

/**
 * The trainer and the inference process as Electron utilityProcesses (a crash
 * or an out-of-memory there cannot take the window down), adapted to the
 * launchers' WorkerProcess. Both entries come from the one resolver the Node
 * launchers use (core/worker-entries.ts), so the built app finds them in
 * out/main wherever the bundler put this code. No Electron import: main.ts
 * passes utilityProcess.fork, tests pass a stand-in.
 */

/** What is used of Electron's UtilityProcess. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  /** SIGTERM on POSIX */
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  /** one number, no signal: see utilityProcessExit */
  on(event: 'exit', listener: (code: number) => void): unknown;
}

export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { stdio: 'pipe'; serviceName: string },
) => UtilityChild;

export function utilitySpawners(fork: UtilityFork): { spawn: SpawnWorker; spawnInference: SpawnInference } {
  const start = (kind: WorkerKind, args: string[]) =>
    adapt(fork(workerEntry(kind).file, args, { stdio: 'pipe', serviceName: `workbench-${kind}` }));
  return { spawn: (args) => start('train', args), spawnInference: () => start('inference', []) };
}

function adapt(child: UtilityChild): InferenceWorker {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return {
    pid: child.pid,
    send: (m) => child.postMessage(m),
    // utilityProcess.kill() is a SIGTERM; stopping a decoding mid-call needs the SIGKILL the caller asked for.
    kill: (signal) => {
      if (signal === 'SIGKILL' && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
          return;
        } catch {
          // already gone
        }
      }
      child.kill();
    },
    onMessage: (cb) => child.on('message', cb),
    // kill -9 must still read as killed (an interrupted run), not as a failure.
    onExit: (cb) =>
      child.on('exit', (n) => {
        const { code, signal } = utilityProcessExit(n);
        cb(code, signal, stderr);
      }),
  };
}
