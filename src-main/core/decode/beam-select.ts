import { EOS_ID } from '../text/vocab.ts';
import type { Proposal, Row } from './candidates.ts';
import { lengthPenalty, type BeamNode, type DecodeOptions, type Hypothesis } from './types.ts';

/** A sentence's search so far: its finished hypotheses (best first, at most k) and its tree. */
export interface SentenceSearch {
  finished: Hypothesis[];
  tree: BeamNode[];
}

/**
 * The rows that go on after a step: per sentence, the k best proposals by total log-prob; an <eos>
 * among them finishes its hypothesis, the rest are live (candidates ranked below the k-th live one are
 * pruned, <eos> ones included). `att` (attention models): [rows × srcWidth] of the step.
 */
export function selectRows(
  next: readonly Proposal[][],
  rows: readonly Row[],
  step: { t: number; att: Float32Array | null; srcWidth: number; srcLens: readonly number[] },
  searches: SentenceSearch[],
  opts: DecodeOptions,
  k: number,
): { rows: Row[]; parents: number[] } {
  const { t, att, srcWidth, srcLens } = step;
  const newRows: Row[] = [];
  const parents: number[] = [];
  next.forEach((proposals, sent) => {
    if (proposals.length === 0) return;
    const cands = [...proposals].sort((a, b) => b.total - a.total);
    const { finished, tree } = searches[sent];
    let alive = 0;
    for (const c of cands) {
      const parent = rows[c.row];
      const attRow = att ? Array.from(att.subarray(c.row * srcWidth, c.row * srcWidth + srcLens[sent])) : null;
      const nodeId = opts.return_tree ? tree.length : null;
      const isEos = c.id === EOS_ID;
      const keep = alive < k;
      if (opts.return_tree) {
        const kind = keep ? (isEos ? 'finished' : 'kept') : 'pruned';
        tree.push({
          id: nodeId as number,
          parent: parent.node,
          token: c.id,
          logprob: c.lp,
          score: c.total,
          step: t,
          kind,
        });
      }
      if (!keep) continue;
      const attention = attRow ? [...parent.attention, attRow] : parent.attention;
      if (isEos) {
        const len = parent.ids.length + 1;
        addFinished(finished, k, {
          ids: parent.ids,
          tokenLogProbs: parent.lps,
          eosLogProb: c.cut ? null : c.lp,
          logProb: c.total,
          score: c.total / lengthPenalty(opts.length_penalty, opts.beam_alpha, len),
          attention: att ? attention : undefined,
          topk: opts.return_topk ? parent.topk : undefined,
        });
      } else {
        alive++;
        const { topk, rng } = parent;
        const ids = [...parent.ids, c.id];
        newRows.push({ sent, ids, lps: [...parent.lps, c.lp], logProb: c.total, attention, topk, node: nodeId, rng });
        parents.push(c.row);
      }
    }
  });
  return { rows: newRows, parents };
}

/** Keeps the k best finished hypotheses of a sentence, best first. */
function addFinished(finished: Hypothesis[], k: number, h: Hypothesis): void {
  finished.push(h);
  finished.sort((a, b) => b.score - a.score);
  if (finished.length > k) finished.length = k;
}

/**
 * Which sentences are done after a step, given their live rows. A beam-searched sentence is done when
 * it has beam_size finished hypotheses and no live one can still beat the worst of them. Stopping at
 * beam_size finished alone returns poor early <eos> hypotheses while a far better one is still being
 * extended (a peaked model: "आप" at -10.7 returned, "आप कैसे हैं" at -0.0 live). Log-probs only fall as
 * a hypothesis grows, so without a length penalty a live score is an exact bound; with one, the live
 * score is judged at its current length, as JoeyNMT's and Hugging Face's beam searches do. A sampled
 * sentence is done when every sample has ended (no sample is pruned for another).
 */
export function doneSentences(
  live: readonly Row[],
  searches: readonly SentenceSearch[],
  opts: DecodeOptions,
  k: number,
): boolean[] {
  const bestLive = searches.map(() => -Infinity);
  for (const r of live) {
    const score = r.logProb / lengthPenalty(opts.length_penalty, opts.beam_alpha, r.ids.length + 1);
    bestLive[r.sent] = Math.max(bestLive[r.sent], score);
  }
  return searches.map(({ finished }, sent) =>
    opts.sampling
      ? bestLive[sent] === -Infinity
      : finished.length >= k && bestLive[sent] <= finished[finished.length - 1].score,
  );
}
