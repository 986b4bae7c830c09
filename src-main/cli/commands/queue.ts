import { badInput } from '../../common/errors.ts';
import { cancelQueueEntry, cancelSweep, queueStatus } from '../../core/runs/queue.ts';
import { QueueScheduler } from '../../core/runs/queue-scheduler.ts';
import { setQueueMaxConcurrent, setQueuePaused } from '../../core/store/queue-claim.ts';
import { listQueue, moveEntry, setEntryHeld, type QueueEntry } from '../../core/store/queue.ts';
import { findRun, recoverInterruptedRuns } from '../../core/store/runs.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext, type Command } from '../context.ts';
import { ProgressBar } from '../progress.ts';

const USAGE = `usage: workbench queue <subcommand>

  list [--all] [--json]               waiting, held and running entries in start order (--all: finished too)
  run [--max-concurrent K] [--json]   start queued runs here, at most K at once, until the queue is empty
  pause [ID] [--json]                 ID: hold one waiting entry; none: no new starts (running ones go on)
  resume [ID] [--json]                release a held entry, or let the paused queue start runs again
  cancel ID | --sweep S [--json]      drop a waiting entry, or stop a running one; --sweep: all of a sweep
  move ID --to N [--json]             put a waiting entry at place N (0: the next to start)
  set --max-concurrent K|auto [--json]   how many trainers at once (auto: what the machine can take)

Queued runs start when a scheduler runs: the desktop app, workbench serve, workbench sweep (its own
sweep), or workbench queue run. One scheduler per store at a time; the others wait. Ctrl+C (or a kill)
stops the scheduler: its trainers save a checkpoint and are resumed by the next scheduler.`;

export const command: Command = {
  summary: 'the run queue: list, run, pause, resume, cancel and reorder queued runs',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(
      args,
      {
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        'max-concurrent': { type: 'string' },
        sweep: { type: 'string' },
        to: { type: 'string' },
      },
      USAGE,
    );
    const [sub, idArg] = positionals;
    const db = ctx.store();
    recoverInterruptedRuns(db);
    const id = () => requireInt(idArg, 'queue entry id');
    const show = () => printQueue(ctx, Boolean(o.all), Boolean(o.json));
    switch (sub) {
      case 'list':
        return show();
      case 'run':
        return runQueueForeground(ctx, { maxConcurrent: maxConcurrentOption(o['max-concurrent']), json: o.json });
      case 'pause':
      case 'resume':
        if (idArg !== undefined) setEntryHeld(db, id(), sub === 'pause');
        else setQueuePaused(db, sub === 'pause');
        return show();
      case 'cancel':
        if (o.sweep !== undefined) cancelSweep(db, requireInt(o.sweep, 'sweep'));
        else cancelQueueEntry(db, id());
        return show();
      case 'move':
        if (o.to === undefined) throw new UsageError('queue move: --to N is required', USAGE);
        moveEntry(db, id(), requireInt(o.to, 'to'));
        return show();
      case 'set': {
        const k = o['max-concurrent'];
        if (k === undefined) throw new UsageError('queue set: --max-concurrent K|auto is required', USAGE);
        setQueueMaxConcurrent(db, k === 'auto' ? null : (maxConcurrentOption(k) as number));
        return show();
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand', USAGE);
    }
  },
};

/** --max-concurrent K: a whole number ≥ 1. */
export function maxConcurrentOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const k = requireInt(value, 'max-concurrent');
  if (k < 1) throw badInput(`--max-concurrent must be at least 1, got ${k}`, { field: 'max-concurrent' });
  return k;
}

function printQueue(ctx: CliContext, all: boolean, json: boolean): void {
  const db = ctx.store();
  const status = queueStatus(db, all ? ['started', 'waiting', 'held', 'done', 'cancelled'] : undefined);
  if (json) return ctx.printJson(status);
  const who = status.scheduler ? `run by pid ${status.scheduler.pid}` : 'no scheduler running (workbench queue run)';
  const k = status.maxConcurrent ?? `auto: ${status.machineCapacity}`;
  ctx.print(`queue${status.paused ? ' (paused)' : ''}: ${status.entries.length} entries, at most ${k} at once, ${who}`);
  for (const e of status.entries) ctx.print(entryLine(ctx, e));
}

