import { loadTranslator } from '../../core/inference/translator.ts';
import { DECODE_FLAGS, DECODE_FLAGS_USAGE, decodeSettings } from '../decode-flags.ts';
import { readStdinLines } from '../stdin.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { backendOption } from './train.ts';

const USAGE = `usage: workbench translate --run ID [--checkpoint best|latest|STEP] [--prefix TEXT] [--backend B] [--json]
                          [decoding options] [TEXT …]

Translates TEXT arguments, or stdin line by line when none are given.
decoding options (the run's config unless given): ${DECODE_FLAGS_USAGE}`;

export const command: Command = {
  summary: 'translate text with a trained (or imported) run',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(
      args,
      {
        run: { type: 'string' },
        checkpoint: { type: 'string' },
        ...DECODE_FLAGS,
        backend: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
    );
    if (!o.run) throw new UsageError('translate: --run ID is required', USAGE);
    const translator = await loadTranslator(ctx.store(), requireInt(o.run, 'run'), o.checkpoint ?? 'best', backendOption(o.backend));
    const sources = positionals.length ? positionals : await readStdinLines();
    const settings = decodeSettings(o);
    const out = await translator.translate(sources, settings);
    if (o.json) {
      return ctx.printJson({
        translations: out.map((t) => ({
          source: t.source,
          hypotheses: t.hypotheses.map((h) => ({ text: h.text, score: h.score, tokens: h.tokens, tokenLogProbs: h.tokenLogProbs, ...(h.attention ? { attention: h.attention } : {}) })),
        })),
      });
    }
    for (const t of out) {
      if (t.hypotheses.length === 1) ctx.print(t.hypotheses[0].text);
      else t.hypotheses.forEach((h, i) => ctx.print(`${i + 1}\t${h.score.toFixed(4)}\t${h.text}`));
    }
  },
};
