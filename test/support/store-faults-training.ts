import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src-main/core/rng.ts';
import type { LaunchRequest } from '../../src-main/core/runs/launch.ts';
import type { RunHandle } from '../../src-main/core/runs/launcher.ts';
import { launchRun, resumeRun } from '../../src-main/core/runs/lifecycle.ts';
import { listCheckpoints } from '../../src-main/core/store/checkpoints.ts';
import { openDb } from '../../src-main/core/store/db.ts';
import { getMetricSeries } from '../../src-main/core/store/run-metrics.ts';
import { listRuns, recoverInterruptedRuns, RESUMABLE, type RunStatus } from '../../src-main/core/store/runs.ts';

/**
 * Fault injection for training, shared by test/store-faults-training.test.ts (a
 * handful of kills) and bench/store-faults.ts (many, seeded). A tiny run
 * (builtin:tutorial: one update and one validation per epoch) is hit with
 * SIGKILL at a random moment in one of three ways:
 *
 * - `trainer`: its trainer process, launched by this process (the launcher
 *   records the run's end, as the CLI and the service do);
 * - `resume`: the trainer of a resumed run (after either kill above);
 * - `cli`: the `workbench train` command that launched it (the trainer must
 *   notice, save and record itself).
 *
 * After each kill, once no process of the run is left, the store is opened as
 * the next command would and checked (checkRuns): integrity_check ok; every run
 * completed, cancelled, or failed/interrupted with a reason and resumable;
 * every checkpoint the index lists on disk; a completed run's validations at
 * every epoch. A resumable run is then resumed to completion.
 */
