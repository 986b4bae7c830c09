import type { SentenceHistoryDto, SlicesDto } from '../../common/model-stats.ts';
import { sentenceHistory } from '../../core/inference/sentence-history.ts';
import { runSlices } from '../../core/inference/slices.ts';
import { getRun } from '../../core/store/runs.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext } from '../context.ts';

/**
 * `workbench runs slices ID` and `runs history "SOURCE"`: a run's test set scored per slice, and one test
 * sentence's translations across validations and runs. The same core functions as the service's runs.slices and
 * runs.sentenceHistory (core/inference/slices.ts, sentence-history.ts).
 */
export const RESULTS_USAGE = `usage: workbench runs slices ID [--evaluation E] [--json]
       workbench runs history "SOURCE" [--runs A,B] [--json]

  slices: run ID's latest stored evaluation (or evaluation E) scored per slice: the whole set, each finding kind
  of the dataset checks, each length bucket and each tag of the pairs (BLEU and chrF per slice).
  history: every translation of one source sentence, by validation step and stored evaluation, in every run
  (or runs A,B), with its sentence chrF.
`;

const OPTIONS = {
  evaluation: { type: 'string' },
  runs: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function resultsCommand(sub: 'slices' | 'history', args: string[], ctx: CliContext): number {
  const { values: o, positionals } = parseCommandArgs(args, OPTIONS, RESULTS_USAGE);
  const db = ctx.store();
  if (sub === 'slices') {
    if (positionals.length !== 1) throw new UsageError('runs slices: give one run id', RESULTS_USAGE);
    const runId = requireInt(positionals[0], 'ID');
    const evaluationId = o.evaluation !== undefined ? requireInt(o.evaluation, 'evaluation') : undefined;
    const s = runSlices(db, runId, evaluationId);
    if (o.json) ctx.printJson(s);
    else printSlices(ctx, getRun(db, runId).name, s);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('runs history: give one source sentence (quoted)', RESULTS_USAGE);
  const runIds = o.runs?.split(',').map((r) => requireInt(r.trim(), 'runs'));
  const h = sentenceHistory(db, positionals[0], runIds);
  if (o.json) ctx.printJson(h);
  else printHistory(ctx, h);
  return 0;
}

function printSlices(ctx: CliContext, runName: string, s: SlicesDto): void {
  ctx.print(`run ${s.runId} (${runName}), evaluation ${s.evaluationId} on ${s.data}:`);
  ctx.print(`  ${'slice'.padEnd(40)} ${'sentences'.padStart(9)} ${'BLEU'.padStart(7)} ${'chrF'.padStart(7)}`);
  for (const x of s.slices) {
    const name = x.kind === 'all' ? 'all' : `${x.kind}: ${x.name}`;
    const row = `${String(x.sentences).padStart(9)} ${x.bleu.toFixed(2).padStart(7)} ${x.chrf.toFixed(2).padStart(7)}`;
    ctx.print(`  ${name.padEnd(40)} ${row}`);
  }
}

function printHistory(ctx: CliContext, h: SentenceHistoryDto): void {
  if (h.entries.length === 0) return ctx.print(`no translations of "${h.source}" are stored`);
  ctx.print(`"${h.source}": ${h.entries.length} translation(s)`);
  for (const e of h.entries) {
    const when = e.kind === 'validation' ? `step ${e.step}` : `evaluation ${e.evaluationId} (${e.checkpoint})`;
    ctx.print(`  run ${e.runId} ${e.runName}, ${when}: chrF ${e.chrf.toFixed(1)}`);
    ctx.print(`    ${e.hypothesis}`);
  }
}
