import type { Seq2SeqModel } from '../model/types.ts';
import { SOS_ID } from '../text/vocab.ts';
import { doneSentences, selectRows, type SentenceSearch } from './beam-select.ts';
import { proposeCandidates, type Row } from './candidates.ts';
import { DecoderBatch } from './decoder-batch.ts';
import { sampleRng } from './sampling.ts';
import { maxOutputLength, type DecodeOptions, type DecodeResult } from './types.ts';

/**
 * Batched beam search; beam_size 1 is greedy search. All live hypotheses of
 * all sentences form the rows of one decoder batch, so a step costs one model
 * call however many sentences are being translated. The encoder runs once;
 * its outputs are re-gathered only when the set of live sentences changes,
 * while the decoder state is reordered by parent row at every step.
 *
 * With `sampling`, each sentence starts n_best rows that each draw their next
 * token (decode/sampling.ts) instead of competing for beam slots: n_best
 * independent samples, each with its own seeded generator.
 */
export async function translateBatch(
  model: Seq2SeqModel,
  srcIds: number[][],
  opts: DecodeOptions,
): Promise<DecodeResult[]> {
  const n = srcIds.length;
  if (n === 0) return [];
  // Rows per sentence: the beam, or the samples.
  const k = Math.max(1, opts.sampling ? opts.n_best : opts.beam_size);
  const srcLens = srcIds.map((s) => Math.max(1, s.length));
  const maxLens = srcLens.map(
    (len, i) => maxOutputLength(opts.max_output_length, len) + (opts.prefix?.[i]?.length ?? 0),
  );
  const searches: SentenceSearch[] = srcIds.map(() => ({ finished: [], tree: [] }));
  let rows: Row[] = srcIds.map((_, sent) => ({
    sent,
    ids: [],
    lps: [],
    logProb: 0,
    attention: [],
    topk: [],
    node: null,
  }));
  if (opts.sampling) {
    const seed = opts.sampling_seed;
    rows = rows.flatMap((r) =>
      Array.from({ length: k }, (_, i) => ({ ...r, rng: sampleRng(seed, srcIds[r.sent], i) })),
    );
  }
  const batch = new DecoderBatch(
    model,
    srcIds,
    rows.map((r) => r.sent),
  );
  let prev = rows.map(() => SOS_ID);
  try {
    for (let t = 0; rows.length > 0; t++) {
      const out = await batch.step(
        prev,
        rows.map((r) => r.sent),
      );
      const next = proposeCandidates(rows, out.logp, out.vocab, t, opts, { sentences: n, maxLens, k });
      const step = { t, att: out.att, srcWidth: out.srcWidth, srcLens };
      const selected = selectRows(next, rows, step, searches, opts, k);
      const done = doneSentences(selected.rows, searches, opts, k);
      const keepIdx = selected.rows.map((r, i) => (done[r.sent] ? -1 : i)).filter((i) => i >= 0);
      rows = keepIdx.map((i) => selected.rows[i]);
      batch.advance(keepIdx.map((i) => selected.parents[i]));
      prev = rows.map((r) => r.ids[r.ids.length - 1]);
    }
  } finally {
    batch.dispose();
  }

  return searches.map(({ finished, tree }) => ({
    hypotheses: finished.sort((a, b) => b.score - a.score).slice(0, Math.max(1, opts.n_best)),
    tree: opts.return_tree ? tree : undefined,
  }));
}
