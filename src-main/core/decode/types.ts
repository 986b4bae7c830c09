/** Decoding settings (JoeyNMT/fairseq names) and what a search returns. */
export interface DecodeOptions {
  /** 1: greedy */
  beam_size: number;
  beam_alpha: number;
  length_penalty: 'none' | 'avg' | 'gnmt';
  n_best: number;
  /** an absolute token count if > 10, otherwise a ratio of the source length (+10) */
  max_output_length: number;
  min_output_length: number;
  no_repeat_ngram_size: number;
  repetition_penalty: number;
  /** Forced target prefix per sentence (ids, no <sos>): decoding continues after it. */
  prefix?: number[][];
  /** Record the k best candidates (id, log-prob) at every step of each hypothesis. */
  top_k?: number;
  /** Record the search tree (every expanded candidate) of each sentence. */
  return_tree?: boolean;
}

export interface Candidate {
  id: number;
  logprob: number;
}

export interface Hypothesis {
  /** target ids, without <sos> and <eos> */
  ids: number[];
  /** log-prob of each id in `ids` */
  tokenLogProbs: number[];
  /** log-prob of the final <eos> (null when the hypothesis hit max length) */
  eosLogProb: number | null;
  /** total log-prob, <eos> included */
  logProb: number;
  /** logProb divided by the length penalty: what the beam ranks by */
  score: number;
  /** [steps][srcLen]: attention of every emitted token, <eos> included (attention models) */
  attention?: number[][];
  /** [steps][k] best candidates at each step (when top_k is set) */
  topk?: Candidate[][];
}

export interface BeamNode {
  id: number;
  parent: number | null;
  token: number;
  logprob: number;
  /** cumulative log-prob */
  score: number;
  step: number;
  kind: 'kept' | 'finished' | 'pruned';
}

export interface DecodeResult {
  hypotheses: Hypothesis[];
  tree?: BeamNode[];
}

export function lengthPenalty(kind: DecodeOptions['length_penalty'], alpha: number, length: number): number {
  if (kind === 'none' || alpha === 0) return 1;
  return kind === 'avg' ? length ** alpha : ((5 + length) / 6) ** alpha;
}

export function maxOutputLength(setting: number, srcLen: number): number {
  return setting > 10 ? Math.floor(setting) : Math.ceil(setting * srcLen) + 10;
}
