import { EOS_ID, PAD_ID, SOS_ID, UNK_ID } from '../text/vocab.ts';
import type { DecodeOptions } from './types.ts';

/**
 * Adjusts one row of next-token log-probs in place before selection:
 * specials that can never be produced, min length, repetition penalty
 * (Keskar et al., 2019: a repeated token's log-prob is multiplied by the
 * penalty, i.e. made less likely) and no-repeat n-grams (fairseq).
 */
export function constrainRow(logp: Float32Array, history: readonly number[], opts: DecodeOptions): void {
  logp[PAD_ID] = -Infinity;
  logp[SOS_ID] = -Infinity;
  void UNK_ID;
  if (history.length < opts.min_output_length) logp[EOS_ID] = -Infinity;
  if (opts.repetition_penalty !== 1) {
    for (const id of new Set(history)) if (id !== EOS_ID) logp[id] *= opts.repetition_penalty;
  }
  const n = opts.no_repeat_ngram_size;
  if (n > 0 && history.length >= n - 1) {
    const tail = history.slice(history.length - (n - 1));
    for (let i = 0; i + n <= history.length; i++) {
      let same = true;
      for (let j = 0; j < n - 1 && same; j++) same = history[i + j] === tail[j];
      if (same) logp[history[i + n - 1]] = -Infinity;
    }
  }
}

/** The k largest entries of a row, best first (k is small: a partial selection, no full sort). */
export function topK(row: Float32Array, k: number): Array<{ id: number; logprob: number }> {
  const out: Array<{ id: number; logprob: number }> = [];
  for (let id = 0; id < row.length; id++) {
    const v = row[id];
    if (v === -Infinity || (out.length === k && v <= out[k - 1].logprob)) continue;
    let at = out.length;
    while (at > 0 && out[at - 1].logprob < v) at--;
    out.splice(at, 0, { id, logprob: v });
    if (out.length > k) out.pop();
  }
  return out;
}
