import type { SliceDto, SlicesDto } from '../../common/model-stats.ts';
import { validateDataset } from '../data/findings.ts';
import { corpusBleu } from '../metrics/bleu.ts';
import { corpusChrf } from '../metrics/chrf.ts';
import type { Db } from '../store/db.ts';
import { getRun } from '../store/runs.ts';
import { resolveEvaluation } from './sentence-history.ts';

/**
 * A run's test set scored per slice (issue 15): by the validator's finding kinds of each sentence's pair
 * (findings of the dataset as it is now), by source length, and by the pair's tags. The sentences and
 * hypotheses are an evaluation's stored ones (sentence-history.ts); sentences from files (no pair) fall
 * only into length slices. Corpus BLEU (the run's sacreBLEU tokenizer) and chrF per slice.
 */
export const LENGTH_BUCKETS: ReadonlyArray<{ name: string; max: number }> = [
  { name: '1-5 words', max: 5 },
  { name: '6-10 words', max: 10 },
  { name: '11-20 words', max: 20 },
  { name: '21-40 words', max: 40 },
  { name: '41+ words', max: Number.POSITIVE_INFINITY },
];

/** The length bucket of a source sentence, counted in whitespace-separated words. */
export function lengthBucket(source: string): string {
  const words = source.trim().split(/\s+/u).filter(Boolean).length;
  return (LENGTH_BUCKETS.find((b) => words <= b.max) ?? LENGTH_BUCKETS[LENGTH_BUCKETS.length - 1]).name;
}

interface SentenceRow {
  pair_id: number | null;
  source: string;
  reference: string;
  hypothesis: string;
  tags: string | null;
}

export function runSlices(db: Db, runId: number, evaluationId?: number): SlicesDto {
  const run = getRun(db, runId);
  const id = resolveEvaluation(db, runId, evaluationId);
  const data = db.prepare('SELECT src_path FROM evaluations WHERE id = ?').pluck().get(id) as string;
  const rows = db
    .prepare(
      `SELECT es.pair_id, es.source, es.reference, es.hypothesis, p.tags FROM evaluation_sentences es
       LEFT JOIN pairs p ON p.id = es.pair_id WHERE es.evaluation_id = ? ORDER BY es.idx`,
    )
    .all(id) as SentenceRow[];
  const findings = new Map<number, Set<string>>();
  if (run.datasetId !== null && rows.some((r) => r.pair_id !== null)) {
    for (const f of validateDataset(db, run.datasetId)) {
      const kinds = findings.get(f.pairId) ?? new Set<string>();
      kinds.add(f.kind);
      findings.set(f.pairId, kinds);
    }
  }
  // slice key "kind\u0000name" → sentence indices
  const members = new Map<string, number[]>();
  const add = (kind: SliceDto['kind'], name: string, i: number) => {
    const key = `${kind}\u0000${name}`;
    const list = members.get(key) ?? [];
    list.push(i);
    members.set(key, list);
  };
  rows.forEach((r, i) => {
    add('all', 'all', i);
    add('length', lengthBucket(r.source), i);
    if (r.pair_id === null) return;
    for (const kind of findings.get(r.pair_id) ?? []) add('finding', kind, i);
    for (const tag of (r.tags ?? '').split(/\s+/u).filter(Boolean)) add('tag', tag, i);
  });
  const tokenize = run.config.sacrebleu_tokenize;
  const order: Record<SliceDto['kind'], number> = { all: 0, finding: 1, length: 2, tag: 3 };
  const bucketRank = (name: string) => LENGTH_BUCKETS.findIndex((b) => b.name === name);
  const slices = [...members].map(([key, idx]): SliceDto => {
    const [kind, name] = key.split('\u0000') as [SliceDto['kind'], string];
    const hyps = idx.map((i) => rows[i].hypothesis);
    const refs = idx.map((i) => rows[i].reference);
    return {
      kind,
      name,
      sentences: idx.length,
      bleu: corpusBleu(hyps, [refs], { tokenize }).score,
      chrf: corpusChrf(hyps, [refs]).score,
    };
  });
  slices.sort(
    (a, b) =>
      order[a.kind] - order[b.kind] ||
      (a.kind === 'length' ? bucketRank(a.name) - bucketRank(b.name) : b.sentences - a.sentences) ||
      a.name.localeCompare(b.name),
  );
  return { runId, evaluationId: id, data, slices };
}
