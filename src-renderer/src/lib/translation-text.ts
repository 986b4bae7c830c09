import type { HypothesisDto, TranslationDto } from './types.ts';

/** fixed decimals without "-0.000" */
export const num = (v: number, d = 3) => (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d);

/** the n-best list as TSV: rank, text, score, log p */
export const nbestTsv = (result: TranslationDto) =>
  result.hypotheses.map((h, i) => `${i + 1}\t${h.text}\t${h.score.toFixed(4)}\t${h.logProb.toFixed(4)}`).join('\n');

/** one hypothesis' attention as TSV: source tokens across, its tokens (then <eos>) down */
export const attentionTsv = (result: TranslationDto, hyp: HypothesisDto) =>
  hyp.attention
    ? [
        ['', ...result.sourceTokens].join('\t'),
        ...hyp.attention.map((row, r) => [hyp.tokens[r] ?? '<eos>', ...row.map((w) => w.toFixed(4))].join('\t')),
      ].join('\n')
    : '';
