import { DECODE_FLAGS, DECODE_FLAGS_USAGE, decodeSettings } from '../decode-flags.ts';
import { MODEL_FLAGS, MODEL_FLAGS_USAGE, translatorFromFlags } from '../model-flags.ts';
import { readStdinLines } from '../stdin.ts';
import { parseCommandArgs, type Command } from '../context.ts';

const USAGE = `usage: workbench translate ${MODEL_FLAGS_USAGE}
                          [--prefix TEXT] [--json] [decoding options] [TEXT …]

Translates TEXT arguments, or stdin line by line when none are given. --runs A,B decodes
with an ensemble: the runs' log-probabilities averaged at every step (one vocabulary).
decoding options (the run's config unless given): ${DECODE_FLAGS_USAGE}`;

export const command: Command = {
  summary: 'translate text with a trained (or imported) run',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(
      args,
      {
        ...MODEL_FLAGS,
        ...DECODE_FLAGS,
        json: { type: 'boolean' },
      },
      USAGE,
    );
    const translator = await translatorFromFlags(ctx.store(), o, 'translate', USAGE);
    const sources = positionals.length ? positionals : await readStdinLines();
    const settings = decodeSettings(o);
    const out = await translator.translate(sources, settings);
    if (translator.members) translator.dispose(); // an ensemble's models are its own, not the cache's
    if (o.json) {
      return ctx.printJson({
        translations: out.map((t) => ({
          source: t.source,
          hypotheses: t.hypotheses.map((h) => ({
            text: h.text,
            score: h.score,
            tokens: h.tokens,
            tokenLogProbs: h.tokenLogProbs,
            ...(h.attention ? { attention: h.attention } : {}),
          })),
        })),
      });
    }
    for (const t of out) {
      if (t.hypotheses.length === 1) ctx.print(t.hypotheses[0].text);
      else t.hypotheses.forEach((h, i) => ctx.print(`${i + 1}\t${h.score.toFixed(4)}\t${h.text}`));
    }
  },
};
