import type { Rng } from '../rng.ts';
import { EOS_ID } from '../text/vocab.ts';
import { constrainRow, topK } from './constraints.ts';
import { sampleToken } from './sampling.ts';
import type { DecodeOptions } from './types.ts';

/** One live hypothesis: a row of the decoder batch. */
export interface Row {
  sent: number;
  ids: number[];
  lps: number[];
  logProb: number;
  attention: number[][];
  topk: Array<Array<{ id: number; logprob: number }>>;
  /** its node in the search tree (return_tree) */
  node: number | null;
  /** sampling: this sample's generator */
  rng?: Rng;
}

/** A continuation of row `row` by token `id`; `cut`: the row is out of room and ends without an <eos> of its own. */
export interface Proposal {
  row: number;
  id: number;
  lp: number;
  total: number;
  cut?: boolean;
}

/**
 * What each row proposes after one step, grouped by sentence: its forced prefix token, an end when it
 * is out of room, its own draw (sampling), or its 2k best tokens (beam search), after the constraints
 * (min length, no-repeat n-grams, repetition penalty). Records each row's top-k (return_topk) as it
 * goes: what the search could choose from, before the max-length cut.
 */
export function proposeCandidates(
  rows: readonly Row[],
  logp: Float32Array,
  vocab: number,
  t: number,
  opts: DecodeOptions,
  ctx: { sentences: number; maxLens: readonly number[]; k: number },
): Proposal[][] {
  const next: Proposal[][] = Array.from({ length: ctx.sentences }, () => []);
  rows.forEach((r, i) => {
    const row = logp.subarray(i * vocab, (i + 1) * vocab);
    const forced = opts.prefix?.[r.sent]?.[t];
    const forcedLp = forced === undefined ? 0 : row[forced];
    constrainRow(row, r.ids, opts);
    if (opts.return_topk) r.topk = [...r.topk, topK(row, opts.return_topk)];
    if (forced !== undefined) {
      next[r.sent].push({ row: i, id: forced, lp: forcedLp, total: r.logProb + forcedLp });
      return;
    }
    if (r.ids.length + 1 >= ctx.maxLens[r.sent]) {
      next[r.sent].push({ row: i, id: EOS_ID, lp: 0, total: r.logProb, cut: true });
      return;
    }
    if (r.rng) {
      // Sampling: this row's own draw (none allowed: the hypothesis ends here).
      const c = sampleToken(row, opts, r.rng) ?? { id: EOS_ID, logprob: 0 };
      next[r.sent].push({ row: i, id: c.id, lp: c.logprob, total: r.logProb + c.logprob });
      return;
    }
    for (const c of topK(row, 2 * ctx.k))
      next[r.sent].push({ row: i, id: c.id, lp: c.logprob, total: r.logProb + c.logprob });
  });
  return next;
}
