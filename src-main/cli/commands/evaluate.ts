import { evaluateRun } from '../../core/inference/evaluate.ts';
import { loadTranslator } from '../../core/inference/translator.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { backendOption } from './train.ts';
import { DECODE_FLAGS, DECODE_FLAGS_USAGE, decodeSettings } from '../decode-flags.ts';

const USAGE = `usage: workbench evaluate --run ID --src FILE --ref FILE [--checkpoint best|latest|STEP]
                         [--prefix TEXT] [--backend B] [--json] [decoding options]

Translates FILE, scores it (sacreBLEU-exact BLEU and chrF, signature printed) and
stores the result as test metrics of the run.
decoding options (the run's config unless given): ${DECODE_FLAGS_USAGE}`;

export const command: Command = {
  summary: 'score a run on a test set (BLEU, chrF with signatures) and store the result',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      {
        run: { type: 'string' },
        src: { type: 'string' },
        ref: { type: 'string' },
        checkpoint: { type: 'string' },
        ...DECODE_FLAGS,
        backend: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
    );
    if (!o.run || !o.src || !o.ref) throw new UsageError('evaluate: --run, --src and --ref are required', USAGE);
    const db = ctx.store();
    const translator = await loadTranslator(db, requireInt(o.run, 'run'), o.checkpoint ?? 'best', backendOption(o.backend));
    const r = await evaluateRun(db, translator, { src: o.src, ref: o.ref }, decodeSettings(o));
    if (o.json) {
      const { hypotheses: _h, ...rest } = r;
      void _h;
      return ctx.printJson(rest);
    }
    ctx.print(`BLEU = ${r.bleu.toFixed(2)}  ${r.signature}`);
    ctx.print(`chrF = ${r.chrf.toFixed(2)}  ${r.chrfSignature}`);
    ctx.print(`${r.sentences} sentences in ${r.seconds.toFixed(1)} s (beam ${r.decoding.beam_size}); stored as evaluation ${r.id} of run ${r.runId}`);
  },
};
