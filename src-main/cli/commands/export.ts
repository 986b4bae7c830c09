import { exportMetrics } from '../../core/export/metrics-export.ts';
import { exportModel } from '../../core/export/model-export.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';

const USAGE = `usage: workbench export model --run ID --out PATH [--checkpoint best|latest|averaged|STEP]
       workbench export metrics --runs A,B --out FILE.csv|FILE.json

A model export is a folder, or one .zip when PATH ends in .zip.`;

export const command: Command = {
  summary: 'export a trained model (folder or .zip) or metrics (CSV/JSON)',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(
      args,
      {
        run: { type: 'string' },
        runs: { type: 'string' },
        out: { type: 'string' },
        checkpoint: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
    );
    const [what] = positionals;
    if (!o.out) throw new UsageError('export: --out is required', USAGE);
    if (what === 'model') {
      if (!o.run) throw new UsageError('export model: --run ID is required', USAGE);
      const r = exportModel(ctx.store(), requireInt(o.run, 'run'), o.out, o.checkpoint ?? 'best');
      return o.json
        ? ctx.printJson(r)
        : ctx.print(`exported ${r.files.join(', ')} (${(r.bytes / 2 ** 20).toFixed(1)} MiB) to ${r.path}`);
    }
    if (what === 'metrics') {
      if (!o.runs) throw new UsageError('export metrics: --runs A,B is required', USAGE);
      const r = exportMetrics(
        ctx.store(),
        o.runs.split(',').map((s) => requireInt(s.trim(), 'runs')),
        o.out,
      );
      return o.json ? ctx.printJson(r) : ctx.print(`wrote ${r.path}`);
    }
    throw new UsageError(what ? `unknown export "${what}"` : 'export what? model or metrics', USAGE);
  },
};
