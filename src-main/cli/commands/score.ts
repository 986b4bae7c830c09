import { badInput } from '../../common/errors.ts';
import { readLines } from '../../core/inference/evaluate.ts';
import { corpusBleu } from '../../core/metrics/bleu.ts';
import { corpusChrf } from '../../core/metrics/chrf.ts';
import type { SacreTokenize } from '../../core/metrics/sacre-tokenizers.ts';
import { parseCommandArgs, UsageError, type Command } from '../context.ts';

const USAGE = `usage: workbench score --hyp FILE --ref FILE [--ref FILE2 …] [--tokenize 13a|intl|none|char]
                      [--lowercase] [--metrics bleu,chrf,chrf++] [--json]

sacreBLEU-exact corpus BLEU and chrF. For Hindi, prefer --tokenize intl: 13a leaves the
danda "।" glued to the word before it.`;

const TOKENIZERS = ['13a', 'intl', 'none', 'char'];

export const command: Command = {
  summary: 'score a hypothesis file against references (sacreBLEU-exact BLEU, chrF)',
  usage: USAGE,
  async run(args, ctx) {
    const { values: o } = parseCommandArgs(
      args,
      { hyp: { type: 'string' }, ref: { type: 'string', multiple: true }, tokenize: { type: 'string' }, lowercase: { type: 'boolean' }, metrics: { type: 'string' }, json: { type: 'boolean' } },
      USAGE,
    );
    if (!o.hyp || !o.ref?.length) throw new UsageError('score: --hyp and --ref are required', USAGE);
    const tokenize = (o.tokenize ?? '13a') as SacreTokenize;
    if (!TOKENIZERS.includes(tokenize)) throw badInput(`unknown tokenizer "${tokenize}" (${TOKENIZERS.join(', ')})`, { field: 'tokenize' });
    const metrics = (o.metrics ?? 'bleu,chrf').split(',').map((m) => m.trim());
    const hyps = readLines(o.hyp);
    const refs = o.ref.map((f) => {
      const lines = readLines(f);
      if (lines.length !== hyps.length) throw badInput(`${f} has ${lines.length} lines but ${o.hyp} has ${hyps.length}`, { file: f });
      return lines;
    });
    const out: Record<string, unknown> = {};
    if (metrics.includes('bleu')) out.bleu = corpusBleu(hyps, refs, { tokenize, lowercase: o.lowercase });
    if (metrics.includes('chrf')) out.chrf = corpusChrf(hyps, refs, { lowercase: o.lowercase });
    if (metrics.includes('chrf++')) out['chrf++'] = corpusChrf(hyps, refs, { lowercase: o.lowercase, word_order: 2 });
    if (o.json) return ctx.printJson(out);
    for (const [name, v] of Object.entries(out)) {
      const s = v as { score: number; signature: string; precisions?: number[]; bp?: number; sys_len?: number; ref_len?: number };
      const extra = s.precisions ? ` ${s.precisions.map((p) => p.toFixed(1)).join('/')} (BP = ${s.bp?.toFixed(3)} ratio = ${((s.sys_len ?? 0) / Math.max(s.ref_len ?? 1, 1)).toFixed(3)} hyp_len = ${s.sys_len} ref_len = ${s.ref_len})` : '';
      ctx.print(`${name.toUpperCase()} = ${s.score.toFixed(2)}${extra}  ${s.signature}`);
    }
  },
};
