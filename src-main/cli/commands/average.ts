import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';

const USAGE = `usage: workbench average --run ID --last N [--json]

Averages the weights of the run's last N checkpoints (by step) into a new checkpoint
of the run, labelled "averaged last N". Translate, evaluate and export it with
--checkpoint averaged. With --json: {"runId", "checkpointId", "path", "step", "steps", "label"}.`;

export const command: Command = {
  summary: "average the weights of a run's last N checkpoints into a new checkpoint",
  usage: USAGE,
  async run(args, ctx) {
    const options = { run: { type: 'string' }, last: { type: 'string' }, json: { type: 'boolean' } } as const;
    const { values: o } = parseCommandArgs(args, options, USAGE);
    if (!o.run || !o.last) throw new UsageError('average: --run ID and --last N are required', USAGE);
    // tfjs and the model code load on first use: --help and a refused flag do not wait for them
    const { initBackend } = await import('../../core/tf/backend.ts');
    const { averageLastCheckpoints } = await import('../../core/train/average.ts');
    // The mean is computed in JS; the cpu backend only carries the weights in and out.
    await initBackend('cpu');
    const r = await averageLastCheckpoints(ctx.store(), requireInt(o.run, 'run'), requireInt(o.last, 'last'));
    if (o.json) return ctx.printJson(r);
    ctx.print(`run ${r.runId}: ${r.label} (steps ${r.steps.join(', ')}) saved as checkpoint ${r.checkpointId}`);
    ctx.print(`folder: ${r.path}`);
    ctx.print(`use it with: workbench translate --run ${r.runId} --checkpoint averaged`);
  },
};
