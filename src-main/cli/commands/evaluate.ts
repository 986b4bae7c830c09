import { evaluateRun, type EvaluationSource } from '../../core/inference/evaluate.ts';
import { parseCommandArgs, UsageError, type Command } from '../context.ts';
import { DECODE_FLAGS, DECODE_FLAGS_USAGE, decodeSettings } from '../decode-flags.ts';
import { MODEL_FLAGS, MODEL_FLAGS_USAGE, translatorFromFlags } from '../model-flags.ts';

const USAGE = `usage: workbench evaluate ${MODEL_FLAGS_USAGE}
                         [--src FILE --ref FILE | --part test|valid [--max-sentences N]]
                         [--prefix TEXT] [--json] [decoding options]

Translates FILE (without files: the test part of the run's own data split, its first
1,000 sentences, as the app's Evaluate does), scores it (sacreBLEU-exact BLEU and chrF,
signature printed) and stores the result as test metrics of the run. An ensemble (--runs A,B) is scored and
reported, not stored: its score is no one run's.
decoding options (the run's config unless given): ${DECODE_FLAGS_USAGE}`;

export const command: Command = {
  summary: 'score a run on a test set (BLEU, chrF with signatures) and store the result',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      {
        ...MODEL_FLAGS,
        src: { type: 'string' },
        ref: { type: 'string' },
        part: { type: 'string' },
        'max-sentences': { type: 'string' },
        ...DECODE_FLAGS,
        json: { type: 'boolean' },
      },
      USAGE,
    );
    const db = ctx.store();
    const translator = await translatorFromFlags(db, o, 'evaluate', USAGE);
    const r = await evaluateRun(db, translator, evaluationSource(o), decodeSettings(o));
    if (translator.members) translator.dispose();
    if (o.json) {
      const { hypotheses: _h, ...rest } = r;
      void _h;
      return ctx.printJson(rest);
    }
    ctx.print(`BLEU = ${r.bleu.toFixed(2)}  ${r.signature}`);
    ctx.print(`chrF = ${r.chrf.toFixed(2)}  ${r.chrfSignature}`);
    const members = r.decoding.ensemble?.map((m) => m.runId).join(', ');
    const where =
      r.id === null ? `ensemble of runs ${members}, not stored` : `stored as evaluation ${r.id} of run ${r.runId}`;
    ctx.print(`${r.sentences} sentences in ${r.seconds.toFixed(1)} s (beam ${r.decoding.beam_size}); ${where}`);
  },
};

/** Files when given (both), else a part of the run's split; a part with files, or one file alone, is refused. */
function evaluationSource(o: {
  src?: string;
  ref?: string;
  part?: string;
  'max-sentences'?: string;
}): EvaluationSource {
  if (o.src || o.ref) {
    if (!o.src || !o.ref) throw new UsageError('evaluate: --src and --ref go together', USAGE);
    if (o.part) throw new UsageError("evaluate: --part scores the run's split, not --src/--ref files", USAGE);
    return { src: o.src, ref: o.ref };
  }
  const part = o.part ?? 'test';
  if (part !== 'test' && part !== 'valid')
    throw new UsageError(`evaluate: --part is test or valid, not "${part}"`, USAGE);
  const max = o['max-sentences'] === undefined ? undefined : Number(o['max-sentences']);
  if (max !== undefined && !(Number.isInteger(max) && max > 0))
    throw new UsageError(`evaluate: --max-sentences is a whole number above 0, not "${o['max-sentences']}"`, USAGE);
  return { part, maxSentences: max };
}
