import { createHash } from 'node:crypto';
import { WorkbenchError } from '../../common/errors.ts';
import type { PairModelScore, PairScoringResultDto } from '../../common/model-stats.ts';
import type { ForcedScore } from '../inference/forced-score.ts';
import type { Db } from '../store/db.ts';
import { getDataset } from '../store/datasets.ts';
import { getRun } from '../store/runs.ts';

/**
 * Per-pair forced-decoding scores of a dataset by a trained run (issue 15): computed chunk by chunk
 * (a cancellable job with progress: the scoring itself runs where the caller says, the inference
 * process for the app, in-process for the CLI), stored in pair_model_scores, and read back by
 * `pairModelScores` (the model_score filter) and the pair table's model_score sort.
 *
 * A pair's score is its target's log-probability per token (<eos> included): comparable across
 * lengths. Pairs with an empty source are not scored (the validator's empty_side covers them).
 * A new scoring replaces the run's earlier scores of the dataset; a pair edited since it was
 * scored reads as stale.
 */
export interface ScorePairsOptions {
  /** the label of the checkpoint scored with (recorded in the result) */
  checkpoint: string;
  /** scores one chunk of pairs, in order */
  scoreChunk(pairs: ReadonlyArray<{ source: string; target: string }>): Promise<ForcedScore[]>;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  /** pairs per chunk (one round trip to the scorer; a cancel waits for the chunk in progress) */
  chunk?: number;
}

/** Of a pair's two sides: what a stored score was computed on. */
export function pairTextHash(source: string, target: string): string {
  return createHash('sha1').update(source).update('\t').update(target).digest('hex').slice(0, 16);
}

export async function scorePairs(
  db: Db,
  runId: number,
  datasetId: number,
  opts: ScorePairsOptions,
): Promise<PairScoringResultDto> {
  const run = getRun(db, runId); // not_found names it
  const dataset = getDataset(db, datasetId);
  const t0 = performance.now();
  const total = (db.prepare('SELECT count(*) FROM pairs WHERE dataset_id = ?').pluck().get(datasetId) as number) || 0;
  db.prepare('DELETE FROM pair_model_scores WHERE run_id = ? AND dataset_id = ?').run(runId, datasetId);
  const page = db.prepare('SELECT id, source, target FROM pairs WHERE dataset_id = ? AND id > ? ORDER BY id LIMIT ?');
  const insert = db.prepare(
    `INSERT OR REPLACE INTO pair_model_scores
       (run_id, dataset_id, pair_id, log_prob, tokens, score, text_hash, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const chunk = opts.chunk ?? 256;
  let after = 0;
  let done = 0;
  let scored = 0;
  let sum = 0;
  for (;;) {
    // Paged by id, not one iterator: the store serves other requests between chunks.
    const rows = page.all(datasetId, after, chunk) as Array<{ id: number; source: string; target: string }>;
    if (rows.length === 0) break;
    if (opts.signal?.aborted) throw new WorkbenchError('cancelled', `scoring cancelled after ${done} pairs`);
    const scorable = rows.filter((r) => r.source.trim() !== '');
    const scores = scorable.length ? await opts.scoreChunk(scorable) : [];
    const now = new Date().toISOString();
    db.transaction(() => {
      scorable.forEach((r, i) => {
        const { logProb, tokens } = scores[i];
        if (!Number.isFinite(logProb) || tokens < 1) return;
        const score = logProb / tokens;
        insert.run(runId, datasetId, r.id, logProb, tokens, score, pairTextHash(r.source, r.target), now);
        scored += 1;
        sum += score;
      });
    })();
    after = rows[rows.length - 1].id;
    done += rows.length;
    opts.onProgress?.(done, total);
  }
  return {
    runId: run.id,
    datasetName: dataset.name,
    checkpoint: opts.checkpoint,
    scored,
    mean: scored ? sum / scored : null,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The stored scores of a dataset's pairs by a run, by pair id (pairs never scored are absent). */
export function pairModelScores(db: Db, runId: number, datasetId: number): Map<number, PairModelScore> {
  const rows = db
    .prepare(
      `SELECT s.pair_id, s.score, s.log_prob, s.tokens, s.text_hash, p.source, p.target
       FROM pair_model_scores s JOIN pairs p ON p.id = s.pair_id
       WHERE s.run_id = ? AND s.dataset_id = ?`,
    )
    .all(runId, datasetId) as Array<{
    pair_id: number;
    score: number;
    log_prob: number;
    tokens: number;
    text_hash: string;
    source: string;
    target: string;
  }>;
  const out = new Map<number, PairModelScore>();
  for (const r of rows) {
    const stale = pairTextHash(r.source, r.target) !== r.text_hash;
    out.set(r.pair_id, { pairId: r.pair_id, score: r.score, logProb: r.log_prob, tokens: r.tokens, stale });
  }
  return out;
}
