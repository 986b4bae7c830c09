import { conflict } from '../../common/errors.ts';
import { getDatasetByName } from '../data/builtin.ts';
import { latestCheckpoint } from '../store/checkpoints.ts';
import type { Db } from '../store/db.ts';
import { truncateRunAfter } from '../store/run-metrics.ts';
import { isProcessAlive } from '../process-alive.ts';
import {
  claimRunForResume,
  createRun,
  finishRunIfActive,
  getRun,
  recoverInterruptedRuns,
  RESUMABLE,
  type RunRecord,
} from '../store/runs.ts';
import type { BackendPreference } from '../tf/backend.ts';
import { chooseBackend } from '../tf/backend-choice.ts';
import { checkInitSource } from '../train/init-source.ts';
import { resolveConfig, type LaunchRequest } from './launch.ts';
import { startRunProcess, type RunHandle, type SpawnWorker } from './launcher.ts';

/**
 * The rules of a run's life, once for every door (the CLI, and the service
 * behind Electron and browser mode):
 *
 * - launch: everything that can be checked is checked before the run exists
 *   (backend name and availability, config and the model rules between
 *   options, the dataset, the parent run, the run it is fine-tuned from), so a refused command
 *   leaves no run;
 * - resume: only an interrupted, cancelled or failed run, and only ONE trainer
 *   per run: the store claim (claimRunForResume) is a conditional UPDATE, so of
 *   two doors resuming at once one wins and the other gets a conflict naming
 *   who holds the run. A run with no checkpoint yet starts over;
 * - cancel: a live trainer is asked to stop (it finishes the update and saves);
 *   a run whose trainer is gone is marked interrupted instead of signalling a
 *   pid that may belong to someone else now.
 */
export interface StartOptions {
  /** as the user gave it (unchecked); resume defaults to the backend the run used */
  backend?: string;
  /** Electron: the utilityProcess launcher; default: a Node child process */
  spawn?: SpawnWorker;
  /** launch: the run row exists, its trainer is not started yet (the queue records which entry it is) */
  onCreated?: (run: RunRecord) => void;
}

export async function launchRun(
  db: Db,
  dbPath: string,
  req: LaunchRequest,
  opts: StartOptions = {},
): Promise<RunHandle> {
  const backend = chooseBackend(opts.backend);
  const config = resolveConfig(req);
  const dataset = await getDatasetByName(db, config.dataset); // imports a built-in one on first use
  checkInitSource(db, config); // fine-tuning: the parent exists and shares the vocabulary options
  if (req.parentRunId != null) getRun(db, req.parentRunId);
  const run = createRun(db, {
    name: req.name,
    config,
    preset: req.preset ?? null,
    datasetId: dataset.id,
    parentRunId: req.parentRunId ?? null,
  });
  opts.onCreated?.(run);
  return start(db, dbPath, run.id, backend, false, opts.spawn);
}

export function resumeRun(db: Db, dbPath: string, id: number, opts: StartOptions = {}): RunHandle {
  recoverInterruptedRuns(db); // a run whose trainer died unseen becomes resumable first
  const run = getRun(db, id);
  if (!RESUMABLE.has(run.status))
    throw conflict(`run ${id} is ${held(run)}; only interrupted, cancelled or failed runs resume`);
  const backend = chooseBackend(opts.backend ?? run.backend ?? undefined);
  if (!claimRunForResume(db, id, process.pid)) {
    throw conflict(`run ${id} is already being resumed by another command (now ${held(getRun(db, id))})`);
  }
  // With no checkpoint the run starts over; what the lost attempt recorded would collide with the new steps.
  if (!latestCheckpoint(db, id)) truncateRunAfter(db, id, 0);
  return start(db, dbPath, id, backend, true, opts.spawn);
}

/** `live`: the handle of a trainer this door started (asked over its channel rather than by signal). */
export function cancelRun(db: Db, id: number, live?: { cancel(): void }): void {
  const run = getRun(db, id);
  if (live) return live.cancel();
  const active = run.status === 'running' || run.status === 'queued';
  if (!active) throw conflict(`run ${id} is not running (${run.status})`);
  if (run.pid !== null && isProcessAlive(run.pid)) {
    // A queued run's pid is its launcher's until the trainer starts: that process must not get the signal.
    if (run.status === 'queued')
      throw conflict(`run ${id} is starting (held by pid ${run.pid}); cancel it once it is running`);
    process.kill(run.pid, 'SIGTERM'); // the trainer's handler finishes the update and saves a checkpoint
    return;
  }
  const marked = recoverInterruptedRuns(db).includes(id);
  throw conflict(
    marked
      ? `run ${id} is not running: its trainer (pid ${run.pid ?? '-'}) is gone; ` +
          `it is now interrupted (resume with "workbench runs resume ${id}")`
      : `run ${id} is ${run.status} but its trainer is not a process on this machine; cancel it where it runs`,
  );
}

function start(
  db: Db,
  dbPath: string,
  runId: number,
  backend: BackendPreference,
  resume: boolean,
  spawn: SpawnWorker | undefined,
): RunHandle {
  try {
    return startRunProcess(db, dbPath, runId, { backend, resume, spawn });
  } catch (err) {
    finishRunIfActive(
      db,
      runId,
      'failed',
      `the training process could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw err;
  }
}

/** "running (pid 123)": the status and who holds the run, for conflict messages. */
function held(run: RunRecord): string {
  return `${run.status}${run.pid !== null ? ` (pid ${run.pid})` : ''}`;
}
