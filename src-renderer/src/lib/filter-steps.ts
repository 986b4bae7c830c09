import {
  FILTER_KINDS,
  FilterSchema,
  describeFilter,
  type FilterKind,
  type FilterSpec,
} from '../../../src-main/common/filters.ts';

/**
 * The filter panel's editing model: which thresholds each filter kind has and how a slider moves them.
 * The kinds, their defaults and their words come from common/filters.ts (one schema for the core, the CLI
 * and this panel); here is only how each threshold is shown. Pure, so it is unit-tested (ui-curation).
 */
export interface NumberField {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  /** what the number means, for the input's tooltip */
  title: string;
}
export interface ChoiceField {
  key: string;
  label: string;
  choices: Array<[string, string]>;
  title: string;
}
export type ThresholdField = ({ type: 'number' } & NumberField) | ({ type: 'choice' } & ChoiceField);

const num = (key: string, label: string, min: number, max: number, step: number, title: string): ThresholdField => ({
  type: 'number',
  key,
  label,
  min,
  max,
  step,
  title,
});

export const THRESHOLDS: Record<FilterKind, ThresholdField[]> = {
  script: [
    num('minSourceLatin', 'English Latin ≥', 0, 1, 0.05, 'share of the English side’s letters that are Latin'),
    num('minTargetDevanagari', 'Hindi Devanagari ≥', 0, 1, 0.05, 'share of the Hindi side’s letters in Devanagari'),
  ],
  language: [
    {
      type: 'choice',
      key: 'sides',
      label: 'sides',
      choices: [
        ['both', 'both'],
        ['source', 'English'],
        ['target', 'Hindi'],
      ],
      title: 'which side is identified',
    },
    num('margin', 'margin', 0, 2, 0.05, 'how far another language must beat the expected one (log-probability)'),
    num('minLetters', 'from letters', 0, 100, 1, 'shorter sides are too short to judge: judged by script only'),
  ],
  length: [
    num('minTokens', 'min words', 0, 50, 1, 'fewest words on either side'),
    num('maxTokens', 'max words', 1, 400, 1, 'most words on either side'),
  ],
  length_ratio: [
    num('maxRatio', 'max ratio', 1, 10, 0.1, 'the longer side’s words over the shorter’s'),
    num('minTokens', 'from words', 0, 30, 1, 'pairs whose longer side is shorter are not judged'),
  ],
  duplicate: [],
  near_duplicate: [],
  copy: [],
  numbers: [],
  model_score: [num('minScore', 'min score', -15, 0, 0.1, 'mean log-probability per target token')],
};

/** How the panel names a kind in its "add filter" menu. */
export const KIND_NAMES: Record<FilterKind, string> = {
  script: 'script (Latin / Devanagari share)',
  language: 'language ID (character n-grams)',
  length: 'length (words per side)',
  length_ratio: 'length ratio',
  duplicate: 'exact duplicates (keep one)',
  near_duplicate: 'near duplicates (keep one)',
  copy: 'target copies source',
  numbers: 'numbers differ',
  model_score: 'model score (from a run)',
};

export { FILTER_KINDS, describeFilter };

/**
 * A new filter of a kind with the schema's defaults. model_score has no default run: it takes the run given
 * (the panel offers the runs that scored this dataset) and a threshold of -3 nats per token.
 */
export function newFilter(kind: FilterKind, runId?: number): FilterSpec {
  if (kind === 'model_score') return { kind, runId: runId ?? 1, minScore: -3 };
  return FilterSchema.parse({ kind });
}

/** The pipeline the panel opens with: the script ID + length ratio + de-duplication. */
export function defaultPipeline(): FilterSpec[] {
  return (['script', 'length_ratio', 'duplicate', 'near_duplicate'] as const).map((k) => newFilter(k));
}

/** A label for the version a pipeline makes: "filter: script, length ratio, near duplicate". */
export function pipelineLabel(pipeline: readonly FilterSpec[]): string {
  return `filter: ${pipeline.map((f) => f.kind.replaceAll('_', ' ')).join(', ')}`;
}

/** One threshold changed, the rest of the filter as it was (a new object: the panel's preview follows it). */
export function withThreshold(f: FilterSpec, key: string, value: number | string): FilterSpec {
  return FilterSchema.parse({ ...f, [key]: value });
}