const workbench = fileURLToPath(new URL('../../bin/workbench.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type TrainingFaultKind = 'trainer' | 'resume' | 'cli';

export interface TrainingFaultRun {
  /** kills that landed before the run had completed, by kind */
  kills: Record<TrainingFaultKind, number>;
  /** kills that came after the run had completed */
  finished: number;
  /** how each killed attempt left its run (interrupted, failed, ...), by status */
  outcomes: Record<string, number>;
  /** runs brought to completed by an undisturbed `runs resume` after a kill */
  resumed: number;
  /** every run of the store at the end, by status (all completed when resume works) */
  finalStatuses: Record<string, number>;
  problems: string[];
}

/** One update and one validation per epoch (6 pairs, batch 6): steps = epochs. */
export function tinyRun(epochs: number): LaunchRequest {
  return {
    dataset: 'builtin:tutorial',
    preset: 'tutorial',
    set: [`max_epochs=${epochs}`, 'hidden_size=16', 'embedding_dim=8'],
  };
}

const ACCEPTED: ReadonlySet<RunStatus> = new Set(['completed', 'cancelled', 'failed', 'interrupted']);

/**
 * Opens the store as the next command would (which marks runs whose trainer is
 * gone interrupted) and lists what a user would find wrong with its runs.
 */
export function checkRuns(dbPath: string, epochs: number): string[] {
  const db = openDb(dbPath);
  const problems: string[] = [];
  try {
    recoverInterruptedRuns(db);
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    for (const run of listRuns(db)) {
      const at = `run ${run.id} (${run.status}${run.error ? `: ${run.error}` : ''})`;
      if (!ACCEPTED.has(run.status)) problems.push(`${at}: left ${run.status} with no process`);
      if ((run.status === 'failed' || run.status === 'interrupted') && !run.error)
        problems.push(`${at}: no reason given`);
      for (const c of listCheckpoints(db, run.id)) {
        if (!existsSync(join(c.path, 'model.json')))
          problems.push(`${at}: checkpoint step ${c.step} (${c.kind}) is listed but ${c.path} has no model`);
      }
      if (run.status === 'completed') {
        const steps = (getMetricSeries(db, run.id, ['valid/loss'])['valid/loss'] ?? []).map((p) => p.step);
        const every = Array.from({ length: epochs }, (_, i) => i + 1);
        if (steps.join() !== every.join())
          problems.push(`${at}: validations at steps [${steps.join()}], not at every epoch 1..${epochs}`);
      }
    }
  } finally {
    db.close();
  }
  return problems;
}

/**
 * When a kill lands: during start-up (`startupMs` after the process was
 * started, or at its first recorded update if that comes sooner: loading,
 * opening the store, building the model); `extraMs` after
 * the run recorded update `step` (an update, a validation, the end being
 * recorded); or `extraMs` after the checkpoint of update `save` began to be
 * written (saving, renaming, pruning older ones and telling the index: the
 * narrow windows where files and store must agree). Chosen by progress rather
 * than by clock, so the kills land inside the run however loaded the machine is.
 */
export type KillMoment = { startupMs: number } | { step: number; extraMs: number } | { save: number; extraMs: number };

/**
 * `from`: the step the attempt starts at (a resume continues from its checkpoint). `within`: the share of the
 * steps left in which a kill may land (1: any; a tiny run's last steps take milliseconds, so a kill aimed
 * there often comes after the run has completed and tests nothing).
 */
export function pickMoment(rng: Rng, from: number, epochs: number, within = 1): KillMoment {
  const t = from + rng.int(Math.ceil((epochs - from) * within) + 1) - 1;
  if (t < from) return { startupMs: Math.round(rng.next() * 2000) };
  return rng.next() < 0.5
    ? { step: t, extraMs: Math.round(rng.next() * 100) }
    : { save: t + 1, extraMs: Math.round(rng.next() * 30) };
}

const describeMoment = (m: KillMoment) =>
  'startupMs' in m
    ? `${m.startupMs} ms into start-up`
    : 'step' in m
      ? `${m.extraMs} ms after step ${m.step}`
      : `${m.extraMs} ms into saving checkpoint ${m.save}`;

interface RunProbe {
  progress(id: number): { status: string; step: number } | undefined;
  /** the folder of the run's checkpoints */
  folder(id: number): string;
}

/** Waits for `moment` of the run `runId()` (undefined until it exists), or until `ended()`. */
async function reach(
  moment: KillMoment,
  probe: RunProbe,
  runId: () => number | undefined,
  ended: () => boolean,
): Promise<void> {
  if ('startupMs' in moment) {
    // start-up ends at the first recorded update: a start faster than startupMs (tfjs loads on first use) would
    // otherwise let the kill land after a tiny run has completed, testing nothing
    const until = performance.now() + moment.startupMs;
    while (performance.now() < until && !ended()) {
      const id = runId();
      if (id !== undefined && (probe.progress(id)?.step ?? 0) >= 1) return;
      await sleep(5);
    }
    return;
  }
  const arrived = (id: number) => {
    if ('step' in moment) {
      const p = probe.progress(id);
      return p?.status === 'running' && p.step >= moment.step;
    }
    const dir = join(probe.folder(id), `ckpt-${moment.save}`);
    return existsSync(`${dir}.tmp`) || existsSync(dir);
  };
  for (;;) {
    if (ended()) return;
    const id = runId();
    if (id !== undefined && arrived(id)) break;
    await sleep('step' in moment ? 5 : 1);
  }
  await sleep(moment.extraMs);
}

/** Whether any live process (not a zombie) is in process group `pgid`. */
function groupAlive(pgid: number): boolean {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

export interface TrainingFaultOptions {
  /** rounds of each kind; each also kills the first resume of its run (`resume` kills) */
  rounds: { trainer: number; cli: number };
  epochs: number;
  seed: number;
  /** kills land in this share of the steps left (default 1: anywhere; see pickMoment) */
  within?: number;
}

export async function trainingFaults(dir: string, opts: TrainingFaultOptions): Promise<TrainingFaultRun> {
  const dbPath = join(dir, 'training-faults.db');
  const rng = new Rng(opts.seed);
  const result: TrainingFaultRun = {
    kills: { trainer: 0, resume: 0, cli: 0 },
    finished: 0,
    outcomes: {},
    resumed: 0,
    finalStatuses: {},
    problems: [],
  };
  const db = openDb(dbPath);
  const progressStmt = db.prepare('SELECT status, step FROM runs WHERE id = ?');
  const progress = (id: number) => progressStmt.get(id) as { status: RunStatus; step: number } | undefined;
  const probe: RunProbe = { progress, folder: (id) => join(dir, 'runs', String(id)) };
  const statusOf = (id: number | undefined) => (id === undefined ? undefined : progress(id)?.status);

  /**
   * Checks the store after a kill; the run's status then (after the next command's recovery), or undefined when none
   * was created.
   */
  const note = (kind: TrainingFaultKind, round: number, moment: KillMoment, runId: number | undefined) => {
    for (const p of checkRuns(dbPath, opts.epochs))
      result.problems.push(`${kind} round ${round} (kill ${describeMoment(moment)}): ${p}`);
    const status = statusOf(runId);
    if (status === 'completed') result.finished++;
    else {
      result.kills[kind]++;
      const outcome = status ?? 'no run yet';
      result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    }
    return status;
  };

  /**
   * Kills the trainer of `handle` at `moment` (unless it ended first); resolves once its launcher (here) recorded the
   * end.
   */
  const killTrainer = async (handle: RunHandle, moment: KillMoment) => {
    let ended = false;
    const exit = new Promise<void>((resolve) => handle.once('exit', () => ((ended = true), resolve())));
    await reach(
      moment,
      probe,
      () => handle.runId,
      () => ended,
    );
    if (!ended && handle.pid !== undefined) {
      try {
        process.kill(handle.pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    await exit;
  };

  /** An undisturbed `runs resume` (what a user does next), which must complete the run. */
  const resumeToEnd = async (runId: number, kind: TrainingFaultKind, round: number) => {
    const status = await new Promise<RunStatus>((resolve) => resumeRun(db, dbPath, runId).once('exit', resolve));
    if (status === 'completed') result.resumed++;
    else
      result.problems.push(
        `${kind} round ${round}: run ${runId} resumed undisturbed ended ${status}: ` +
          `${db.prepare('SELECT error FROM runs WHERE id = ?').pluck().get(runId)}`,
      );
    for (const p of checkRuns(dbPath, opts.epochs)) result.problems.push(`${kind} round ${round} (after resume): ${p}`);
  };

  /**
   * After a kill that left the run resumable: a resume killed at a random moment of what it still has to do, then one
   * undisturbed.
   */
  const afterKill = async (runId: number, status: RunStatus | undefined, round: number) => {
    if (!status || !RESUMABLE.has(status)) return;
    const from = listCheckpoints(db, runId).reduce((m, c) => Math.max(m, c.step), 0);
    const moment = pickMoment(rng, from, opts.epochs, opts.within);
    await killTrainer(resumeRun(db, dbPath, runId), moment);
    const again = note('resume', round, moment, runId);
    if (again && RESUMABLE.has(again)) await resumeToEnd(runId, 'resume', round);
  };

  try {
    for (let round = 0; round < opts.rounds.trainer; round++) {
      const handle = await launchRun(db, dbPath, tinyRun(opts.epochs));
      const moment = pickMoment(rng, 0, opts.epochs, opts.within);
      await killTrainer(handle, moment);
      await afterKill(handle.runId, note('trainer', round, moment, handle.runId), round);
    }

    for (let round = 0; round < opts.rounds.cli; round++) {
      const before = db.prepare('SELECT coalesce(max(id), 0) FROM runs').pluck().get() as number;
      const newRun = () =>
        (db.prepare('SELECT min(id) FROM runs WHERE id > ?').pluck().get(before) as number | null) ?? undefined;
      const args = [
        '--db',
        dbPath,
        'train',
        '--dataset',
        'builtin:tutorial',
        '--preset',
        'tutorial',
        ...tinyRun(opts.epochs).set!.flatMap((s) => ['--set', s]),
        '--json',
      ];
      // Its own process group: the trainer it starts is found (and waited for) through it.
      const cli = spawn(process.execPath, [workbench, ...args], { cwd: dir, detached: true, stdio: 'ignore' });
      let ended = false;
      const exited = new Promise<void>((r) => cli.on('exit', () => ((ended = true), r())));
      const moment = pickMoment(rng, 0, opts.epochs, opts.within);
      await reach(moment, probe, newRun, () => ended);
      if (!ended) cli.kill('SIGKILL');
      await exited;
      // The trainer outlives its CLI only to save and record itself.
      const deadline = Date.now() + 120_000;
      while (groupAlive(cli.pid as number) && Date.now() < deadline) await sleep(50);
      if (groupAlive(cli.pid as number))
        result.problems.push(`cli round ${round}: a process of the killed CLI is still alive after 120 s`);
      const runId = newRun();
      const status = note('cli', round, moment, runId);
      if (runId !== undefined) await afterKill(runId, status, round);
    }
    for (const r of listRuns(db)) result.finalStatuses[r.status] = (result.finalStatuses[r.status] ?? 0) + 1;
  } finally {
    db.close();
  }
  return result;
}
