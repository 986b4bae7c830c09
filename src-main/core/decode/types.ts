import type { DecodeSettings } from '../../common/decode-settings.ts';
import type { SearchNode, TokenCandidate } from '../../common/translation.ts';

/**
 * What one search is asked for: the decoding settings (common/decode-settings.ts, JoeyNMT/fairseq
 * names, normalised) and what to record besides the hypotheses.
 */
export interface DecodeOptions extends DecodeSettings {
  /** Forced target prefix per sentence (ids, no <sos>): decoding continues after it. */
  prefix?: number[][];
  /** Record the k best candidates (id, log-prob) at every step of each hypothesis. */
  return_topk?: number;
  /** Record the search tree (every expanded candidate) of each sentence. */
  return_tree?: boolean;
}

/** A candidate token of one step (ids only: common/translation.ts adds the token's text). */
export type Candidate = Omit<TokenCandidate, 'token'>;

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
  /** [steps][k] best candidates at each step (when return_topk is set) */
  topk?: Candidate[][];
}

/** A node of the search tree (ids only: common/translation.ts adds the token's text). */
export type BeamNode = Omit<SearchNode, 'text'>;

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
