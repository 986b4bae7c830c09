import { z } from 'zod';

/**
 * Dataset versions as the doors see them (core/data/versions.ts makes them): a version is the fixed content of
 * a dataset at one moment, numbered 1..n per dataset, with the recipe that made it. Its content never changes,
 * whatever happens to the head (the editable pairs) afterwards.
 */
export const VERSION_KINDS = ['import', 'snapshot', 'filter', 'dedup'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** How a version was made: its kind, plus what that kind needs to be redone or explained (a filter's pipeline). */
export const VersionRecipeSchema = z.looseObject({ kind: z.enum(VERSION_KINDS) });
export type VersionRecipe = z.infer<typeof VersionRecipeSchema>;

export interface DatasetVersionDto {
  id: number;
  datasetId: number;
  /** 1..n within the dataset */
  number: number;
  /** the version the head held before this one was made (null for version 1) */
  parentId: number | null;
  label: string;
  recipe: VersionRecipe;
  pairCount: number;
  /**
   * the dataset hash of its content (ids and both sides in order): equal to a run's dataset_hash when it trained on it
   */
  contentHash: string;
  createdAt: string;
  /** the runs that trained on it */
  runIds: number[];
}

export type VersionDiffKind = 'added' | 'removed' | 'changed';
export interface VersionDiffRowDto {
  pairId: number;
  kind: VersionDiffKind;
  /** in the older version (null when added) */
  before: { source: string; target: string } | null;
  /** in the newer version (null when removed) */
  after: { source: string; target: string } | null;
}
export interface VersionDiffDto {
  datasetName: string;
  from: number;
  to: number;
  counts: { added: number; removed: number; changed: number };
  /** added + removed + changed: the rows a page can hold */
  total: number;
  offset: number;
  rows: VersionDiffRowDto[];
}

/** Two runs' training data: the versions each trained on and their diff (null when not comparable). */
export interface RunDataDiffDto {
  runA: number;
  runB: number;
  versionA: { datasetName: string; number: number } | null;
  versionB: { datasetName: string; number: number } | null;
  /** why there is no diff: a run that never prepared its data, or two different datasets */
  note: string | null;
  diff: VersionDiffDto | null;
}

/** A retrain queued: the queue entry that becomes the new run, the version it trains on, the comparison waiting. */
export interface RetrainDto {
  baselineRunId: number;
  queueEntryId: number;
  versionNumber: number;
  comparisonId: number;
}

/** One metric of a stored comparison: both scores, the bootstrap's 95% intervals and the p-value of the difference. */
export interface ComparedMetric {
  baseline: number;
  system: number;
  /** system minus baseline */
  delta: number;
  baselineCi: [number, number];
  systemCi: [number, number];
  pValue: number;
}
/** A stored comparison: the paired bootstrap of a run against its baseline on the baseline's test sentences. */
export interface RunComparisonResult {
  sentences: number;
  /** where the sentences came from, in words */
  data: string;
  bleu: ComparedMetric;
  chrf: ComparedMetric;
  samples: number;
  /** the BLEU signature with bs:N|seed:S */
  signature: string;
}
export interface RunComparisonDto {
  id: number;
  kind: 'retrain';
  /** null until the queued run starts */
  runId: number | null;
  queueEntryId: number | null;
  baselineRunId: number;
  state: 'pending' | 'done' | 'failed';
  result: RunComparisonResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}