function entryLine(ctx: CliContext, e: QueueEntry): string {
  const run = e.runId !== null ? findRun(ctx.store(), e.runId) : undefined;
  const pct = `${Math.round((run?.progress?.fraction ?? 0) * 100)}%`;
  const state = run && e.state === 'started' ? `${run.status} ${pct}` : e.state;
  const detail = e.outcome ? `  (${e.outcome})` : '';
  return `${String(e.id).padStart(5)}  ${state.padEnd(14)} run ${String(e.runId ?? '-').padEnd(5)} ${e.name}${detail}`;
}

/**
 * Runs a scheduler in this process until the queue (or `sweepId`'s entries) is over, showing progress.
 * Ctrl+C or SIGTERM stops it: its trainers save a checkpoint and become interrupted, and the next
 * scheduler (this command again, the app, workbench serve) resumes them. When another scheduler holds
 * the queue, this one waits and follows the progress (and takes over if that one goes away).
 */
export async function runQueueForeground(
  ctx: CliContext,
  opts: { sweepId?: number; maxConcurrent?: number; json?: boolean },
): Promise<number> {
  const db = ctx.store();
  const quiet = Boolean(opts.json);
  const note = (line: string) => {
    if (!quiet) ctx.stderr.write(`${line}\n`);
  };
  const bar = new ProgressBar(ctx.isTTY && !quiet);
  const scheduler = new QueueScheduler(db, ctx.dbPath, {
    maxConcurrent: opts.maxConcurrent,
    onlySweep: opts.sweepId,
    log: note,
    onStart: (h, e) => {
      bar.done();
      note(`run ${h.runId} started (${e.name})`);
      h.on('exit', (status) => {
        bar.done();
        note(`run ${h.runId} ${status}`);
      });
    },
  });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    note('stopping: the running trainers save a checkpoint; the next scheduler resumes them');
    stopping ??= scheduler.stop('the queue scheduler was stopped (Ctrl+C or a signal)');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  scheduler.start();
  let toldWaiting = false;
  try {
    while (!stopping) {
      await new Promise((r) => setTimeout(r, 500));
      if (stopping) break;
      await scheduler.tick();
      const status = queueStatus(db);
      if (!scheduler.holds && status.scheduler && !toldWaiting) {
        note(`the queue is run by another scheduler (pid ${status.scheduler.pid}); following its progress`);
        toldWaiting = true;
      }
      const mine = listQueue(db, { sweepId: opts.sweepId });
      if (mine.length === 0 && scheduler.running === 0) break;
      const count = (s: string) => mine.filter((e) => e.state === s).length;
      bar.update(null, `${count('started')} running, ${count('waiting')} waiting, ${count('held')} held`);
    }
    await stopping;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    bar.done();
    await scheduler.release();
  }
  const states = ['started', 'waiting', 'held', 'done', 'cancelled'] as const;
  const entries = listQueue(db, { sweepId: opts.sweepId, states: [...states] });
  const outcomes: Record<string, number> = {};
  for (const e of entries) outcomes[e.outcome ?? e.state] = (outcomes[e.outcome ?? e.state] ?? 0) + 1;
  if (opts.json) ctx.printJson({ sweepId: opts.sweepId ?? null, stopped: Boolean(stopping), outcomes, entries });
  else {
    const words = Object.entries(outcomes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    ctx.print(`${opts.sweepId !== undefined ? `sweep ${opts.sweepId}` : 'queue'}: ${words || 'nothing queued'}`);
    if (stopping) ctx.print('stopped; continue with: workbench queue run');
  }
  const allDone = entries.every((e) => e.state === 'cancelled' || e.outcome === 'completed');
  return stopping ? 130 : allDone ? 0 : 1;
}
