import { parseGridOption, parseSeeds } from '../../common/sweep-values.ts';
import { queueSweep } from '../../core/runs/queue.ts';
import { recoverInterruptedRuns } from '../../core/store/runs.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { BACKEND_FLAG_USAGE, RUN_FLAGS, RUN_FLAGS_USAGE } from '../run-flags.ts';
import { maxConcurrentOption, runQueueForeground } from './queue.ts';

const USAGE = `usage: workbench sweep ${RUN_FLAGS_USAGE}
                      --grid key=v1,v2[,…] [--grid …] [--seeds 1,2,3] [--random N [--draw-seed S]]
                      [--name N] ${BACKEND_FLAG_USAGE} [--max-concurrent K]
                      [--detach] [--json]

Queues one run per combination of the --grid values (or N random combinations with --random), once
per seed, as one sweep; every config is checked first, so one bad value queues nothing. Then runs
them here, at most K trainers at once (default: what the machine can take), and shows progress;
--detach only queues (the app, workbench serve or workbench queue run starts them). Ctrl+C stops:
running trainers save a checkpoint, and workbench queue run (or this sweep's scheduler in the app)
continues the sweep. Example:
  workbench sweep --dataset builtin:sample --preset tatoeba-lstm --set max_steps=20 \\
    --grid hidden_size=64,128,256 --grid dropout=0,0.1,0.3 --seeds 1,2,3`;

export const command: Command = {
  summary: 'a grid or random sweep over --set values and seeds, queued and run K at a time',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      {
        ...RUN_FLAGS,
        grid: { type: 'string', multiple: true },
        seeds: { type: 'string' },
        random: { type: 'string' },
        'draw-seed': { type: 'string' },
        'max-concurrent': { type: 'string' },
        detach: { type: 'boolean' },
      },
      USAGE,
    );
    if (!o.grid && !o.seeds) throw new UsageError('sweep: give at least one --grid key=v1,v2 or --seeds', USAGE);
    const maxConcurrent = maxConcurrentOption(o['max-concurrent']);
    const db = ctx.store();
    recoverInterruptedRuns(db);
    const { sweep, entries } = queueSweep(db, {
      dataset: o.dataset,
      preset: o.preset,
      configFile: o.config,
      set: o.set,
      grid: (o.grid ?? []).map(parseGridOption),
      seeds: o.seeds !== undefined ? parseSeeds(o.seeds) : undefined,
      random: o.random !== undefined ? requireInt(o.random, 'random') : undefined,
      drawSeed: o['draw-seed'] !== undefined ? requireInt(o['draw-seed'], 'draw-seed') : undefined,
      name: o.name,
      backend: o.backend,
    });
    if (o.detach) {
      if (o.json) return ctx.printJson({ sweepId: sweep.id, name: sweep.name, entries });
      ctx.print(`sweep ${sweep.id} (${sweep.name}): ${entries.length} runs queued`);
      return ctx.print('they start in the app, workbench serve, or workbench queue run (see workbench queue list)');
    }
    if (!o.json) ctx.stderr.write(`sweep ${sweep.id} (${sweep.name}): ${entries.length} runs queued\n`);
    return runQueueForeground(ctx, { sweepId: sweep.id, maxConcurrent, json: o.json });
  },
};
