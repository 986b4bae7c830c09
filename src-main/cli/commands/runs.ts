import { cancelRun, resumeRun } from '../../core/runs/lifecycle.ts';
import { listCheckpoints } from '../../core/store/checkpoints.ts';
import { getMetricSeries, getSamples } from '../../core/store/run-metrics.ts';
import { editRunTags, runMatches, setRunNotes, tagsOf } from '../../core/store/run-labels.ts';
import { deleteRun, getRun, listRuns, recoverInterruptedRuns } from '../../core/store/runs.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { followRun } from './train.ts';

const USAGE = `usage: workbench runs <subcommand>

  list [--tag T] [--search S] [--sweep ID] [--json]
                                runs with status, dataset, best validation BLEU, tags; filtered by a tag,
                                by text in the name, tags or notes, or by sweep
  show ID [--json]              config, environment, metric series, samples, checkpoints
  cancel ID                     finish the current update, checkpoint, stop
  resume ID [--backend B] [--json]   continue from the latest checkpoint (none yet: start over)
  delete ID                     remove the run, its metrics and checkpoints
  tag ID [--add T …] [--remove T …] [--json]   label a run (tags are words without spaces)
  note ID "TEXT" [--json]       the run's notes ("" clears them)
  data-diff A B [--json]        pairs added, removed, changed between the dataset versions A and B trained on
  retrain ID [--wait] [--json]  queue ID's config on its dataset as it is now; when done, a stored bootstrap vs ID
  comparisons ID [--json]       the stored comparisons (retrains) run ID is part of
  slices ID [--evaluation E] [--json]   the test set scored per slice (finding kind, length bucket, tag)
  history "SOURCE" [--runs A,B] [--json]   a test sentence's translations across validations and runs`;

export const command: Command = {
  summary: 'list, inspect, cancel, resume and delete training runs',
  usage: USAGE,
  async run(args, ctx) {
    // The data runs trained on, and retraining on the current version: runs-retrain.ts.
    if (args[0] === 'data-diff' || args[0] === 'retrain' || args[0] === 'comparisons')
      return (await import('./runs-retrain.ts')).retrainCommand(args[0], args.slice(1), ctx);
    // Per-sentence results of the model-stats feature: runs-results.ts.
    if (args[0] === 'slices' || args[0] === 'history')
      return (await import('./runs-results.ts')).resultsCommand(args[0], args.slice(1), ctx);
    const { values: o, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        backend: { type: 'string' },
        tag: { type: 'string' },
        search: { type: 'string' },
        sweep: { type: 'string' },
        add: { type: 'string', multiple: true },
        remove: { type: 'string', multiple: true },
      },
      USAGE,
    );
    const [sub, idArg, text] = positionals;
    const db = ctx.store();
    recoverInterruptedRuns(db);
    const id = () => requireInt(idArg, 'run id');
    switch (sub) {
      case 'list': {
        const sweepId = o.sweep !== undefined ? requireInt(o.sweep, 'sweep') : undefined;
        const filter = { tag: o.tag, search: o.search, sweepId };
        const runs = listRuns(db)
          .filter((r) => runMatches(r, filter))
          .map((r) => {
            const bleu = getMetricSeries(db, r.id, ['valid/bleu'])['valid/bleu'] ?? [];
            return { ...r, bestValidBleu: bleu.length ? Math.max(...bleu.map((p) => p.value)) : null };
          });
        if (o.json) return ctx.printJson({ runs });
        const filtered = o.tag !== undefined || o.search !== undefined || o.sweep !== undefined;
        if (runs.length === 0 && filtered) return ctx.print('no runs match');
        if (runs.length === 0)
          return ctx.print('no runs yet: workbench train --dataset builtin:tutorial --preset tutorial');
        for (const r of runs) {
          const pct = r.progress && r.status === 'running' ? ` ${(r.progress.fraction * 100).toFixed(0)}%` : '';
          const tags = r.tags ? `  [${tagsOf(r).join(', ')}]` : '';
          const bleu = `BLEU ${r.bestValidBleu?.toFixed(2) ?? '-'}`;
          const row = `${r.name.padEnd(16)} ${(r.status + pct).padEnd(12)} ${r.datasetName.padEnd(18)}`;
          ctx.print(`${String(r.id).padStart(4)}  ${row} step ${String(r.step).padStart(6)}  ${bleu}${tags}`);
        }
        return;
      }
      case 'show': {
        const run = getRun(db, id());
        const detail = {
          ...run,
          metrics: getMetricSeries(db, run.id),
          samples: getSamples(db, run.id),
          checkpoints: listCheckpoints(db, run.id),
        };
        if (o.json) return ctx.printJson(detail);
        ctx.print(
          `run ${run.id} "${run.name}": ${run.status}${run.error ? ` (${run.error})` : ''}, ` +
            `dataset ${run.datasetName}, backend ${run.backend ?? '-'}, step ${run.step}`,
        );
        ctx.print(`config: ${JSON.stringify(run.config)}`);
        if (run.tags) ctx.print(`tags: ${tagsOf(run).join(' ')}`);
        if (run.notes) ctx.print(`notes: ${run.notes}`);
        for (const [name, series] of Object.entries(detail.metrics)) {
          const last = series[series.length - 1];
          ctx.print(
            `  ${name.padEnd(20)} ${series.length} points, last ${last?.value.toFixed(4)} @ step ${last?.step}`,
          );
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
      case 'tag': {
        if (!o.add && !o.remove) throw new UsageError('runs tag: give --add T and/or --remove T', USAGE);
        const tags = editRunTags(db, id(), { add: o.add, remove: o.remove });
        if (o.json) return ctx.printJson({ id: Number(idArg), tags });
        return ctx.print(`run ${idArg} tags: ${tags.join(' ') || '(none)'}`);
      }
      case 'note': {
        if (text === undefined) throw new UsageError('runs note: give the text ("" clears the notes)', USAGE);
        const notes = setRunNotes(db, id(), text);
        if (o.json) return ctx.printJson({ id: Number(idArg), notes });
        return ctx.print(notes ? `run ${idArg} notes saved` : `run ${idArg} notes cleared`);
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
