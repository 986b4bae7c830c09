import { z } from 'zod';
import { BACKEND_PREFERENCES, type BackendPreference } from './backends.ts';
import type { RunConfig } from './config.ts';
import { DECODE_REQUEST_LIMITS, DecodeRequestSchema } from './decode-settings.ts';
import { FilterPipelineSchema, type FilterPreviewDto } from './filters.ts';
import type {
  DatasetVersionDto,
  RetrainDto,
  RunComparisonDto,
  RunDataDiffDto,
  VersionDiffDto,
} from './dataset-versions.ts';
import { NGRAM_MAX_LIMIT, NGRAM_SIDES, type NgramPageDto } from './ngram-search.ts';
import type { PairDto } from './pair-dto.ts';
export type { PairDto };
import type { QueueEntry, QueueState } from './queue-entry.ts';
import type { BandPoint, Summary } from './run-groups.ts';
import {
  CARTOGRAPHY_REGIONS,
  MODEL_SORT_KEYS,
  type CartographyDto,
  type EvaluationSentencesDto,
  type PairScoringResultDto,
  type SentenceHistoryDto,
  type SlicesDto,
} from './model-stats.ts';
import type { NumberedReply } from './reply.ts';
import type { MetricPoint, RunProgress, RunStatus } from './run-state.ts';
import type { SearchNode, TokenCandidate, TranslatedHypothesis, Translation } from './translation.ts';

/**
 * The one typed contract between the renderer and the core: every request
 * channel with the schema its input is validated against at the edge, the
 * type of its result, and the event stream. The Electron preload and the
 * browser-mode WebSocket bridge both carry exactly this; the service handlers
 * in src-main/core/service implement it.
 */

// ---- DTOs (plain data: what crosses the boundary) -----------------------------------

export interface DatasetDto {
  id: number;
  name: string;
  description: string;
  origin: string;
  pairCount: number;
  createdAt: string;
  updatedAt: string;
}
export interface PairPageDto {
  total: number;
  offset: number;
  rows: PairDto[];
}
export interface FindingDto {
  kind: string;
  pairId: number;
  message: string;
  fix?: { source: string; target: string };
}
export interface LengthStatsDto {
  min: number;
  max: number;
  mean: number;
  median: number;
  p95: number;
}
export interface DatasetStatsDto {
  pairs: number;
  srcVocab: number;
  tgtVocab: number;
  srcTokens: number;
  tgtTokens: number;
  srcLength: LengthStatsDto;
  tgtLength: LengthStatsDto;
}
export interface SplitDto {
  id: number;
  name: string;
  hash: string;
  counts: { train: number; valid: number; test: number };
  method: unknown;
}
export interface HistoryDto {
  id: number;
  label: string;
  state: 'done' | 'undone';
  createdAt: string;
  ops: number;
}
/** A filter pipeline or a kept duplicate applied: the new dataset version (the removed pairs leave the head). */
export interface FilterApplyDto {
  versionId: number;
  /** 1..n within the dataset */
  versionNumber: number;
  label: string;
  removed: number;
  /** pairs in the new version */
  pairCount: number;
}
/** The pairs equal to one pair up to case, spacing and punctuation (itself first); exact: equal as written. */
export interface DuplicatePartnersDto {
  pairId: number;
  partners: Array<{ pairId: number; source: string; target: string; exact: boolean }>;
}
export type { FilterPreviewDto } from './filters.ts';
export type {
  DatasetVersionDto,
  RetrainDto,
  RunComparisonDto,
  RunComparisonResult,
  RunDataDiffDto,
  VersionDiffDto,
  VersionDiffRowDto,
} from './dataset-versions.ts';
export interface ImportResultDto {
  datasetId: number;
  name: string;
  pairs: number;
  skipped: Array<{ file: string; line: number; message: string }>;
  seconds: number;
}

