import { importModel } from '../../core/export/model-export.ts';
import { parseCommandArgs, UsageError, type Command } from '../context.ts';

const USAGE = `usage: workbench import model PATH [--name NAME] [--json]

Registers an exported model (folder or .zip) as a run usable by translate and evaluate.`;

export const command: Command = {
  summary: 'register an exported model as a run',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(
      args,
      { name: { type: 'string' }, json: { type: 'boolean' } },
      USAGE,
    );
    const [what, path] = positionals;
    if (what !== 'model' || !path) throw new UsageError('usage: workbench import model PATH', USAGE);
    const r = importModel(ctx.store(), path, o.name);
    return o.json
      ? ctx.printJson(r)
      : ctx.print(`imported as run ${r.runId}; try: workbench translate --run ${r.runId} "hello"`);
  },
};
