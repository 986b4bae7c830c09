import { notFound } from '../../common/errors.ts';
import type { EvaluationSentencesDto, SentenceHistoryDto, SentenceHistoryEntryDto } from '../../common/model-stats.ts';
import { chrfFromStats, segmentStats } from '../metrics/chrf.ts';
import type { Db } from '../store/db.ts';

/**
 * Per-sentence results (issue 15): every stored evaluation keeps each sentence's hypothesis and
 * sentence chrF (evaluation_sentences), so a test sentence's translations can be listed across the
 * validations of training (the samples) and the evaluations of every run, and a test set can be
 * scored in slices (slices.ts).
 */
export interface EvaluationSentencesInput {
  sources: readonly string[];
  refs: readonly string[];
  hyps: readonly string[];
  /** the pair each sentence is (evaluations on a run's split), null or absent for files */
  pairIds?: ReadonlyArray<number | null>;
}

/** Sentence chrF (chrF2, sacreBLEU's sentence_chrf): 0 to 100. */
export function sentenceChrf(hypothesis: string, reference: string): number {
  return chrfFromStats(segmentStats(hypothesis, [reference]));
}

export function recordEvaluationSentences(db: Db, evaluationId: number, s: EvaluationSentencesInput): void {
  const insert = db.prepare(
    `INSERT INTO evaluation_sentences (evaluation_id, idx, pair_id, source, reference, hypothesis, chrf)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    s.sources.forEach((source, i) => {
      const chrf = sentenceChrf(s.hyps[i], s.refs[i]);
      insert.run(evaluationId, i, s.pairIds?.[i] ?? null, source, s.refs[i], s.hyps[i], chrf);
    });
  })();
}

/** A sentence's translations: validation samples of training and stored evaluations, run by run, oldest first. */
export function sentenceHistory(db: Db, source: string, runIds?: readonly number[]): SentenceHistoryDto {
  const runFilter = runIds ? 'AND r.id IN (SELECT value FROM json_each(?))' : '';
  const runArgs = runIds ? [JSON.stringify(runIds)] : [];
  const samples = db
    .prepare(
      `SELECT s.run_id, r.name, s.step, s.reference, s.hypothesis FROM samples s JOIN runs r ON r.id = s.run_id
       WHERE s.source = ? ${runFilter} ORDER BY s.run_id, s.step`,
    )
    .all(source, ...runArgs) as Array<{
    run_id: number;
    name: string;
    step: number;
    reference: string;
    hypothesis: string;
  }>;
  const evaluations = db
    .prepare(
      `SELECT e.run_id, r.name, e.id, e.checkpoint, e.created_at, es.reference, es.hypothesis, es.chrf,
              coalesce(json_extract(e.detail, '$.step'), r.step) AS step
       FROM evaluation_sentences es JOIN evaluations e ON e.id = es.evaluation_id JOIN runs r ON r.id = e.run_id
       WHERE es.source = ? ${runFilter} ORDER BY e.run_id, e.id`,
    )
    .all(source, ...runArgs) as Array<{
    run_id: number;
    name: string;
    id: number;
    checkpoint: string;
    created_at: string;
    reference: string;
    hypothesis: string;
    chrf: number;
    step: number;
  }>;
  const entries: SentenceHistoryEntryDto[] = [
    ...samples.map((s) => ({
      runId: s.run_id,
      runName: s.name,
      kind: 'validation' as const,
      step: s.step,
      evaluationId: null,
      checkpoint: null,
      reference: s.reference,
      hypothesis: s.hypothesis,
      chrf: sentenceChrf(s.hypothesis, s.reference),
      createdAt: null,
    })),
    ...evaluations.map((e) => ({
      runId: e.run_id,
      runName: e.name,
      kind: 'evaluation' as const,
      step: e.step,
      evaluationId: e.id,
      checkpoint: e.checkpoint,
      reference: e.reference,
      hypothesis: e.hypothesis,
      chrf: e.chrf,
      createdAt: e.created_at,
    })),
  ];
  // Run by run; within a run, validations by step, then its evaluations (made after training).
  entries.sort((a, b) => a.runId - b.runId || (a.kind === b.kind ? a.step - b.step : a.kind === 'validation' ? -1 : 1));
  return { source, entries };
}

/** The run's latest evaluation that kept its sentences (null: none did). */
export function latestEvaluationWithSentences(db: Db, runId: number): number | null {
  const id = db
    .prepare(
      `SELECT e.id FROM evaluations e WHERE e.run_id = ?
       AND EXISTS (SELECT 1 FROM evaluation_sentences es WHERE es.evaluation_id = e.id) ORDER BY e.id DESC LIMIT 1`,
    )
    .pluck()
    .get(runId) as number | undefined;
  return id ?? null;
}

/** An evaluation of the run: the one named, or its latest with sentences; not_found says which is missing. */
export function resolveEvaluation(db: Db, runId: number, evaluationId?: number): number {
  if (evaluationId !== undefined) {
    const own = db.prepare('SELECT 1 FROM evaluations WHERE id = ? AND run_id = ?').get(evaluationId, runId);
    if (!own) throw notFound(`run ${runId} has no evaluation ${evaluationId}`);
    return evaluationId;
  }
  const latest = latestEvaluationWithSentences(db, runId);
  if (latest === null) {
    throw notFound(
      `run ${runId} has no evaluation with per-sentence results: evaluate it first ` +
        `(Evaluate on its run page, or: workbench evaluate --run ${runId})`,
    );
  }
  return latest;
}

/** A page of an evaluation's sentences, worst chrF first. */
export function evaluationSentences(
  db: Db,
  runId: number,
  opts: { evaluationId?: number; offset?: number; limit?: number } = {},
): EvaluationSentencesDto {
  const evaluationId = resolveEvaluation(db, runId, opts.evaluationId);
  const total = db
    .prepare('SELECT count(*) FROM evaluation_sentences WHERE evaluation_id = ?')
    .pluck()
    .get(evaluationId) as number;
  const offset = opts.offset ?? 0;
  const rows = db
    .prepare(
      `SELECT idx, pair_id AS pairId, source, reference, hypothesis, chrf FROM evaluation_sentences
       WHERE evaluation_id = ? ORDER BY chrf, idx LIMIT ? OFFSET ?`,
    )
    .all(evaluationId, opts.limit ?? 100, offset) as EvaluationSentencesDto['rows'];
  return { evaluationId, total, offset, rows };
}