// The core's own types where the core has them (declared once, in common): the views see what the core returns.
export type RunStatusDto = RunStatus;
export type RunProgressDto = RunProgress;
export interface RunSummaryDto {
  id: number;
  name: string;
  status: RunStatusDto;
  datasetName: string;
  preset: string | null;
  config: RunConfig;
  backend: string | null;
  step: number;
  progress: RunProgressDto | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  parentRunId: number | null;
  /** the WebGPU adapter it ran on, in one line (common/gpu-adapter.ts adapterLabel); null on other backends */
  adapter: string | null;
  best: { bleu: number | null; chrf: number | null; ppl: number | null };
  test: { bleu: number; chrf: number; signature: string } | null;
  tokensPerSecond: number | null;
  /** space-separated labels (runs.setTags) and free-text notes (runs.setNotes) */
  tags: string;
  notes: string;
  /** the sweep that queued it (sweep.launch), if any */
  sweepId: number | null;
}
export interface MetricPointDto extends MetricPoint {
  /** with `smoothing` in metrics.series: the value smoothed over the full-resolution series */
  smoothed?: number;
}
/**
 * One metric series as metrics.series sends it: columns, index i of each is one point, ascending by step
 * (an object per point was 5x the JSON, and a chart draws columns anyway).
 */
export interface MetricSeriesDto {
  steps: number[];
  values: number[];
  /** with `smoothing`: each value smoothed over the full-resolution series, before any cut (with `smoothedOnly`:
   * this column alone, steps and values empty) */
  smoothed?: number[];
  /** with `fields` naming them (a chart whose x axis is epochs or time) */
  epochs?: number[];
  wallTimes?: number[];
}
export interface SampleDto {
  step: number;
  idx: number;
  source: string;
  reference: string;
  hypothesis: string;
}
export interface CheckpointDto {
  id: number;
  step: number;
  epoch: number;
  kind: string;
  /** what it is in words: "best", "latest · 2nd best", "final · best" (kind only says why it was kept) */
  label: string;
  metricName: string | null;
  metricValue: number | null;
  createdAt: string;
}
export interface EvaluationDto {
  id: number;
  checkpoint: string;
  srcPath: string;
  refPath: string;
  decoding: unknown;
  bleu: number;
  chrf: number;
  signature: string;
  createdAt: string;
}
export interface RunDetailDto extends RunSummaryDto {
  environment: Record<string, unknown> | null;
  metrics: Record<string, MetricPointDto[]>;
  samples: SampleDto[];
  checkpoints: CheckpointDto[];
  evaluations: EvaluationDto[];
}
export type CandidateDto = TokenCandidate;
export type HypothesisDto = TranslatedHypothesis;
export type BeamNodeDto = SearchNode;
export type TranslationDto = Translation;
export interface BootstrapDto {
  metric: 'bleu' | 'chrf';
  sentences: number;
  n_samples: number;
  delta: number;
  p_value: number;
  signature: string;
  baseline: { score: number; mean: number; ci: [number, number] };
  system: { score: number; mean: number; ci: [number, number] };
  /** the sentences tested, in words: "run 3's split \"default\", test part" */
  data?: string;
}
/** A file produced for the user: a browser downloads it, Electron saves it where the user chose. */
export interface FileDto {
  fileName: string;
  mime: string;
  base64: string;
  savedTo?: string;
}
export interface AppInfoDto {
  dbPath: string;
  version: string;
  door: 'electron' | 'browser';
  backends: BackendPreference[];
}
export interface GpuAdapterDto {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  software: boolean;
}
/** What the launch form shows next to the backend choice (probed in the inference process, off the event loop). */
export interface BackendsDto {
  /** the backend `auto` picks on this machine */
  auto: string;
  attempts: Array<{ name: string; ok: boolean; reason: string | null }>;
  /** the adapter `--backend webgpu` would use (a software one included), or why there is none */
  webgpu: { adapter: GpuAdapterDto | null; label: string | null; reason: string | null };
}

