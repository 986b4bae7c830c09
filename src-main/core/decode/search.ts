import * as tf from '@tensorflow/tfjs-core';
import type { DecoderState, EncoderOutput, Seq2SeqModel } from '../model/types.ts';
import { EOS_ID, PAD_ID, SOS_ID } from '../text/vocab.ts';
import { constrainRow, topK } from './constraints.ts';
import { gatherRows } from './gather-rows.ts';
import { logSoftmaxRows } from './log-softmax.ts';
import { sampleRng, sampleToken } from './sampling.ts';
import type { Rng } from '../rng.ts';
import { lengthPenalty, maxOutputLength, type BeamNode, type DecodeOptions, type DecodeResult, type Hypothesis } from './types.ts';

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
interface Row {
  sent: number;
  ids: number[];
  lps: number[];
  logProb: number;
  attention: number[][];
  topk: Array<Array<{ id: number; logprob: number }>>;
  node: number | null;
  /** sampling: this sample's generator */
  rng?: Rng;
}

export async function translateBatch(model: Seq2SeqModel, srcIds: number[][], opts: DecodeOptions): Promise<DecodeResult[]> {
  const n = srcIds.length;
  if (n === 0) return [];
  // Rows per sentence: the beam, or the samples.
  const k = Math.max(1, opts.sampling ? opts.n_best : opts.beam_size);
  const srcLens = srcIds.map((s) => Math.max(1, s.length));
  const maxLens = srcLens.map((len, i) => maxOutputLength(opts.max_output_length, len) + (opts.prefix?.[i]?.length ?? 0));
  const width = Math.max(...srcLens);
  const padded = new Int32Array(n * width);
  srcIds.forEach((s, i) => padded.set(s.length ? s : [PAD_ID], i * width));

  const finished: Hypothesis[][] = srcIds.map(() => []);
  const trees: BeamNode[][] = srcIds.map(() => []);
  let rows: Row[] = srcIds.map((_, sent) => ({ sent, ids: [], lps: [], logProb: 0, attention: [], topk: [], node: null }));
  if (opts.sampling) {
    const seed = opts.sampling_seed;
    const samples = (r: Row) =>
      Array.from({ length: k }, (_, i) => ({ ...r, rng: sampleRng(seed, srcIds[r.sent], i) }));
    rows = rows.flatMap(samples);
  }
  let enc: EncoderOutput = tidy(() => model.encode(tf.tensor2d(padded, [n, width], 'int32'), false));
  let encSents = srcIds.map((_, i) => i); // sentence of each encoder row
  // Cloned: a model may hand encoder tensors over as its initial state (init_hidden=last).
  let state: DecoderState = tidy(() => cloneAll(model.initState(enc)));
  if (opts.sampling) {
    const one = state;
    state = reorderState(one, rows.map((r) => r.sent));
    disposeState(one);
  }
  let prev = rows.map(() => SOS_ID);

  try {
    for (let t = 0; rows.length > 0; t++) {
      // Re-gather the encoder outputs when the rows' sentences changed (sentences finished, beams widened).
      const rowSents = rows.map((r) => r.sent);
      if (!sameArray(rowSents, encSents)) {
        const from = rowSents.map((s) => encSents.indexOf(s));
        const old = enc;
        enc = gatherEncoder(old, from);
        disposeEncoder(old);
        encSents = rowSents;
      }
      const out = tidy(() => {
        const step = model.step(tf.tensor1d(prev, 'int32'), state, enc, false);
        return { logp: logSoftmaxRows(step.logits), state: step.state, attention: step.attention };
      });
      // Read asynchronously: a GPU backend (webgpu) cannot read synchronously in Node.
      const logp = (await out.logp.data()) as Float32Array;
      const att = out.attention ? ((await out.attention.data()) as Float32Array) : null;
      const vocab = out.logp.shape[1] as number;
      const srcWidth = out.attention ? (out.attention.shape[1] as number) : 0;
      out.logp.dispose();
      out.attention?.dispose();

      // Candidates per sentence from each of its rows.
      const next: Array<{ row: number; id: number; lp: number; total: number; cut?: boolean }[]> = srcIds.map(() => []);
      rows.forEach((r, i) => {
        const row = logp.subarray(i * vocab, (i + 1) * vocab);
        const forced = opts.prefix?.[r.sent]?.[t];
        const forcedLp = forced === undefined ? 0 : row[forced];
        // Top-k shows what the search could choose from: after the constraints, before the max-length cut.
        constrainRow(row, r.ids, opts);
        if (opts.return_topk) r.topk = [...r.topk, topK(row, opts.return_topk)];
        if (forced !== undefined) {
          next[r.sent].push({ row: i, id: forced, lp: forcedLp, total: r.logProb + forcedLp });
          return;
        }
        if (r.ids.length + 1 >= maxLens[r.sent]) {
          // Out of room: the hypothesis ends here, with no <eos> log-prob of its own.
          next[r.sent].push({ row: i, id: EOS_ID, lp: 0, total: r.logProb, cut: true });
          return;
        }
        if (r.rng) {
          // Sampling: this row's own draw (none allowed: the hypothesis ends here).
          const c = sampleToken(row, opts, r.rng) ?? { id: EOS_ID, logprob: 0 };
          next[r.sent].push({ row: i, id: c.id, lp: c.logprob, total: r.logProb + c.logprob });
          return;
        }
        for (const c of topK(row, 2 * k)) next[r.sent].push({ row: i, id: c.id, lp: c.logprob, total: r.logProb + c.logprob });
      });

      const newRows: Row[] = [];
      const parents: number[] = [];
      next.forEach((cands, sent) => {
        if (cands.length === 0) return;
        cands.sort((a, b) => b.total - a.total);
        let alive = 0;
        for (const c of cands) {
          const parent = rows[c.row];
          const attRow = att ? Array.from(att.subarray(c.row * srcWidth, c.row * srcWidth + srcLens[sent])) : null;
          const nodeId = opts.return_tree ? trees[sent].length : null;
          const isEos = c.id === EOS_ID;
          // Candidates ranked below the k-th live one are pruned, <eos> ones included.
          const keep = alive < k;
          if (opts.return_tree) {
            trees[sent].push({ id: nodeId as number, parent: parent.node, token: c.id, logprob: c.lp, score: c.total, step: t, kind: keep ? (isEos ? 'finished' : 'kept') : 'pruned' });
          }
          if (!keep) continue;
          const attention = attRow ? [...parent.attention, attRow] : parent.attention;
          if (isEos) {
            const len = parent.ids.length + 1;
            addFinished(finished[sent], k, {
              ids: parent.ids,
              tokenLogProbs: parent.lps,
              eosLogProb: c.cut ? null : c.lp,
              logProb: c.total,
              score: c.total / lengthPenalty(opts.length_penalty, opts.beam_alpha, len),
              attention: att ? attention : undefined,
              topk: opts.return_topk ? parent.topk : undefined,
            });
          } else {
            alive++;
            const { topk, rng } = parent;
            const ids = [...parent.ids, c.id];
            newRows.push({ sent, ids, lps: [...parent.lps, c.lp], logProb: c.total, attention, topk, node: nodeId, rng });
            parents.push(c.row);
          }
        }
      });
      // The best live score of each sentence (at its current length), to tell when it is done.
      const bestLive = srcIds.map(() => -Infinity);
      for (const r of newRows) bestLive[r.sent] = Math.max(bestLive[r.sent], r.logProb / lengthPenalty(opts.length_penalty, opts.beam_alpha, r.ids.length + 1));
      // A sampled sentence is done when every sample has ended (no sample is pruned for another).
      const done = srcIds.map((_, sent) =>
        opts.sampling ? bestLive[sent] === -Infinity : isDone(finished[sent], bestLive[sent], k),
      );
      const keepIdx = newRows.map((r, i) => (done[r.sent] ? -1 : i)).filter((i) => i >= 0);
      rows = keepIdx.map((i) => newRows[i]);
      const parentRows = keepIdx.map((i) => parents[i]);
      const oldState = state;
      state = rows.length ? reorderState(out.state, parentRows) : {};
      disposeState(out.state);
      disposeState(oldState);
      prev = rows.map((r) => r.ids[r.ids.length - 1]);
    }
  } finally {
    disposeEncoder(enc);
    disposeState(state);
  }

  return finished.map((hyps, sent) => ({
    hypotheses: hyps.sort((a, b) => b.score - a.score).slice(0, Math.max(1, opts.n_best)),
    tree: opts.return_tree ? trees[sent] : undefined,
  }));
}

