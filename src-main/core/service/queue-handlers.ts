import type { Output, ParsedInput, QueueDto, QueueEntryDto, WorkbenchEvent } from '../../common/contract.ts';
import { badInput } from '../../common/errors.ts';
import type { RunHandle } from '../runs/launcher.ts';
import { cancelQueueEntry, cancelSweep, queueLaunch, queueStatus, queueSweep } from '../runs/queue.ts';
import type { Db } from '../store/db.ts';
import { setQueueMaxConcurrent, setQueuePaused } from '../store/queue-claim.ts';
import { getQueueEntry, moveEntry, setEntryHeld, type QueueEntry } from '../store/queue.ts';
import { editRunTags, runMatches, setRunNotes, tagsOf } from '../store/run-labels.ts';
import { findRun, getRun, listRuns } from '../store/runs.ts';
import { runGroups } from './run-groups.ts';
import { toSummary } from './run-dto.ts';

/**
 * The handlers of the queue, sweeps, run labels and seed groups: thin calls into core/runs/queue.ts,
 * store/run-labels.ts and run-groups.ts (the CLI's sweep, queue and runs commands call the same).
 * Every change to the queue is announced ('queue.changed'); the scheduler itself runs in the service.
 */
type QueueChannel =
  | 'runs.list'
  | 'runs.setTags'
  | 'runs.setNotes'
  | 'runs.groups'
  | 'queue.list'
  | 'queue.enqueue'
  | 'queue.pause'
  | 'queue.resume'
  | 'queue.cancel'
  | 'queue.move'
  | 'queue.setMaxConcurrent'
  | 'sweep.launch';
type Handlers = { [C in QueueChannel]: (input: ParsedInput<C>) => Promise<Output<C>> | Output<C> };

export interface QueueHandlerContext {
  db: Db;
  emit(event: WorkbenchEvent): void;
  /** the handle of a trainer this service started (cancel asks it over its channel) */
  live(runId: number): RunHandle | undefined;
  /** the scheduler looks at the queue now (something was queued or released) */
  poke(): void;
}

export function queueEntryDto(db: Db, e: QueueEntry): QueueEntryDto {
  const run = e.runId !== null ? findRun(db, e.runId) : undefined;
  return {
    ...e,
    run: run ? { status: run.status, step: run.step, fraction: run.progress?.fraction ?? null } : null,
  };
}

export function queueDto(db: Db, all = false): QueueDto {
  const status = queueStatus(db, all ? ['started', 'waiting', 'held', 'done', 'cancelled'] : undefined);
  return { ...status, entries: status.entries.map((e) => queueEntryDto(db, e)) };
}

export function queueHandlers(ctx: QueueHandlerContext): Handlers {
  const { db } = ctx;
  const changed = (): QueueDto => {
    ctx.emit({ type: 'queue.changed' });
    ctx.poke();
    return queueDto(db);
  };
  return {
    'runs.list': (filter) =>
      listRuns(db)
        .filter((r) => runMatches(r, filter))
        .map((r) => toSummary(db, r)),
    'runs.setTags': ({ id, tags, add, remove }) => {
      const replaced = tags !== undefined ? { remove: tagsOf(getRun(db, id)), add: tags } : { add: [], remove: [] };
      editRunTags(db, id, replaced);
      return { tags: editRunTags(db, id, { add, remove }) };
    },
    'runs.setNotes': ({ id, notes }) => ({ notes: setRunNotes(db, id, notes) }),
    'runs.groups': (input) => runGroups(db, input),
    'queue.list': ({ all }) => queueDto(db, all),
    'queue.enqueue': ({ preset, config, name, backend }) => {
      const entry = queueLaunch(db, { preset, config, name, backend });
      changed();
      return queueEntryDto(db, entry);
    },
    'queue.pause': ({ id }) => {
      if (id !== undefined) setEntryHeld(db, id, true);
      else setQueuePaused(db, true);
      return changed();
    },
    'queue.resume': ({ id }) => {
      if (id !== undefined) setEntryHeld(db, id, false);
      else setQueuePaused(db, false);
      return changed();
    },
    'queue.cancel': ({ id, sweepId }) => {
      if ((id === undefined) === (sweepId === undefined)) {
        throw badInput('queue.cancel: give id or sweepId', { field: 'id' });
      }
      if (id !== undefined) {
        const runId = getQueueEntry(db, id).runId;
        cancelQueueEntry(db, id, runId !== null ? ctx.live(runId) : undefined);
      } else cancelSweep(db, sweepId as number, ctx.live);
      return changed();
    },
    'queue.move': ({ id, index }) => {
      moveEntry(db, id, index);
      return changed();
    },
    'queue.setMaxConcurrent': ({ maxConcurrent }) => {
      setQueueMaxConcurrent(db, maxConcurrent);
      return changed();
    },
    'sweep.launch': ({ preset, config, grid, seeds, random, drawSeed, name, backend }) => {
      const { sweep, entries } = queueSweep(db, { preset, config, grid, seeds, random, drawSeed, name, backend });
      changed();
      return { sweep, entries: entries.map((e) => queueEntryDto(db, e)) };
    },
  };
}