/** An entry of the run queue: a launch waiting for a free slot, or started (runId), or over (outcome). */
export type QueueStateDto = QueueState;
export interface QueueEntryDto extends QueueEntry {
  /** once started: its run's status and progress */
  run: { status: RunStatusDto; step: number; fraction: number | null } | null;
}
export interface QueueDto {
  /** paused: no new starts (running trainers go on) */
  paused: boolean;
  /** K as set (queue.setMaxConcurrent); null: machineCapacity */
  maxConcurrent: number | null;
  machineCapacity: number;
  /** the live scheduler running the queue (the app, workbench serve, or a CLI sweep/queue run) */
  scheduler: { pid: number; host: string; heartbeatAt: string } | null;
  /** started first, then waiting and held in start order (all: done and cancelled too) */
  entries: QueueEntryDto[];
}
export interface SweepDto {
  id: number;
  name: string;
  spec: Record<string, unknown>;
  createdAt: string;
}
/** One step of a group's band: mean, min–max and the mean's 95% CI over the runs that have it. */
export type BandPointDto = BandPoint;
/** mean ± std (sample), min, max, n */
export type SummaryDto = Summary;
export interface RunGroupDto {
  key: string;
  /** what tells the group apart: "dropout=0.1 · hidden_size=256" */
  label: string;
  runIds: number[];
  /** per metric name */
  bands: Record<string, BandPointDto[]>;
  /** per metric name: over the group's runs, of each run's last value */
  final: Record<string, SummaryDto | null>;
}

// ---- input schemas ----------------------------------------------------------------

const name = z.string().min(1);
const id = z.number().int().positive();
/** the one backend list (common/backends.ts) */
const backend = z.enum(BACKEND_PREFERENCES);

/**
 * Bounds of one decoding request (browser mode takes requests from anyone
 * holding the page): far above what the UI sends (one text, a beam of up to
 * 64 with its search tree; 50 sources to compare), low enough that a request
 * takes seconds, not minutes or gigabytes. Decoding itself runs in the
 * inference process (core/inference), off the event loop.
 */
export const DECODE_LIMITS = {
  ...DECODE_REQUEST_LIMITS,
  texts: 200,
  /** characters of one text or source */
  textChars: 2000,
  /** texts × beam_size (or n_best): the rows of one decoding batch */
  rows: 1024,
  /** texts × beam_size² with return_tree: the tree records 2 × beam_size candidates per kept row and step */
  treeRows: 4096,
  // maxOutputLength (DECODE_REQUEST_LIMITS): the inference process also bounds the steps each text
  // could take, and their sum (core/inference/inference-jobs.ts)
  compareRuns: 10,
  compareSources: 50,
  bootstrapSentences: 2000,
  bootstrapSamples: 10_000,
} as const;

const text = z.string().max(DECODE_LIMITS.textChars);
const decodeSettings = DecodeRequestSchema;

/** texts × beam within DECODE_LIMITS (the wide beam the playground uses is for one text, not for 200). */
function decodeBudget(
  input: { texts: string[]; settings: z.output<typeof decodeSettings> },
  ctx: z.RefinementCtx,
): void {
  const beam = Math.max(input.settings.beam_size ?? 1, input.settings.n_best ?? 1);
  const rows = input.texts.length * beam;
  if (rows > DECODE_LIMITS.rows) {
    ctx.addIssue({
      code: 'custom',
      path: ['settings', 'beam_size'],
      message:
        `${input.texts.length} texts × beam ${beam} is ${rows} hypotheses; at most ` +
        `${DECODE_LIMITS.rows} per request: send fewer texts or a smaller beam`,
    });
  } else if (input.settings.return_tree && rows * beam > DECODE_LIMITS.treeRows) {
    ctx.addIssue({
      code: 'custom',
      path: ['settings', 'return_tree'],
      message:
        `a search tree of ${input.texts.length} texts at beam ${beam} ` +
        `is too large; ask for trees of fewer texts or a smaller beam`,
    });
  }
}

const pairChange = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('insert'),
    source: z.string(),
    target: z.string(),
    tags: z.string().optional(),
    notes: z.string().optional(),
  }),
  z.object({
    op: z.literal('update'),
    pairId: id,
    source: z.string().optional(),
    target: z.string().optional(),
    tags: z.string().optional(),
    notes: z.string().optional(),
  }),
  z.object({ op: z.literal('delete'), pairId: id }),
]);

