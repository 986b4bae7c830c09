import { badInput } from '../../common/errors.ts';
import { loadSplitPairs } from '../data/splits.ts';
import { firstSystem, type BootstrapResult, type MultiBootstrapResult } from '../metrics/bootstrap.ts';
import {
  compareSystems,
  type MetricComparison,
  type SignificanceOptions,
  type SignificanceResult,
} from '../metrics/significance.ts';
import type { Db } from '../store/db.ts';
import { getRun } from '../store/runs.ts';
import { readParallel } from './evaluate.ts';
import type { Translator, TranslateSettings } from './translator.ts';

/**
 * Significance of N runs against a baseline run: each decodes the same sentences, then BLEU and chrF
 * are tested together (metrics/significance.ts). The sentences are named, never guessed: files, or a
 * part of the baseline's data split; a part with no sentences is an error naming it (not a silent
 * switch to another part, whose score would be read as a test score).
 */
export type SplitPart = 'test' | 'valid' | 'train';

export interface TestSentences {
  sources: string[];
  refs: string[];
  /** where they came from, in words: "test.en/test.hi" or "run 3's split default, test part" */
  label: string;
}

export function sentencesFromFiles(files: { src: string; ref: string }): TestSentences {
  return { ...readParallel(files.src, files.ref), label: `${files.src} / ${files.ref}` };
}

export function sentencesFromSplit(db: Db, runId: number, part: SplitPart, max?: number): TestSentences {
  const run = getRun(db, runId);
  if (run.splitId === null) {
    throw badInput(`run ${runId} has no data split (it never prepared its data): give --src and --ref`);
  }
  const pairs = loadSplitPairs(db, run.splitId, part).slice(0, max);
  const split = `run ${runId}'s split "${run.config.split}"`;
  if (pairs.length === 0) {
    const what = `${split} has no ${part} sentences (its ${part} ratio is 0)`;
    throw badInput(`${what}: name another part, or give --src and --ref`, { field: 'split' });
  }
  return { sources: pairs.map((p) => p.source), refs: pairs.map((p) => p.target), label: `${split}, ${part} part` };
}

export interface RunsSignificance extends SignificanceResult {
  baseline: number;
  systems: number[];
  sentences: number;
  data: string;
}

export async function compareRunsOn(
  baseline: Translator,
  systems: readonly Translator[],
  data: TestSentences,
  settings: TranslateSettings = {},
  opts: SignificanceOptions = {},
): Promise<RunsSignificance> {
  const decode = async (t: Translator) =>
    (await t.translate(data.sources, settings)).map((x) => x.hypotheses[0]?.text ?? '');
  const base = await decode(baseline);
  const hyps = [];
  for (const t of systems) hyps.push({ name: `run ${t.runId}`, hyps: await decode(t) });
  const bleu = { tokenize: baseline.config.sacrebleu_tokenize };
  const result = compareSystems(base, hyps, [data.refs], { bleu, ...opts });
  return {
    ...result,
    baseline: baseline.runId,
    systems: systems.map((t) => t.runId),
    sentences: data.sources.length,
    data: data.label,
  };
}

/**
 * BLEU of the first system against the baseline as a two-run paired bootstrap: what the app's compare
 * panel shows of compareRunsOn (method bs), with the sentences and where they came from.
 */
export function twoRunBootstrap(r: RunsSignificance): BootstrapResult & { sentences: number; data: string } {
  if (!isBootstrap(r.bleu)) throw new Error(`a two-run bootstrap needs method bs, got ${r.method}`);
  return { ...firstSystem(r.bleu), sentences: r.sentences, data: r.data };
}

const isBootstrap = (m: MetricComparison): m is MultiBootstrapResult => 'ci' in m.baseline;
