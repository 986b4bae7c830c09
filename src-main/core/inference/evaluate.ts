import { readFileSync } from 'node:fs';
import { badInput } from '../../common/errors.ts';
import { corpusBleu } from '../metrics/bleu.ts';
import { pairedBootstrap, type BootstrapResult } from '../metrics/bootstrap.ts';
import { corpusChrf } from '../metrics/chrf.ts';
import type { Db } from '../store/db.ts';
import { recordMetrics } from '../store/run-metrics.ts';
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
  id: number;
  runId: number;
  checkpoint: string;
  sentences: number;
  bleu: number;
  chrf: number;
  signature: string;
  chrfSignature: string;
  decoding: ReturnType<Translator['decodeOptions']>;
  seconds: number;
  hypotheses: string[];
}

export async function evaluateRun(
  db: Db,
  translator: Translator,
  files: { src: string; ref: string },
  settings: TranslateSettings = {},
): Promise<EvaluationResult> {
  const { sources, refs } = readParallel(files.src, files.ref);
  const t0 = performance.now();
  const hyps = (await translator.translate(sources, settings)).map((t) => t.hypotheses[0]?.text ?? '');
  const seconds = (performance.now() - t0) / 1000;
  const tokenize = translator.config.sacrebleu_tokenize;
  const bleu = corpusBleu(hyps, [refs], { tokenize });
  const chrf = corpusChrf(hyps, [refs]);
  // The full effective settings (config defaults + overrides): what a reader needs to reproduce the score.
  const decoding = translator.decodeOptions(settings);
  const detail = { counts: bleu.counts, totals: bleu.totals, sys_len: bleu.sys_len, ref_len: bleu.ref_len, chrf_signature: chrf.signature, seconds };
  const id = db.transaction(() => {
    const info = db
      .prepare('INSERT INTO evaluations (run_id, checkpoint, src_path, ref_path, decoding, bleu, chrf, signature, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(translator.runId, translator.checkpoint.path, files.src, files.ref, JSON.stringify(decoding), bleu.score, chrf.score, bleu.signature, JSON.stringify(detail), new Date().toISOString());
    const at = { step: translator.checkpoint.step, epoch: translator.checkpoint.epoch, wall_time: Date.now() / 1000 };
    recordMetrics(db, translator.runId, [
      { name: 'test/bleu', ...at, value: bleu.score },
      { name: 'test/chrf', ...at, value: chrf.score },
    ]);
    return Number(info.lastInsertRowid);
  })();
  return { id, runId: translator.runId, checkpoint: translator.checkpoint.path, sentences: sources.length, bleu: bleu.score, chrf: chrf.score, signature: bleu.signature, chrfSignature: chrf.signature, decoding, seconds, hypotheses: hyps };
}

export interface EvaluationRecord {
  id: number;
  runId: number;
  checkpoint: string;
  srcPath: string;
  refPath: string;
  decoding: unknown;
  bleu: number;
  chrf: number;
  signature: string;
  createdAt: string;
}

export function listEvaluations(db: Db, runId: number): EvaluationRecord[] {
  return (
    db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY id').all(runId) as Array<{
      id: number; run_id: number; checkpoint: string; src_path: string; ref_path: string; decoding: string; bleu: number; chrf: number; signature: string; created_at: string;
    }>
  ).map((r) => ({ id: r.id, runId: r.run_id, checkpoint: r.checkpoint, srcPath: r.src_path, refPath: r.ref_path, decoding: JSON.parse(r.decoding), bleu: r.bleu, chrf: r.chrf, signature: r.signature, createdAt: r.created_at }));
}

/** Paired bootstrap of two runs' translations of the same test set. */
export async function compareRuns(
  a: Translator,
  b: Translator,
  files: { src: string; ref: string },
  settings: TranslateSettings = {},
  nSamples = 1000,
): Promise<BootstrapResult & { sentences: number }> {
  const { sources, refs } = readParallel(files.src, files.ref);
  const ha = (await a.translate(sources, settings)).map((t) => t.hypotheses[0]?.text ?? '');
  const hb = (await b.translate(sources, settings)).map((t) => t.hypotheses[0]?.text ?? '');
  return { ...pairedBootstrap(ha, hb, [refs], { n_samples: nSamples, bleu: { tokenize: a.config.sacrebleu_tokenize } }), sentences: sources.length };
}
