import { badInput } from '../../common/errors.ts';
import { loadTranslator, type TranslateSettings } from '../../core/inference/translator.ts';
import { readStdinLines } from '../stdin.ts';
import { parseCommandArgs, requireInt, UsageError, type Command } from '../context.ts';
import { backendOption } from './train.ts';

const USAGE = `usage: workbench translate --run ID [--checkpoint best|latest|STEP] [--beam-size K] [--n-best N]
                          [--beam-alpha A] [--prefix TEXT] [--backend B] [--json] [TEXT …]

Translates TEXT arguments, or stdin line by line when none are given.`;

export const command: Command = {
  summary: 'translate text with a trained (or imported) run',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o, positionals } = parseCommandArgs(
      args,
      {
        run: { type: 'string' },
        checkpoint: { type: 'string' },
        'beam-size': { type: 'string' },
        'n-best': { type: 'string' },
        'beam-alpha': { type: 'string' },
        prefix: { type: 'string' },
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

export function decodeSettings(o: { 'beam-size'?: string; 'n-best'?: string; 'beam-alpha'?: string; prefix?: string }): TranslateSettings {
  const s: TranslateSettings = {};
  const positive = (v: string, name: string) => {
    const n = requireInt(v, name);
    if (n < 1) throw badInput(`--${name} must be at least 1, got ${n}`, { field: name });
    return n;
  };
  if (o['beam-size']) s.beam_size = positive(o['beam-size'], 'beam-size');
  if (o['n-best']) s.n_best = positive(o['n-best'], 'n-best');
  if (o['beam-alpha']) {
    s.beam_alpha = Number(o['beam-alpha']);
    if (!Number.isFinite(s.beam_alpha)) throw badInput(`--beam-alpha must be a number, got "${o['beam-alpha']}"`, { field: 'beam-alpha' });
  }
  if (s.n_best && s.n_best > (s.beam_size ?? 1)) s.beam_size = s.n_best;
  if (o.prefix) s.prefix = o.prefix;
  return s;
}