export const schemas = {
  'app.info': z.object({}),
  'app.backends': z.object({}),
  'datasets.list': z.object({}),
  'datasets.stats': z.object({ name }),
  'datasets.findings': z.object({ name }),
  'datasets.fix': z.object({ name, kind: z.string().optional(), pairIds: z.array(id).optional() }),
  'datasets.import': z.object({
    name,
    /** Electron: a path from the open dialog (files.pick) or a dropped file (api.localPath) */
    path: z.string().optional(),
    /** Electron, line-aligned pair: [X.en, X.hi] */
    paths: z.array(z.string().min(1)).min(1).max(2).optional(),
    /** browser: the file's name and text (upload) */
    fileName: z.string().optional(),
    content: z.string().optional(),
    /** browser, line-aligned pair: both files' names and texts */
    uploads: z
      .array(z.object({ fileName: z.string().min(1), content: z.string() }))
      .min(1)
      .max(2)
      .optional(),
    format: z.enum(['tsv', 'csv', 'jsonl', 'moses']).optional(),
    /** CSV: the header names of the English and Hindi columns */
    srcCol: z.string().optional(),
    tgtCol: z.string().optional(),
    skipBad: z.boolean().optional(),
    jobId: z.string().min(1),
  }),
  /** Electron only (a browser cannot see paths): the native open dialog; [] when cancelled */
  'files.pick': z.object({ title: z.string().optional(), multiple: z.boolean().optional() }),
  /** version: a dataset version's number (datasets.versions); none: the head as it is now */
  'datasets.export': z.object({
    name,
    format: z.enum(['tsv', 'csv', 'jsonl']),
    version: z.number().int().min(1).optional(),
  }),
  'datasets.versions': z.object({ name }),
  /** from, to: version numbers; a page of the differing pairs (added, removed, changed) in dataset order */
  'datasets.versionDiff': z.object({
    name,
    from: z.number().int().min(1),
    to: z.number().int().min(1),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    /** progress as job.progress events; jobs.cancel stops it */
    jobId: z.string().min(1).optional(),
  }),
  'datasets.versionRuns': z.object({ name, version: z.number().int().min(1) }),
  'datasets.delete': z.object({ name }),
  'datasets.splits': z.object({ name }),
  'datasets.split': z.object({
    name,
    splitName: z.string().min(1).default('default'),
    seed: z.number().int().min(0),
    valid_ratio: z.number().min(0).max(0.5),
    test_ratio: z.number().min(0).max(0.5),
  }),
  /** a filter pipeline's counts, a page of the removed pairs with reasons, and histograms; nothing changes */
  'datasets.filterPreview': z.object({
    name,
    pipeline: FilterPipelineSchema,
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(0).max(500).optional(),
    /** progress as job.progress events (a first preview measures every pair); jobs.cancel stops it */
    jobId: z.string().min(1).optional(),
  }),
  /**
   * the pipeline's removed pairs leave the head as one undoable edit, and a new version records the rest;
   * jobId: progress as job.progress events, jobs.cancel stops it and nothing is written (one transaction)
   */
  'datasets.filterApply': z.object({
    name,
    pipeline: FilterPipelineSchema,
    label: z.string().min(1).max(200),
    jobId: z.string().min(1).optional(),
  }),
  'datasets.duplicatePartners': z.object({ name, pairId: id }),
  /** keep one pair of a near-duplicate group: the others (its partners) leave the head, as a new version */
  'datasets.keepDuplicate': z.object({
    name,
    keepPairId: id,
    removePairIds: z.array(id).min(1).max(10_000),
    jobId: z.string().min(1).optional(),
  }),
  'pairs.list': z.object({
    name,
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    /** text, or a regular expression (regex), which runs off the event loop within a time limit */
    search: z.string().max(1000).optional(),
    regex: z.boolean().optional(),
    side: z.enum(['source', 'target', 'both']).optional(),
    sort: z.enum(['ord', 'source', 'target', 'updated', 'length', ...MODEL_SORT_KEYS]).optional(),
    desc: z.boolean().optional(),
    finding: z.string().optional(),
    tag: z.string().optional(),
    /** the run whose numbers sort (confidence, variability, correctness, model_score) or filter (region) */
    runId: id.optional(),
    region: z.enum(CARTOGRAPHY_REGIONS).optional(),
  }),
  'pairs.edit': z.object({ name, label: z.string().min(1), changes: z.array(pairChange).min(1) }),
  'pairs.undo': z.object({ name }),
  'pairs.redo': z.object({ name }),
  'pairs.history': z.object({ name }),
  /** the training pairs that contain these words, together and in order (an n-gram of a model's output) */
  'pairs.searchNgram': z.object({
    name,
    text: z.string().min(1).max(1000),
    side: z.enum(NGRAM_SIDES).default('both'),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.number().int().min(1).max(NGRAM_MAX_LIMIT).optional(),
  }),
  'jobs.cancel': z.object({ jobId: z.string().min(1) }),
  /** filters (all optional): a tag, text in name/tags/notes, a status, a sweep */
  'runs.list': z.object({
    tag: z.string().max(64).optional(),
    search: z.string().max(200).optional(),
    status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'imported']).optional(),
    sweepId: id.optional(),
  }),
  /** tags: the whole new list; or add/remove some */
  'runs.setTags': z.object({
    id,
    tags: z.array(z.string().max(64)).max(50).optional(),
    add: z.array(z.string().max(64)).max(50).optional(),
    remove: z.array(z.string().max(64)).max(50).optional(),
  }),
  'runs.setNotes': z.object({ id, notes: z.string().max(10_000) }),
  /** seed groups: by everything but random_seed, by one parameter, or each run alone; buckets: x columns */
  'runs.groups': z.object({
    runIds: z.array(id).min(1).max(200),
    by: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('seed') }),
        z.object({ kind: z.literal('param'), key: z.string().min(1) }),
        z.object({ kind: z.literal('none') }),
      ])
      .default({ kind: 'seed' }),
    names: z.array(z.string()).optional(),
    buckets: z.number().int().min(8).max(100_000).optional(),
  }),
  /** all: done and cancelled entries too */
  'queue.list': z.object({ all: z.boolean().optional() }),
  /** the launch form's "queue": checked as a launch, started by the queue's scheduler */
  'queue.enqueue': z.object({
    preset: z.string().optional(),
    config: z.record(z.string(), z.unknown()),
    name: z.string().optional(),
    backend: backend.optional(),
  }),
  /** id: hold one waiting entry; none: pause the whole queue (running trainers go on) */
  'queue.pause': z.object({ id: id.optional() }),
  'queue.resume': z.object({ id: id.optional() }),
  /** id: one entry (a running one is stopped as runs.cancel does); sweepId: every open entry of a sweep */
  'queue.cancel': z.object({ id: id.optional(), sweepId: id.optional() }),
  /** index 0: the next to start */
  'queue.move': z.object({ id, index: z.number().int().min(0) }),
  /** null: what the machine can take */
  'queue.setMaxConcurrent': z.object({ maxConcurrent: z.number().int().min(1).max(256).nullable() }),
  /**
   * config: settings shared by every run (dataset included); grid: the swept values (or `random` draws from
   * them); seeds: each combination once per seed. Every config is checked first: one bad value queues nothing.
   */
  'sweep.launch': z.object({
    preset: z.string().optional(),
    config: z.record(z.string(), z.unknown()),
    grid: z.array(z.object({ key: z.string().min(1), values: z.array(z.unknown()).min(1).max(100) })).max(10),
    seeds: z.array(z.number().int().min(0)).min(1).max(100).optional(),
    random: z.number().int().min(1).max(1000).optional(),
    drawSeed: z.number().int().min(0).optional(),
    name: z.string().max(200).optional(),
    backend: backend.optional(),
  }),
  'runs.get': z.object({ id }),
  /** the diff of the dataset versions two runs trained on (a: the older side) */
  'runs.dataDiff': z.object({
    a: id,
    b: id,
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    jobId: z.string().min(1).optional(),
  }),
  /**
   * queues the run's config on its dataset's current head; when done, a bootstrap against it is stored.
   * jobId: the head's snapshot as job.progress events; jobs.cancel stops it before anything is queued
   */
  'runs.retrain': z.object({ id, jobId: z.string().min(1).optional() }),
  /** the stored comparisons where the run is the new system or the baseline */
  'runs.comparisons': z.object({ id }),
  'runs.validateConfig': z.object({ preset: z.string().optional(), config: z.record(z.string(), z.unknown()) }),
  'runs.launch': z.object({
    preset: z.string().optional(),
    config: z.record(z.string(), z.unknown()),
    name: z.string().optional(),
    parentRunId: id.optional(),
    backend: backend.optional(),
  }),
  'runs.cancel': z.object({ id }),
  'runs.resume': z.object({ id }),
  'runs.delete': z.object({ id }),
  /**
   * With maxPoints, each series comes back cut to at most that many points (each stretch keeps its first,
   * lowest, highest and last point); with smoothing, every point carries `smoothed`, computed BEFORE the cut.
   * Without them: every point (CSV export of the full data). Steps and values always; epochs and wall times
   * only when `fields` names them.
   */
  'metrics.series': z.object({
    runIds: z.array(id).min(1).max(50),
    names: z.array(z.string()).optional(),
    maxPoints: z.number().int().min(8).max(1_000_000).optional(),
    smoothing: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        z.object({ kind: z.literal('ema'), weight: z.number().min(0).max(0.9999) }),
        z.object({ kind: z.literal('moving'), window: z.number().int().min(1).max(1_000_000) }),
      ])
      .optional(),
    /** a zoomed chart: only steps from..to (and the point either side), cut to maxPoints, smoothed as the whole */
    range: z.object({ from: z.number(), to: z.number() }).optional(),
    fields: z.array(z.enum(['epoch', 'wall_time'])).optional(),
    /**
     * with smoothing: only each series' `smoothed` column (steps and values come back empty), for a caller that
     * holds the same series (same maxPoints and range) under another smoothing: the cut keeps the same points
     * whatever the smoothing (it is chosen on the values), so a smoothing change resends neither steps nor values
     */
    smoothedOnly: z.boolean().optional(),
  }),
  /** The metric names each run has, cheap, so a chart fetches only the metric it shows. */
  'metrics.names': z.object({ runIds: z.array(id).min(1).max(200) }),
  /** jobId (optional): jobs.cancel stops the decoding */
  'compare.bootstrap': z.object({
    baseline: id,
    system: id,
    samples: z.number().int().min(10).max(DECODE_LIMITS.bootstrapSamples).optional(),
    maxSentences: z.number().int().min(1).max(DECODE_LIMITS.bootstrapSentences).optional(),
    /** the part of the baseline's data split to test on; an empty part is an error, never a switch to another */
    split: z.enum(['test', 'valid', 'train']).default('test'),
    jobId: z.string().min(1).optional(),
  }),
  'compare.translations': z.object({
    runIds: z.array(id).min(1).max(DECODE_LIMITS.compareRuns),
    sources: z.array(text).min(1).max(DECODE_LIMITS.compareSources),
    jobId: z.string().min(1).optional(),
  }),
  'playground.translate': z
    .object({
      runId: id,
      checkpoint: z.string().max(100).default('best'),
      texts: z.array(text).min(1).max(DECODE_LIMITS.texts),
      settings: decodeSettings.default({}),
      jobId: z.string().min(1).optional(),
    })
    .superRefine(decodeBudget),
  /** target tokens back to text as the run's pipeline writes them (the "what if" prefix of the playground) */
  'playground.detokenize': z.object({
    runId: id,
    checkpoint: z.string().max(100).default('best'),
    tokens: z.array(z.string().max(200)).max(DECODE_LIMITS.maxOutputLength),
  }),
  'runs.checkpoints': z.object({ id }),
  /**
   * The mean of the run's last N trained checkpoints, kept as its checkpoint "averaged" (workbench average):
   * evaluate, translate and export it like any other. N is bounded by what a run keeps (each is loaded at once).
   */
  'runs.average': z.object({ runId: id, last: z.number().int().min(1).max(50) }),
  /**
   * Test-set evaluation of a run's checkpoint on a part of its own split (the app reads no file paths),
   * scored and stored as workbench evaluate stores it; jobId: jobs.cancel stops the decoding.
   */
  'runs.evaluate': z.object({
    runId: id,
    checkpoint: z.string().max(100).default('best'),
    part: z.enum(['test', 'valid']).default('test'),
    maxSentences: z.number().int().min(1).max(DECODE_LIMITS.bootstrapSentences).default(1000),
    settings: decodeSettings.default({}),
    jobId: z.string().min(1).optional(),
  }),
  /**
   * zip: bytes to download (browser) or a file saved through the save dialog (Electron); folder: Electron only, into a
   * chosen folder
   */
  'export.model': z.object({
    runId: id,
    checkpoint: z.string().default('best'),
    format: z.enum(['zip', 'folder']).default('zip'),
  }),
  'export.metrics': z.object({ runIds: z.array(id).min(1), format: z.enum(['csv', 'json']) }),
  'export.file': z.object({ fileName: z.string().min(1), mime: z.string(), base64: z.string() }),
  /**
   * An exported model (the .zip export.model writes) uploaded and registered as an imported run, checked as untrusted.
   */
  'models.import': z.object({
    fileName: z.string().min(1).max(255),
    /** under the socket's 256 MiB message limit */
    base64: z
      .string()
      .min(1)
      .max(240 * 2 ** 20),
    name: z.string().min(1).max(200).optional(),
  }),
  /** sacreBLEU-exact BLEU and chrF of uploaded texts, one segment a line (workbench score); nothing stored */
  'metrics.score': z.object({
    hypotheses: z.string().max(64 * 2 ** 20),
    references: z.string().max(64 * 2 ** 20),
    tokenize: z.enum(['13a', 'intl', 'none', 'char']).default('intl'),
    lowercase: z.boolean().default(false),
  }),
  // ---- model-stats (issue 15: per-pair numbers from models, per-sentence results) ----
  /** forced-decoding score of every pair of a dataset by a run's checkpoint, stored; jobs.cancel stops it */
  'datasets.scorePairs': z.object({
    name,
    runId: id,
    checkpoint: z.string().max(100).default('best'),
    jobId: z.string().min(1).optional(),
  }),
  /** a run's data map: counts per region and the pairs asked for (pairIds) or a region's least confident */
  'datasets.cartography': z.object({
    name,
    runId: id,
    pairIds: z.array(id).max(1000).optional(),
    region: z.enum(CARTOGRAPHY_REGIONS).optional(),
    limit: z.number().int().min(0).max(1000).default(50),
  }),
  /** a test sentence's translations across validations and evaluations of every run (or of runIds) */
  'runs.sentenceHistory': z.object({
    source: z.string().min(1).max(DECODE_LIMITS.textChars),
    runIds: z.array(id).max(200).optional(),
  }),
  /** the sentences of a run's evaluation (default: its latest with sentences), worst chrF first */
  'runs.evaluationSentences': z.object({
    runId: id,
    evaluationId: id.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  }),
  /** a run's evaluation (default: its latest on its own split) scored per finding kind, length bucket, tag */
  'runs.slices': z.object({ runId: id, evaluationId: id.optional() }),
} as const;

