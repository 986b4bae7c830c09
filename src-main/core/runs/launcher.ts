import { EventEmitter } from 'node:events';
import type { Db } from '../store/db.ts';
import { retryWhileBusy } from '../store/busy.ts';
import { finishRunIfActive, getRun, type RunProgress, type RunStatus, setRunPid } from '../store/runs.ts';
import type { BackendPreference } from '../tf/backend.ts';
import { forkWorker, type WorkerProcess } from '../worker-entries.ts';
import { outcomeOfUnrecordedExit, type TrainerExit } from './trainer-exit.ts';

/**
 * Starts training runs in their own process, so a crash or an out-of-memory
 * in TensorFlow.js cannot take the app (or the CLI's terminal) down. The
 * Electron shell passes its own `spawn` (utilityProcess); elsewhere a Node
 * child process runs the worker entry (worker-entries.ts: through tsx from
 * source, or the built JS). When the process dies without recording an end,
 * trainer-exit.ts says what the run becomes (killed from outside: interrupted;
 * a crash: failed with what it printed). Which process may start a trainer for a run is decided
 * before this, in lifecycle.ts.
 */
// The worker interface lives with forkWorker (worker-entries.ts, which this module imports: no loop).
export type { WorkerProcess };

export type SpawnWorker = (args: string[]) => WorkerProcess;

export interface RunEvents {
  progress: [RunProgress];
  exit: [RunStatus];
}

export class RunHandle extends EventEmitter<RunEvents> {
  constructor(
    readonly runId: number,
    private readonly proc: WorkerProcess,
  ) {
    super();
  }
  cancel(): void {
    this.proc.send('cancel');
  }
  get pid(): number | undefined {
    return this.proc.pid;
  }
}

export const spawnNodeWorker: SpawnWorker = (args) => forkWorker('train', args);

export function startRunProcess(
  db: Db,
  dbPath: string,
  runId: number,
  opts: { backend?: BackendPreference; resume?: boolean; spawn?: SpawnWorker } = {},
): RunHandle {
  const proc = (opts.spawn ?? spawnNodeWorker)([
    dbPath,
    String(runId),
    opts.backend ?? 'auto',
    opts.resume ? 'resume' : 'new',
  ]);
  if (proc.pid) setRunPid(db, runId, proc.pid);
  const handle = new RunHandle(runId, proc);
  proc.onMessage((m) => {
    const msg = m as { type?: string; progress?: RunProgress };
    if (msg.type === 'progress' && msg.progress) handle.emit('progress', msg.progress);
  });
  proc.onExit((code, signal, stderr) => {
    void recordExit(db, runId, { code, signal, stderr }).then((status) => handle.emit('exit', status));
  });
  return handle;
}

/**
 * The run's status once its trainer process has ended. Only a run still marked
 * active moves (a trainer that recorded its own end is left as it said, and no
 * write is attempted). The write waits, off the event loop, for as long as
 * another writer (an import, another CLI) holds the store's lock: before, the
 * busy timeout ran out and the launcher crashed with "database is locked",
 * leaving the run 'running'. Never rejects: a store closed meanwhile (the app
 * quitting) gives the status the run was to get.
 */
async function recordExit(db: Db, runId: number, exit: TrainerExit): Promise<RunStatus> {
  const outcome = outcomeOfUnrecordedExit(exit, runId);
  try {
    const now = getRun(db, runId).status; // a read: never blocked by a writer (WAL)
    if (now !== 'queued' && now !== 'running') return now;
    await retryWhileBusy(() => finishRunIfActive(db, runId, outcome.status, outcome.reason));
    return getRun(db, runId).status;
  } catch {
    return outcome.status;
  }
}
