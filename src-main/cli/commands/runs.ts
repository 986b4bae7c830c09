import { cancelRun, resumeRun } from '../../core/runs/lifecycle.ts';
import { listCheckpoints } from '../../core/store/checkpoints.ts';
import { getMetricSeries, getSamples } from '../../core/store/run-metrics.ts';
import { deleteRun, getRun, listRuns, recoverInterruptedRuns } from '../../core/store/runs.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { followRun } from './train.ts';

const USAGE = `usage: workbench runs <subcommand>

  list [--json]                 runs with status, dataset, best validation BLEU
  show ID [--json]              config, environment, metric series, samples, checkpoints
  cancel ID                     finish the current update, checkpoint, stop
  resume ID [--backend B] [--json]   continue from the latest checkpoint (none yet: start over)
  delete ID                     remove the run, its metrics and checkpoints`;

export const command: Command = {
  summary: 'list, inspect, cancel, resume and delete training runs',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, backend: { type: 'string' } }, USAGE);
    const [sub, idArg] = positionals;
    const db = ctx.store();
    recoverInterruptedRuns(db);
    const id = () => requireInt(idArg, 'run id');
    switch (sub) {
      case 'list': {
        const runs = listRuns(db).map((r) => {
          const bleu = getMetricSeries(db, r.id, ['valid/bleu'])['valid/bleu'] ?? [];
          return { ...r, bestValidBleu: bleu.length ? Math.max(...bleu.map((p) => p.value)) : null };
        });
        if (o.json) return ctx.printJson({ runs });
        if (runs.length === 0) return ctx.print('no runs yet: workbench train --dataset builtin:tutorial --preset tutorial');
        for (const r of runs) {
          const pct = r.progress && r.status === 'running' ? ` ${(r.progress.fraction * 100).toFixed(0)}%` : '';
          ctx.print(`${String(r.id).padStart(4)}  ${r.name.padEnd(16)} ${(r.status + pct).padEnd(12)} ${r.datasetName.padEnd(18)} step ${String(r.step).padStart(6)}  BLEU ${r.bestValidBleu?.toFixed(2) ?? '-'}`);
        }
        return;
      }
      case 'show': {
        const run = getRun(db, id());
        const detail = { ...run, metrics: getMetricSeries(db, run.id), samples: getSamples(db, run.id), checkpoints: listCheckpoints(db, run.id) };
        if (o.json) return ctx.printJson(detail);
        ctx.print(`run ${run.id} "${run.name}": ${run.status}${run.error ? ` (${run.error})` : ''}, dataset ${run.datasetName}, backend ${run.backend ?? '-'}, step ${run.step}`);
        ctx.print(`config: ${JSON.stringify(run.config)}`);
        for (const [name, series] of Object.entries(detail.metrics)) {
          const last = series[series.length - 1];
          ctx.print(`  ${name.padEnd(20)} ${series.length} points, last ${last?.value.toFixed(4)} @ step ${last?.step}`);
        }
        for (const c of detail.checkpoints) ctx.print(`  checkpoint step ${c.step} (${c.kind}) ${c.path}`);
        return;
      }
      case 'cancel': {
        const runId = id();
        cancelRun(db, runId);
        return ctx.print(`asked run ${runId} to stop; it saves a checkpoint first`);
      }
      case 'resume': {
        // One trainer per run: a resume racing another is refused by the store claim (conflict).
        const handle = resumeRun(db, ctx.dbPath, id(), { backend: o.backend });
        return followRun(ctx, handle, { json: o.json });
      }
      case 'delete': {
        deleteRun(db, id());
        return ctx.print(`deleted run ${idArg}`);
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand', USAGE);
    }
  },
};
