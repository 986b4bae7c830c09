/**
 * What the model-stats channels return (issue 15, part 3): per-pair numbers from models (forced-decoding
 * scores, dataset cartography) and per-sentence results of evaluations (a sentence's history, slices).
 * Plain data, shared by the core and the renderer through the contract.
 */

/** Swayamdipta et al. (2020)'s regions of a data map (core/train/cartography.ts says how they are cut). */
export const CARTOGRAPHY_REGIONS = ['easy', 'ambiguous', 'hard'] as const;
export type CartographyRegion = (typeof CARTOGRAPHY_REGIONS)[number];

/** Keys the pair table sorts by with a run: cartography numbers, or the forced-decoding score. */
export const MODEL_SORT_KEYS = ['confidence', 'variability', 'correctness', 'model_score'] as const;
export type ModelSortKey = (typeof MODEL_SORT_KEYS)[number];

/** A pair's forced-decoding score by a run: log P(target | source) per target token (<eos> included). */
export interface PairModelScore {
  pairId: number;
  /** log_prob / tokens (natural log); higher is likelier */
  score: number;
  logProb: number;
  tokens: number;
  /** the pair's text changed since it was scored */
  stale: boolean;
}

export interface PairScoringResultDto {
  runId: number;
  datasetName: string;
  checkpoint: string;
  scored: number;
  /** mean of the scores */
  mean: number | null;
  seconds: number;
}

export interface PairCartographyDto {
  pairId: number;
  /** mean over epochs of the mean probability of the pair's gold target tokens */
  confidence: number;
  /** standard deviation of that probability over epochs */
  variability: number;
  /** mean over epochs of the share of gold tokens the model ranked first */
  correctness: number;
  epochs: number;
  region: CartographyRegion;
}

export interface CartographyDto {
  runId: number;
  /** pairs with a record (the run's training pairs) */
  pairs: number;
  epochs: number;
  regions: Record<CartographyRegion, number>;
  /** where the regions were cut for this run */
  thresholds: { variability: number; confidence: number };
  /** the pairs asked for, or the first `limit` of the region asked for, least confident first */
  rows: Array<PairCartographyDto & { source: string; target: string }>;
}

/** One translation of a sentence: a validation sample (training) or a stored evaluation. */
export interface SentenceHistoryEntryDto {
  runId: number;
  runName: string;
  kind: 'validation' | 'evaluation';
  step: number;
  /** the evaluation's id and checkpoint (kind evaluation) */
  evaluationId: number | null;
  checkpoint: string | null;
  reference: string;
  hypothesis: string;
  /** sentence chrF (chrF2, as the corpus score) of the hypothesis against the reference */
  chrf: number;
  createdAt: string | null;
}

export interface SentenceHistoryDto {
  source: string;
  entries: SentenceHistoryEntryDto[];
}

/** The sentences of one stored evaluation, with their hypotheses and sentence chrF. */
export interface EvaluationSentenceDto {
  idx: number;
  pairId: number | null;
  source: string;
  reference: string;
  hypothesis: string;
  chrf: number;
}

export interface EvaluationSentencesDto {
  evaluationId: number;
  total: number;
  offset: number;
  rows: EvaluationSentenceDto[];
}

export type SliceKind = 'all' | 'finding' | 'length' | 'tag';

/** A part of a test set and its corpus scores. */
export interface SliceDto {
  kind: SliceKind;
  /** the finding kind, the length bucket ("6-10 tokens") or the tag; "all" for the whole set */
  name: string;
  sentences: number;
  bleu: number;
  chrf: number;
}

export interface SlicesDto {
  runId: number;
  evaluationId: number;
  /** what was evaluated, as the evaluation recorded it */
  data: string;
  slices: SliceDto[];
}
