import { z } from 'zod';

/**
 * A filter pipeline: an ordered list of filters, each a kind and its
 * thresholds. Every filter is a test of one pair (a pair is removed when any
 * filter removes it), except the two de-duplication filters, which keep the
 * first pair of each group in dataset order that the other filters keep.
 * The order is the order of the per-filter counts and of a pair's reasons.
 * Shared by the core (core/data/filters), the CLI (--pipeline FILE.json) and
 * the renderer's filter panel; defaults are what a user gets by naming a kind.
 */
const share = z.number().min(0).max(1);
const tokens = z.number().int().min(0).max(100_000);

/** Latin share of the English side's letters and Devanagari share of the Hindi side's letters, each at least this. */
export const ScriptFilterSchema = z
  .object({
    kind: z.literal('script'),
    minSourceLatin: share.default(0.5),
    minTargetDevanagari: share.default(0.5),
  })
  .strict();

/**
 * The shortest side, in letters, that the shipped trigram profile judges reliably, measured on the shared data
 * with margin 0.2 (the share of correct sides it calls another language, by letters): FLORES-200 sentences cut to
 * their first words, 2.7-5.4% at 10-19 letters, 0.7-1.8% at 20-29, 0.1-0.2% at 30-39, none from 40; wikicrowd's
 * Wikipedia names and headings (whole lines, Hindi side), 15% at 30-39, 4.5% at 40-49, 2.9% at 50-59, 0.4-1.2%
 * from 60 (English side: 3.4%, 2.1%, 0.4%, then 0.5% or less). Names carry no function words, so a name reads as
 * Nepali or Spanish up to about 60 letters; the old default of 30 removed "Indira Gandhi International Airport"
 * and its like.
 */
export const LANGUAGE_RELIABLE_LETTERS = 60;

/**
 * Character n-gram language identification (resources/langid, built by
 * scripts/build-langid-profile.js): a side is removed when another language
 * of the profile (Marathi, Nepali, French, ...) beats the expected one (English
 * for the source, Hindi for the target) by more than `margin` (mean
 * log-probability per trigram). Sides with fewer than minLetters letters are
 * not judged (kept, counted as "too short to judge"): a name or a heading is
 * too little to tell related languages apart. The default is the profile's
 * reliable length (LANGUAGE_RELIABLE_LETTERS); margin 0.2 was set on FLORES-200
 * devtest Hindi and English, 0 of 2,024 sides removed; see langid.ts for the rest.
 */
export const LanguageFilterSchema = z
  .object({
    kind: z.literal('language'),
    sides: z.enum(['source', 'target', 'both']).default('both'),
    margin: z.number().min(0).max(10).default(0.2),
    minLetters: tokens.default(LANGUAGE_RELIABLE_LETTERS),
  })
  .strict();

/** Words (by whitespace) per side, each side within [minTokens, maxTokens]. */
export const LengthFilterSchema = z
  .object({ kind: z.literal('length'), minTokens: tokens.default(1), maxTokens: tokens.default(100) })
  .strict();

/** The longer side over the shorter in words; pairs whose longer side has fewer than minTokens words are not judged. */
export const LengthRatioFilterSchema = z
  .object({
    kind: z.literal('length_ratio'),
    maxRatio: z.number().min(1).max(1000).default(3.5),
    minTokens: tokens.default(4),
  })
  .strict();

/** Exact copies of a pair (both sides equal): one is kept. */
export const DuplicateFilterSchema = z.object({ kind: z.literal('duplicate') }).strict();

/** Pairs equal up to case, spacing and punctuation (the validator's near_duplicate rule): one is kept. */
export const NearDuplicateFilterSchema = z.object({ kind: z.literal('near_duplicate') }).strict();

/** The target is a copy of the source (after trimming): the validator's untranslated rule. */
export const CopyFilterSchema = z.object({ kind: z.literal('copy') }).strict();

