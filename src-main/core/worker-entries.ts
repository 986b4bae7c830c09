import { fork, type Serializable } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the processes the core starts (the trainer, the inference process)
 * begin, for every launcher (a Node child process, Electron's utilityProcess).
 *
 * From source (this module is a .ts file, run by tsx): the worker's .ts entry,
 * run through tsx. Built (electron-vite): each worker is its own entry,
 * out/main/NAME-worker.js, while this module is bundled into out/main/index.js
 * or into a shared chunk under out/main/chunks/, so both folders are looked at.
 * A built app never falls back to sources, which a packaged app does not have.
 */
const WORKERS = {
  train: { built: 'train-worker.js', source: './train/worker-entry.ts', what: 'training' },
  inference: { built: 'inference-worker.js', source: './inference/worker-entry.ts', what: 'inference' },
  // a worker thread, not a process: slow dataset work (filter previews, versions) off the service's event loop
  dataset: { built: 'dataset-worker.js', source: './data/dataset-worker-entry.ts', what: 'dataset' },
} as const;

export type WorkerKind = keyof typeof WORKERS;

export interface WorkerEntry {
  file: string;
  /** Node options a Node child needs to run `file` (tsx for a .ts entry) */
  execArgv: string[];
}

/** `moduleUrl`: where this module runs from (tests give a built layout). */
export function workerEntry(kind: WorkerKind, moduleUrl: string = import.meta.url): WorkerEntry {
  const w = WORKERS[kind];
  if (moduleUrl.endsWith('.ts')) {
    // tsx resolved from here, not from the working directory: the CLI runs from wherever the user is.
    return { file: fileURLToPath(new URL(w.source, moduleUrl)), execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  const candidates = [`./${w.built}`, `../${w.built}`].map((rel) => fileURLToPath(new URL(rel, moduleUrl)));
  const found = candidates.find((f) => existsSync(f));
  if (!found)
    throw new Error(
      `the ${w.what} process's entry is missing from this build (looked ` +
        `for ${candidates.join(' and ')}); rebuild with "npm run build"`,
    );
  return { file: found, execArgv: [] };
}

/** A running worker, whichever launcher started it (a Node child here, a utilityProcess in Electron). */
export interface WorkerProcess {
  pid: number | undefined;
  send(msg: unknown): void;
  kill(signal?: NodeJS.Signals): void;
  onMessage(cb: (msg: unknown) => void): void;
  onExit(cb: (code: number | null, signal: NodeJS.Signals | null, stderr: string) => void): void;
}

/**
 * A worker as a Node child process (the Electron shell passes utilityProcess launchers instead), keeping the
 * last 4,000 characters of its stderr for the exit report. `idle`: the parent may exit while it lives.
 */
export function forkWorker(
  kind: WorkerKind,
  args: string[],
  opts: { serialization?: 'json' | 'advanced' } = {},
): WorkerProcess & { setIdle(idle: boolean): void } {
  const { file, execArgv } = workerEntry(kind);
  const child = fork(file, args, {
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: opts.serialization,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const handles = () =>
    [child, child.channel, child.stderr] as Array<{ ref?(): void; unref?(): void } | null | undefined>;
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m as Serializable);
    },
    kill: (s) => child.kill(s),
    onMessage: (cb) => child.on('message', cb),
    onExit: (cb) => child.on('exit', (code, signal) => cb(code, signal, stderr)),
    setIdle: (idle) => {
      for (const h of handles()) (idle ? h?.unref : h?.ref)?.call(h);
    },
  };
}
