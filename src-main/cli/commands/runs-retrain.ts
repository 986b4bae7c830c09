import type { RunComparisonDto } from '../../common/dataset-versions.ts';
import { runDataDiff } from '../../core/data/version-runs.ts';
import { QueueScheduler } from '../../core/runs/queue-scheduler.ts';
import { retrainOnCurrent } from '../../core/runs/retrain.ts';
import { findQueueEntry } from '../../core/store/queue.ts';
import { comparisonsOfRun, getComparison } from '../../core/store/run-comparisons.ts';
import { datasetTaskBar, ProgressBar } from '../progress.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext } from '../context.ts';
import { printDiff } from './dataset-versions.ts';

/**
 * `workbench runs data-diff A B`, `runs retrain ID [--wait]`, `runs comparisons ID`: runs tied to the data they
 * trained on (core/data/version-runs.ts, core/runs/retrain.ts).
 */
export const RETRAIN_USAGE = `usage: workbench runs data-diff A B [--offset N] [--limit N] [--json]
       workbench runs retrain ID [--wait] [--json]
       workbench runs comparisons ID [--json]

  data-diff: the pairs added, removed and changed between the dataset versions runs A and B trained on.
  retrain: queues run ID's config again on its dataset as it is now (recorded as a version); when that run
  completes, the paired bootstrap (BLEU and chrF) of it against run ID on run ID's test sentences is stored.
  --wait: runs the queue here (as workbench queue run does, unless the app or another scheduler runs it)
  until the comparison is stored, then prints it.
  comparisons: the stored comparisons run ID is part of.
`;

const OPTIONS = {
  offset: { type: 'string' },
  limit: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function retrainCommand(sub: string, args: string[], ctx: CliContext): Promise<number> {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, RETRAIN_USAGE);
  const ids = positionals.map((p, i) => requireInt(p, i === 0 ? 'ID' : 'B'));
  const db = ctx.store();
  if (sub === 'data-diff') {
    if (ids.length !== 2) throw new UsageError('runs data-diff: give two run ids', RETRAIN_USAGE);
    const d = runDataDiff(db, ids[0], ids[1], {
      offset: o.offset ? requireInt(o.offset, 'offset') : 0,
      limit: o.limit ? requireInt(o.limit, 'limit') : 20,
    });
    if (o.json) ctx.printJson(d);
    else if (d.diff) printDiff(ctx, d.diff);
    else ctx.print(`runs ${d.runA} and ${d.runB}: ${d.note}`);
    return 0;
  }
  if (ids.length !== 1) throw new UsageError(`runs ${sub}: give one run id`, RETRAIN_USAGE);
  if (sub === 'comparisons') {
    const all = comparisonsOfRun(db, ids[0]);
    if (o.json) ctx.printJson(all);
    else if (all.length === 0) ctx.print(`run ${ids[0]}: no stored comparisons`);
    else for (const c of all) printComparison(ctx, c);
    return 0;
  }
  const bar = new ProgressBar(ctx.isTTY && !o.json);
  const queued = retrainOnCurrent(db, ids[0], datasetTaskBar(bar)); // the head's snapshot: seconds on 1M pairs
  bar.done();
  if (!o.wait) {
    if (o.json) ctx.printJson(queued);
    else
      ctx.print(
        `queued entry ${queued.queueEntryId}: run ${ids[0]}'s config on version ${queued.versionNumber}; ` +
          `the comparison is stored when it completes (workbench queue run starts it)`,
      );
    return 0;
  }
  const c = await waitForComparison(ctx, queued.comparisonId, queued.queueEntryId);
  if (o.json) ctx.printJson({ ...queued, comparison: c });
  else printComparison(ctx, c);
  return c.state === 'done' ? 0 : 1;
}

const OPEN: readonly string[] = ['waiting', 'held', 'started'];

/** Runs a scheduler here (it stands by while another holds the queue) until the comparison is no longer pending. */
async function waitForComparison(ctx: CliContext, comparisonId: number, entryId: number): Promise<RunComparisonDto> {
  const db = ctx.store();
  const note = (line: string) => ctx.stderr.write(`${line}\n`);
  const scheduler = new QueueScheduler(db, ctx.dbPath, { log: note }).start();
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      await scheduler.tick();
      const c = getComparison(db, comparisonId) as RunComparisonDto;
      if (c.state !== 'pending') return c;
      const entry = findQueueEntry(db, entryId);
      // The clone ended without completing (failed, cancelled): nothing will fill the comparison.
      const over = !entry || !OPEN.includes(entry.state);
      if (over && entry?.outcome !== 'completed')
        return { ...c, error: `the retrain ${entry?.outcome ?? 'was removed'}` };
    }
  } finally {
    await scheduler.release();
  }
}

function printComparison(ctx: CliContext, c: RunComparisonDto): void {
  const who = `run ${c.runId ?? `(queue entry ${c.queueEntryId})`} vs run ${c.baselineRunId}`;
  if (c.state !== 'done' || !c.result) {
    ctx.print(`${who}: ${c.state}${c.error ? ` (${c.error})` : ''}`);
    return;
  }
  const r = c.result;
  const line = (name: string, m: typeof r.bleu) =>
    `  ${name.padEnd(5)} ${m.baseline.toFixed(2)} -> ${m.system.toFixed(2)}  ` +
    `(${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(2)}, p = ${m.pValue.toFixed(4)})`;
  ctx.print(`${who}: paired bootstrap on ${r.sentences} sentences (${r.data})`);
  ctx.print(line('BLEU', r.bleu));
  ctx.print(line('chrF', r.chrf));
  ctx.print(`  ${r.signature}`);
}