/** The digit sequences of the two sides differ (Devanagari digits read as 0-9, "1,000" as 1000). */
export const NumbersFilterSchema = z.object({ kind: z.literal('numbers') }).strict();

/**
 * A trained run's per-pair forced-decoding score (mean log-probability per
 * target token, stored by `workbench dataset score-pairs`): pairs scored below
 * minScore are removed; unscored pairs are kept.
 */
export const ModelScoreFilterSchema = z
  .object({ kind: z.literal('model_score'), runId: z.number().int().min(1), minScore: z.number().max(0) })
  .strict();

export const FilterSchema = z.discriminatedUnion('kind', [
  ScriptFilterSchema,
  LanguageFilterSchema,
  LengthFilterSchema,
  LengthRatioFilterSchema,
  DuplicateFilterSchema,
  NearDuplicateFilterSchema,
  CopyFilterSchema,
  NumbersFilterSchema,
  ModelScoreFilterSchema,
]);

export const FilterPipelineSchema = z.array(FilterSchema).min(1).max(32);

export type FilterSpec = z.output<typeof FilterSchema>;
export type FilterSpecInput = z.input<typeof FilterSchema>;
export type FilterKind = FilterSpec['kind'];
export type FilterPipeline = z.output<typeof FilterPipelineSchema>;

export const FILTER_KINDS: readonly FilterKind[] = FilterSchema.options.map((o) => o.shape.kind.value);

/** A filter in words, as the counts and the CLI name it ("length_ratio > 3.5"). */
export function describeFilter(f: FilterSpec): string {
  switch (f.kind) {
    case 'script':
      return `script: English ≥ ${f.minSourceLatin} Latin, Hindi ≥ ${f.minTargetDevanagari} Devanagari`;
    case 'language':
      return `language: ${f.sides === 'both' ? 'English and Hindi' : f.sides === 'source' ? 'English' : 'Hindi'}`;
    case 'length':
      return `length: ${f.minTokens}–${f.maxTokens} words per side`;
    case 'length_ratio':
      return `length ratio ≤ ${f.maxRatio} (from ${f.minTokens} words)`;
    case 'duplicate':
      return 'exact duplicates (one kept)';
    case 'near_duplicate':
      return 'near duplicates (one kept)';
    case 'copy':
      return 'target copies source';
    case 'numbers':
      return 'numbers differ';
    case 'model_score':
      return `run ${f.runId} score ≥ ${f.minScore}`;
  }
}

// ---- what a preview returns (plain data: the contract carries it) -----------------------

export interface FilterCountDto {
  kind: FilterKind;
  /** describeFilter's words */
  label: string;
  /** pairs this filter removes (some also removed by others) */
  removed: number;
  /** pairs no other filter of the pipeline removes */
  removedOnlyByThis: number;
  /** pairs this filter kept without judging them, and why ("too short to judge": the language filter) */
  notJudged?: { pairs: number; reason: string };
}

export interface FilterReasonDto {
  /** index of the filter in the pipeline */
  filter: number;
  kind: FilterKind;
  message: string;
}

export interface RemovedPairDto {
  pairId: number;
  source: string;
  target: string;
  reasons: FilterReasonDto[];
}

/** Counts per bin: `edges` has one more entry than each count list; the last bin also holds everything above. */
export interface HistogramDto {
  edges: number[];
  all: number[];
  kept: number[];
}

export interface FilterPreviewDto {
  total: number;
  kept: number;
  removed: number;
  filters: FilterCountDto[];
  /** a page of the removed pairs in dataset order, with every reason each was removed */
  sample: { offset: number; rows: RemovedPairDto[] };
  histograms: {
    /** words per side */
    sourceLength: HistogramDto;
    targetLength: HistogramDto;
    /** target words / source words, on a log2 scale: edges are ratios (0.125 … 8) */
    lengthRatio: HistogramDto;
  };
  /** wall time of the preview in ms (the first on a dataset also reads and measures every pair) */
  ms: number;
}
