import type { NumberedReply } from '../../common/reply.ts';
import type { SignificanceOptions } from '../metrics/significance.ts';
import type { CheckpointRecord } from '../store/checkpoints.ts';
import type { AveragePlan } from '../train/average-plan.ts';
import type { TestSentences } from './compare-runs.ts';
import type { TranslateSettings } from './translator.ts';

/**
 * What the service and the inference process (worker-entry.ts) say to each
 * other. The parent resolves runs and checkpoints in the store; the process
 * only loads checkpoint folders and decodes, so it never opens the store.
 */
export interface ModelRef {
  runId: number;
  checkpoint: CheckpointRecord;
}

export type InferenceTask =
  /** every hypothesis (playground), or only the best one's text (`textOnly`: side-by-side comparison) */
  | { kind: 'translate'; model: ModelRef; texts: string[]; settings: TranslateSettings; textOnly?: boolean }
  /** every run's translations of the sentences, then each system against the baseline (compare-runs.ts) */
  | {
      kind: 'significance';
      baseline: ModelRef;
      systems: ModelRef[];
      data: TestSentences;
      options: SignificanceOptions;
    }
  /** the mean of the plan's checkpoints written into its folder (the service indexes it in the store) */
  | { kind: 'average'; plan: AveragePlan }
  /** which backend this process decodes on, and which WebGPU adapter `--backend webgpu` would train on */
  | { kind: 'backends' }
  /** each pair's target log-probability given its source, teacher-forced (forced-score.ts) */
  | { kind: 'forcedScore'; model: ModelRef; pairs: Array<{ source: string; target: string }> }
  /** target tokens back to text as the run's pipeline writes it (the playground's "what if" prefix) */
  | { kind: 'detokenize'; model: ModelRef; tokens: string[] };

export interface InferenceRequest {
  id: number;
  task: InferenceTask;
}

export type InferenceReply = NumberedReply;