export type Channel = keyof typeof schemas;
export type Input<C extends Channel> = z.input<(typeof schemas)[C]>;
export type ParsedInput<C extends Channel> = z.output<(typeof schemas)[C]>;

export interface Outputs {
  'app.info': AppInfoDto;
  'app.backends': BackendsDto;
  'datasets.list': DatasetDto[];
  'datasets.stats': DatasetStatsDto;
  'datasets.findings': FindingDto[];
  'datasets.fix': { fixed: number };
  'datasets.import': ImportResultDto;
  'files.pick': { paths: string[] };
  'datasets.export': FileDto;
  'datasets.versions': DatasetVersionDto[];
  'datasets.versionDiff': VersionDiffDto;
  'datasets.versionRuns': RunSummaryDto[];
  'datasets.delete': { deleted: string };
  'datasets.splits': SplitDto[];
  'datasets.split': SplitDto;
  'datasets.filterPreview': FilterPreviewDto;
  'datasets.filterApply': FilterApplyDto;
  'datasets.duplicatePartners': DuplicatePartnersDto;
  'datasets.keepDuplicate': FilterApplyDto;
  'pairs.list': PairPageDto;
  'pairs.edit': { groupId: number; pairIds: number[] };
  'pairs.undo': HistoryDto | null;
  'pairs.redo': HistoryDto | null;
  'pairs.history': HistoryDto[];
  'pairs.searchNgram': NgramPageDto;
  'jobs.cancel': { cancelled: boolean };
  'runs.list': RunSummaryDto[];
  'runs.setTags': { tags: string[] };
  'runs.setNotes': { notes: string };
  'runs.groups': RunGroupDto[];
  'queue.list': QueueDto;
  'queue.enqueue': QueueEntryDto;
  'queue.pause': QueueDto;
  'queue.resume': QueueDto;
  'queue.cancel': QueueDto;
  'queue.move': QueueDto;
  'queue.setMaxConcurrent': QueueDto;
  'sweep.launch': { sweep: SweepDto; entries: QueueEntryDto[] };
  'runs.get': RunDetailDto;
  'runs.dataDiff': RunDataDiffDto;
  'runs.retrain': RetrainDto;
  'runs.comparisons': RunComparisonDto[];
  'runs.validateConfig': { ok: boolean; config: RunConfig | null; issues: Array<{ key: string; message: string }> };
  'runs.launch': RunSummaryDto;
  'runs.cancel': { ok: true };
  'runs.resume': RunSummaryDto;
  'runs.delete': { ok: true };
  'metrics.series': Record<number, Record<string, MetricSeriesDto>>;
  'metrics.names': Record<number, string[]>;
  'compare.bootstrap': BootstrapDto;
  'compare.translations': Array<{ runId: number; translations: string[] }>;
  'playground.translate': TranslationDto[];
  'playground.detokenize': { text: string };
  'runs.checkpoints': CheckpointDto[];
  /** the new checkpoint (label "averaged last N") and the steps it averages, oldest first */
  'runs.average': { checkpoint: CheckpointDto; steps: number[] };
  'runs.evaluate': EvaluationDto & { sentences: number; chrfSignature: string; seconds: number };
  'export.model': FileDto;
  'export.metrics': FileDto;
  'export.file': FileDto;
  'models.import': RunSummaryDto;
  'metrics.score': { sentences: number; bleu: number; bleuSignature: string; chrf: number; chrfSignature: string };
  'datasets.scorePairs': PairScoringResultDto;
  'datasets.cartography': CartographyDto;
  'runs.sentenceHistory': SentenceHistoryDto;
  'runs.evaluationSentences': EvaluationSentencesDto;
  'runs.slices': SlicesDto;
}
export type Output<C extends Channel> = Outputs[C];

// ---- events (main → renderer) --------------------------------------------------------

export type WorkbenchEvent =
  | { type: 'run.progress'; runId: number; progress: RunProgressDto }
  | { type: 'run.status'; runId: number; status: RunStatusDto }
  /** the queue moved (an entry started, ended, was queued, moved or cancelled): ask queue.list again */
  | { type: 'queue.changed' }
  | {
      type: 'job.progress';
      jobId: string;
      rows: number;
      fraction: number | null;
      rowsPerSecond: number;
      etaSeconds: number | null;
      /** dataset work (filters, versions): the step in words ("measuring pairs") and its rows in all */
      step?: string;
      total?: number;
    };

// ---- wire format (WebSocket and IPC) ---------------------------------------------------

export interface RequestMessage {
  id: number;
  channel: string;
  input: unknown;
}
export type ResponseMessage = NumberedReply;
export interface EventMessage {
  event: WorkbenchEvent;
}

/** What the preload exposes as window.workbench (and the browser bridge implements). */
export interface WorkbenchApi {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  onEvent(listener: (e: WorkbenchEvent) => void): () => void;
  readonly door: 'electron' | 'browser';
}
