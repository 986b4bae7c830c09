import type { PairDto } from './pair-dto.ts';

/**
 * The shapes of an n-gram search of the training pairs (core/data/ngram-search.ts, channel
 * pairs.searchNgram): "which pairs contain these words, together and in order?".
 */
export const NGRAM_SIDES = ['source', 'target', 'both'] as const;
export type NgramSide = (typeof NGRAM_SIDES)[number];

/** the most pairs one page holds */
export const NGRAM_MAX_LIMIT = 200;

/** [start, end) of a match in a side's text, in UTF-16 code units (JavaScript string indices). */
export type MatchSpan = [number, number];

export interface NgramHitDto extends PairDto {
  /** bm25: lower is a better match (rarer words, shorter sentences) */
  score: number;
  sourceMatches: MatchSpan[];
  targetMatches: MatchSpan[];
}

/**
 * How many matches a search counts and ranks. A word in most sentences ("है", "the") matches most of a
 * 1M-pair dataset; reading and ranking all of them takes seconds. Past the window, the first matches in
 * dataset order are ranked, and the total says "at least".
 */
export const NGRAM_RANK_WINDOW = 10_000;

export interface NgramPageDto {
  /** the matches, up to NGRAM_RANK_WINDOW */
  total: number;
  /** more pairs match than `total`: the ranking covers the first `total` in dataset order */
  totalCapped: boolean;
  offset: number;
  rows: NgramHitDto[];
  /** the words searched for, as the index splits them */
  words: string[];
}