/** Keeps the k best finished hypotheses of a sentence, best first. */
function addFinished(finished: Hypothesis[], k: number, h: Hypothesis): void {
  finished.push(h);
  finished.sort((a, b) => b.score - a.score);
  if (finished.length > k) finished.length = k;
}

/**
 * A sentence is done when it has beam_size finished hypotheses and no live one can still beat the
 * worst of them. Stopping at beam_size finished alone returns poor early <eos> hypotheses while a far
 * better one is still being extended (a peaked model: "आप" at -10.7 returned, "आप कैसे हैं" at -0.0 live).
 * Log-probs only fall as a hypothesis grows, so without a length penalty a live score is an exact
 * bound; with one, the live score is judged at its current length, as JoeyNMT's and Hugging Face's
 * beam searches do.
 */
function isDone(finished: readonly Hypothesis[], bestLive: number, k: number): boolean {
  return finished.length >= k && bestLive <= finished[finished.length - 1].score;
}

/** tf.tidy for functions returning objects of tensors (keeps every tensor reachable from the result). */
function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => tf.TensorContainer) as T;
}

function cloneAll(state: DecoderState): DecoderState {
  return Object.fromEntries(Object.entries(state).map(([k, t]) => [k, tf.clone(t)]));
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function gatherEncoder(enc: EncoderOutput, rows: number[]): EncoderOutput {
  const extra: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(enc.extra)) extra[name] = gatherRows(t, rows);
  return { states: gatherRows(enc.states, rows), srcMask: gatherRows(enc.srcMask, rows), extra };
}

function reorderState(state: DecoderState, rows: number[]): DecoderState {
  const out: DecoderState = {};
  for (const [name, t] of Object.entries(state)) out[name] = gatherRows(t, rows);
  return out;
}

function disposeEncoder(enc: EncoderOutput): void {
  tf.dispose([enc.states, enc.srcMask, ...Object.values(enc.extra)]);
}

function disposeState(state: DecoderState): void {
  tf.dispose(Object.values(state));
}
