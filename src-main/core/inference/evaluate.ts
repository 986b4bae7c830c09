import { readFileSync } from 'node:fs';
import { badInput } from '../../common/errors.ts';
import { corpusBleu } from '../metrics/bleu.ts';
import { corpusChrf } from '../metrics/chrf.ts';
import type { RunConfig } from '../../common/config.ts';
import type { EvaluationDto } from '../../common/contract.ts';
import type { CheckpointRecord } from '../store/checkpoints.ts';
import type { Db } from '../store/db.ts';
import { recordMetrics } from '../store/run-metrics.ts';
import { recordEvaluationSentences } from './sentence-history.ts';
import { splitEvaluationSet } from './split-evaluation.ts';
import type { Translator, TranslateSettings } from './translator.ts';

/**
 * Test-set evaluation of a run: decode a source file, score against the
 * reference with sacreBLEU-exact BLEU and chrF, and store the result (with the
 * signature and decoding settings) in `evaluations` and as test/* metrics.
 */
export function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw badInput(`${file}: cannot read`, { file });
  }
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function readParallel(srcFile: string, refFile: string): { sources: string[]; refs: string[] } {
  const sources = readLines(srcFile);
  const refs = readLines(refFile);
  if (sources.length !== refs.length) {
    throw badInput(`${refFile} has ${refs.length} lines but ${srcFile} has ${sources.length}`, { file: refFile });
  }
  return { sources, refs };
}

export interface EvaluationResult {
  /** the stored evaluation (null: an ensemble's, which belongs to no one run and is only reported) */
  id: number | null;
  runId: number;
  checkpoint: string;
  sentences: number;
  bleu: number;
  chrf: number;
  signature: string;
  chrfSignature: string;
  decoding: ReturnType<Translator['decodeOptions']> & { ensemble?: Array<{ runId: number; checkpoint: string }> };
  seconds: number;
  hypotheses: string[];
}

/** What to score: two line-aligned files, or a part of the run's own data split (as the app's Evaluate does). */
export type EvaluationSource = { src: string; ref: string } | { part: 'test' | 'valid'; maxSentences?: number };

export async function evaluateRun(
  db: Db,
  translator: Translator,
  from: EvaluationSource,
  settings: TranslateSettings = {},
): Promise<EvaluationResult> {
  const { sources, refs, pairIds, files } = evaluationSet(db, translator.runId, from);
  const t0 = performance.now();
  const hyps = (await translator.translate(sources, settings)).map((t) => t.hypotheses[0]?.text ?? '');
  const seconds = (performance.now() - t0) / 1000;
  // The full effective settings (config defaults + overrides): what a reader needs to reproduce the score.
  const ensemble = translator.members?.map((m) => ({ runId: m.runId, checkpoint: m.checkpoint.path }));
  const decoding = { ...translator.decodeOptions(settings), ...(ensemble ? { ensemble } : {}) };
  // An ensemble's score is no one run's: stored, it would read as the first run's test score.
  const store = translator.members ? null : db;
  const input = {
    runId: translator.runId,
    checkpoint: translator.checkpoint,
    files,
    sources,
    pairIds,
    refs,
    hyps,
    decoding,
    seconds,
  };
  return scoreEvaluation(store, input, translator.config.sacrebleu_tokenize);
}

function evaluationSet(db: Db, runId: number, from: EvaluationSource) {
  if (!('part' in from)) return { ...readParallel(from.src, from.ref), pairIds: undefined, files: from };
  const set = splitEvaluationSet(db, runId, from.part, from.maxSentences);
  return { ...set, files: { src: set.where, ref: set.where } };
}

export interface EvaluationInput {
  runId: number;
  checkpoint: CheckpointRecord;
  /** where sources and references came from (files, or a split: "split:NAME/test") */
  files: { src: string; ref: string };
  refs: string[];
  hyps: string[];
  /** given: each sentence's hypothesis and chrF is stored too (sentence-history.ts), with its pair if any */
  sources?: readonly string[];
  pairIds?: ReadonlyArray<number | null>;
  decoding: EvaluationResult['decoding'];
  seconds: number;
}

/**
 * sacreBLEU-exact BLEU and chrF of decoded hypotheses and, given a store, the evaluation
 * recorded (row + test/* metrics at the checkpoint's step): the CLI decodes in-process,
 * the service in the inference process, and both score and record here.
 */
export function scoreEvaluation(
  db: Db | null,
  e: EvaluationInput,
  tokenize: RunConfig['sacrebleu_tokenize'],
): EvaluationResult {
  const bleu = corpusBleu(e.hyps, [e.refs], { tokenize });
  const chrf = corpusChrf(e.hyps, [e.refs]);
  const detail = {
    counts: bleu.counts,
    totals: bleu.totals,
    sys_len: bleu.sys_len,
    ref_len: bleu.ref_len,
    chrf_signature: chrf.signature,
    seconds: e.seconds,
    /** the checkpoint's step (a sentence's history places the evaluation on the run's steps) */
    step: e.checkpoint.step,
  };
  const record = (store: Db) =>
    store.transaction(() => {
      const info = store
        .prepare(
          `INSERT INTO evaluations
             (run_id, checkpoint, src_path, ref_path, decoding, bleu, chrf, signature, detail, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.runId,
          e.checkpoint.path,
          e.files.src,
          e.files.ref,
          JSON.stringify(e.decoding),
          bleu.score,
          chrf.score,
          bleu.signature,
          JSON.stringify(detail),
          new Date().toISOString(),
        );
      const at = { step: e.checkpoint.step, epoch: e.checkpoint.epoch, wall_time: Date.now() / 1000 };
      recordMetrics(store, e.runId, [
        { name: 'test/bleu', ...at, value: bleu.score },
        { name: 'test/chrf', ...at, value: chrf.score },
      ]);
      const id = Number(info.lastInsertRowid);
      if (e.sources) recordEvaluationSentences(store, id, { ...e, sources: e.sources });
      return id;
    })();
  return {
    id: db ? record(db) : null,
    runId: e.runId,
    checkpoint: e.checkpoint.path,
    sentences: e.hyps.length,
    bleu: bleu.score,
    chrf: chrf.score,
    signature: bleu.signature,
    chrfSignature: chrf.signature,
    decoding: e.decoding,
    seconds: e.seconds,
    hypotheses: e.hyps,
  };
}

/** A stored evaluation: what the doors show (EvaluationDto) and its run. */
export interface EvaluationRecord extends EvaluationDto {
  runId: number;
}

export function listEvaluations(db: Db, runId: number): EvaluationRecord[] {
  return (
    db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY id').all(runId) as Array<{
      id: number;
      run_id: number;
      checkpoint: string;
      src_path: string;
      ref_path: string;
      decoding: string;
      bleu: number;
      chrf: number;
      signature: string;
      created_at: string;
    }>
  ).map((r) => ({
    id: r.id,
    runId: r.run_id,
    checkpoint: r.checkpoint,
    srcPath: r.src_path,
    refPath: r.ref_path,
    decoding: JSON.parse(r.decoding),
    bleu: r.bleu,
    chrf: r.chrf,
    signature: r.signature,
    createdAt: r.created_at,
  }));
}
