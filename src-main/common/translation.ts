/**
 * A translation as the core returns it (core/inference/translator.ts) and the contract carries it
 * (playground.translate): declared once, plain data.
 */
export interface TokenCandidate {
  id: number;
  logprob: number;
  token: string;
}

export interface TranslatedHypothesis {
  text: string;
  /** logProb divided by the length penalty: what the beam ranks by */
  score: number;
  logProb: number;
  tokens: string[];
  tokenLogProbs: number[];
  /** [tgtLen][srcLen]: attention of every emitted token, <eos> included (attention models) */
  attention?: number[][];
  /** [steps][k] best candidates at each step (with return_topk) */
  topk?: TokenCandidate[][];
}

/** One candidate the beam search expanded (with return_tree); `score` is the cumulative log-prob. */
export interface SearchNode {
  id: number;
  parent: number | null;
  token: number;
  text: string;
  logprob: number;
  score: number;
  step: number;
  kind: 'kept' | 'finished' | 'pruned';
}

export interface Translation {
  source: string;
  sourceTokens: string[];
  hypotheses: TranslatedHypothesis[];
  tree?: SearchNode[];
}
