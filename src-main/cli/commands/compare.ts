import { badInput } from '../../common/errors.ts';
import {
  compareRunsOn,
  sentencesFromFiles,
  sentencesFromSplit,
  type SplitPart,
} from '../../core/inference/compare-runs.ts';
import type { MetricComparison } from '../../core/metrics/significance.ts';
import { parseCommandArgs, requireInt, UsageError, type CliContext, type Command } from '../context.ts';
import { DECODE_FLAGS, DECODE_FLAGS_USAGE, decodeSettings } from '../decode-flags.ts';
import { backendOption } from './train.ts';

const USAGE = `usage: workbench compare --runs BASE,A[,B…] (--src FILE --ref FILE | --split test|valid)
                        [--paired bs|ar] [--samples N] [--max-sentences N] [--backend B] [--json]
                        [decoding options]

Significance of each run against the baseline (the first of --runs) on BLEU and chrF, on the same
sentences: files, or a part of the baseline's data split (named: an empty part is an error, never a
switch to another). --paired bs: paired bootstrap resampling (sacreBLEU --paired-bs, 1000 resamples);
ar: approximate randomisation (--paired-ar, 10,000 trials). Seed 12345, as sacreBLEU.
decoding options (each run's config unless given): ${DECODE_FLAGS_USAGE}`;

export const command: Command = {
  summary: 'significance of N runs against a baseline on BLEU and chrF (paired bootstrap or randomisation)',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      {
        runs: { type: 'string' },
        src: { type: 'string' },
        ref: { type: 'string' },
        split: { type: 'string' },
        paired: { type: 'string' },
        ...DECODE_FLAGS,
        samples: { type: 'string' },
        'max-sentences': { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
    );
    if (!o.runs) throw new UsageError('compare: --runs BASE,A[,B…] is required', USAGE);
    const files = o.src !== undefined || o.ref !== undefined;
    if (files === (o.split !== undefined) || (files && (!o.src || !o.ref))) {
      throw new UsageError('compare: give --src and --ref, or --split test|valid (one of them)', USAGE);
    }
    const ids = o.runs.split(',').map((s) => requireInt(s.trim(), 'runs'));
    if (ids.length < 2) {
      throw badInput('--runs takes a baseline and at least one more run: BASE,A[,B…]', { field: 'runs' });
    }
    if (o.split !== undefined && !['test', 'valid', 'train'].includes(o.split)) {
      throw badInput(`--split takes test, valid or train, got "${o.split}"`, { field: 'split' });
    }
    if (o.paired !== undefined && o.paired !== 'bs' && o.paired !== 'ar') {
      throw badInput(`--paired takes bs or ar, got "${o.paired}"`, { field: 'paired' });
    }
    const db = ctx.store();
    const max = o['max-sentences'] !== undefined ? requireInt(o['max-sentences'], 'max-sentences') : undefined;
    const data =
      o.split !== undefined
        ? sentencesFromSplit(db, ids[0], o.split as SplitPart, max)
        : sentencesFromFiles({ src: o.src as string, ref: o.ref as string });
    const backend = backendOption(o.backend);
    // tfjs and the model code load on first use: --help and a refused flag do not wait for them
    const { loadTranslator } = await import('../../core/inference/translator.ts');
    // One after another: loading initialises the backend, which must not be started twice at once.
    const translators = [];
    for (const id of ids) translators.push(await loadTranslator(db, id, 'best', backend));
    const [base, ...systems] = translators;
    const r = await compareRunsOn(base, systems, data, decodeSettings(o), {
      method: (o.paired ?? 'bs') as 'bs' | 'ar',
      n_samples: o.samples ? requireInt(o.samples, 'samples') : undefined,
    });
    if (o.json) return ctx.printJson({ runs: ids, ...r });
    ctx.print(`${r.sentences} sentences (${r.data}); baseline run ${ids[0]}`);
    for (const m of [r.bleu, r.chrf]) printMetric(ctx, m, ids);
  },
};

function printMetric(ctx: CliContext, m: MetricComparison, ids: readonly number[]): void {
  const name = m.metric === 'bleu' ? 'BLEU' : 'chrF';
  const spread = (e: { score: number; mean?: number; ci_half?: number }) =>
    e.mean !== undefined
      ? `${e.score.toFixed(2)} (μ ${e.mean.toFixed(2)} ± ${e.ci_half?.toFixed(2)})`
      : e.score.toFixed(2);
  ctx.print(`${name}: run ${ids[0]} (baseline) ${spread(m.baseline)}`);
  m.systems.forEach((s, i) => {
    const better = s.delta > 0 ? 'better' : 'worse';
    const verdict = s.p_value < 0.05 ? `run ${ids[i + 1]} is significantly ${better}` : 'no significant difference';
    const delta = `${s.delta >= 0 ? '+' : ''}${s.delta.toFixed(2)}`;
    ctx.print(`  run ${ids[i + 1]} ${spread(s)}  delta ${delta}, p = ${s.p_value.toFixed(4)}: ${verdict} (p < 0.05)`);
  });
  ctx.print(`  ${m.signature}`);
}
