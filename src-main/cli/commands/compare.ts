import { badInput } from '../../common/errors.ts';
import { compareRuns } from '../../core/inference/evaluate.ts';
import { loadTranslator } from '../../core/inference/translator.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { backendOption } from './train.ts';
import { DECODE_FLAGS, DECODE_FLAGS_USAGE, decodeSettings } from '../decode-flags.ts';

const USAGE = `usage: workbench compare --runs A,B --src FILE --ref FILE [--samples N] [--backend B] [--json] [decoding options]

Paired bootstrap resampling (sacreBLEU --paired-bs): does run B beat run A on this test set?
decoding options (each run's config unless given): ${DECODE_FLAGS_USAGE}`;

export const command: Command = {
  summary: 'paired bootstrap test between two runs on a test set',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      {
        runs: { type: 'string' },
        src: { type: 'string' },
        ref: { type: 'string' },
        ...DECODE_FLAGS,
        samples: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
    );
    if (!o.runs || !o.src || !o.ref) throw new UsageError('compare: --runs A,B, --src and --ref are required', USAGE);
    const ids = o.runs.split(',').map((s) => requireInt(s.trim(), 'runs'));
    if (ids.length !== 2) throw badInput('--runs takes exactly two run ids: A,B', { field: 'runs' });
    const db = ctx.store();
    const a = await loadTranslator(db, ids[0], 'best', backendOption(o.backend));
    const b = await loadTranslator(db, ids[1], 'best', backendOption(o.backend));
    const r = await compareRuns(a, b, { src: o.src, ref: o.ref }, decodeSettings(o), o.samples ? requireInt(o.samples, 'samples') : 1000);
    if (o.json) return ctx.printJson({ runs: ids, ...r });
    ctx.print(`run ${ids[0]} (baseline): BLEU ${r.baseline.score.toFixed(2)}  95% CI [${r.baseline.ci.map((x) => x.toFixed(2)).join(', ')}]`);
    ctx.print(`run ${ids[1]}: BLEU ${r.system.score.toFixed(2)}  95% CI [${r.system.ci.map((x) => x.toFixed(2)).join(', ')}]`);
    const verdict = r.p_value < 0.05 ? (r.delta > 0 ? `run ${ids[1]} is significantly better` : `run ${ids[1]} is significantly worse`) : 'no significant difference';
    ctx.print(`delta ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(2)}, p = ${r.p_value.toFixed(4)}: ${verdict} (p < 0.05); ${r.sentences} sentences, ${r.n_samples} resamples`);
    ctx.print(r.signature);
  },
};
