import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/core/tf/backend.ts';
import {
  translateBatch,
  lengthPenalty,
  maxOutputLength,
  type DecodeOptions,
  type Hypothesis,
} from '../src-main/core/decode/index.ts';
import { constrainRow, topK } from '../src-main/core/decode/constraints.ts';
import type { Seq2SeqModel } from '../src-main/core/model/types.ts';
import { EOS_ID, SOS_ID } from '../src-main/core/text/vocab.ts';
import { VARIANTS, decodeOptions, randomSources, sharpen, tinyModel } from './model-fixtures.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

/**
 * Reference: log-probs of the next token after a prefix, from a fresh
 * teacher-forced forward pass over `<sos> + prefix` (no cached state, no
 * batching), so it shares nothing with the search's state handling.
 */
function nextLogProbs(model: Seq2SeqModel, src: number[], prefix: number[]): Float32Array {
  return tf.tidy(() => {
    const trgIn = tf.tensor2d([[SOS_ID, ...prefix]], undefined, 'int32');
    const logits = model.forward(tf.tensor2d([src], undefined, 'int32'), trgIn, false).logits; // [1, T, V]
    const last = tf.squeeze(tf.slice(logits, [0, prefix.length, 0], [1, 1, -1])); // [V]
    return tf.logSoftmax(last).dataSync() as Float32Array;
  });
}

/** Textbook beam search for one sentence with the same rules as the batched search. */
function referenceBeam(
  model: Seq2SeqModel,
  src: number[],
  opts: DecodeOptions,
): Array<{ ids: number[]; logProb: number; score: number }> {
  const k = opts.beam_size;
  const maxLen = maxOutputLength(opts.max_output_length, src.length);
  let beams = [{ ids: [] as number[], logProb: 0 }];
  const finished: Array<{ ids: number[]; logProb: number; score: number }> = [];
  const lp = (len: number) => lengthPenalty(opts.length_penalty, opts.beam_alpha, len);
  // Done with k finished and no live hypothesis scoring better than the worst of them (at its current length).
  const done = () =>
    finished.length >= k && beams.every((b) => b.logProb / lp(b.ids.length + 1) <= finished[k - 1].score);
  while (beams.length > 0 && !done()) {
    const cands: Array<{ ids: number[]; id: number; total: number }> = [];
    for (const b of beams) {
      const row = nextLogProbs(model, src, b.ids);
      constrainRow(row, b.ids, opts);
      if (b.ids.length + 1 >= maxLen) row.fill(-Infinity).set([0], EOS_ID);
      for (const c of topK(row, 2 * k)) cands.push({ ids: b.ids, id: c.id, total: b.logProb + c.logprob });
    }
    cands.sort((a, b) => b.total - a.total);
    const next: typeof beams = [];
    for (const c of cands) {
      if (next.length >= k) break;
      if (c.id === EOS_ID) {
        finished.push({ ids: c.ids, logProb: c.total, score: c.total / lp(c.ids.length + 1) });
        finished.sort((a, b) => b.score - a.score);
        finished.length = Math.min(finished.length, k);
      } else next.push({ ids: [...c.ids, c.id], logProb: c.total });
    }
    beams = next;
  }
  return finished.sort((a, b) => b.score - a.score);
}

function referenceGreedy(model: Seq2SeqModel, src: number[], opts: DecodeOptions): number[] {
  const ids: number[] = [];
  const maxLen = maxOutputLength(opts.max_output_length, src.length);
  for (;;) {
    const row = nextLogProbs(model, src, ids);
    constrainRow(row, ids, opts);
    if (ids.length + 1 >= maxLen) return ids;
    const best = topK(row, 1)[0].id;
    if (best === EOS_ID) return ids;
    ids.push(best);
  }
}

const sharpModel = (over: (typeof VARIANTS)[string], factor = 6) => {
  const m = tinyModel(over);
  sharpen(m, factor);
  return m;
};

describe.each(Object.entries(VARIANTS))('%s', (_name, over) => {
  const sources = randomSources(6, 5);

  it('greedy (beam_size 1) equals a step-by-step argmax with fresh forward passes', async () => {
    const model = sharpModel(over);
    const opts = decodeOptions();
    const results = await translateBatch(model, sources, opts);
    results.forEach((r, i) => expect(r.hypotheses[0].ids).toEqual(referenceGreedy(model, sources[i], opts)));
    model.dispose();
  });

  it('beam search equals a textbook one-sentence beam search (ids, log-probs, scores, n-best order)', async () => {
    const model = sharpModel(over, 3);
    const opts = decodeOptions({ beam_size: 3, n_best: 3, length_penalty: 'gnmt', beam_alpha: 1 });
    const results = await translateBatch(model, sources, opts);
    results.forEach((r, i) => {
      const ref = referenceBeam(model, sources[i], opts).slice(0, 3);
      expect(r.hypotheses.map((h) => h.ids)).toEqual(ref.map((h) => h.ids));
      r.hypotheses.forEach((h, j) => {
        expect(h.logProb).toBeCloseTo(ref[j].logProb, 4);
        expect(h.score).toBeCloseTo(ref[j].score, 4);
      });
    });
    model.dispose();
  });

  it('decoding a batch gives the same results as decoding each sentence alone (greedy and beam)', async () => {
    const model = sharpModel(over, 3);
    for (const opts of [
      decodeOptions(),
      decodeOptions({ beam_size: 4, n_best: 2, length_penalty: 'avg', beam_alpha: 0.6 }),
    ]) {
      const batched = await translateBatch(model, sources, opts);
      for (const [i, s] of sources.entries()) {
        const alone = (await translateBatch(model, [s], opts))[0];
        expect(batched[i].hypotheses.map((h) => h.ids)).toEqual(alone.hypotheses.map((h) => h.ids));
        batched[i].hypotheses.forEach((h, j) => expect(h.score).toBeCloseTo(alone.hypotheses[j].score, 4));
      }
    }
    model.dispose();
  });

  it(
    'every hypothesis carries per-token log-probs that ' + 'sum to its score, and attention rows over the source',
    async () => {
      const model = sharpModel(over, 3);
      const results = await translateBatch(model, sources, decodeOptions({ beam_size: 3, n_best: 3 }));
      const hasAttention = model.config.model_type === 'transformer' || model.config.attention !== 'none';
      results.forEach((r, i) => {
        for (const h of r.hypotheses) {
          expect(h.tokenLogProbs).toHaveLength(h.ids.length);
          const sum = h.tokenLogProbs.reduce((s, x) => s + x, 0) + (h.eosLogProb ?? 0);
          expect(h.logProb).toBeCloseTo(sum, 4);
          // Per-token log-probs agree with a teacher-forced rescoring of the hypothesis.
          h.ids.forEach((id, t) =>
            expect(nextLogProbs(model, sources[i], h.ids.slice(0, t))[id]).toBeCloseTo(h.tokenLogProbs[t], 4),
          );
          if (hasAttention) {
            expect(h.attention).toHaveLength(h.ids.length + 1);
            for (const row of h.attention as number[][]) {
              expect(row.length).toBeGreaterThanOrEqual(sources[i].length);
              expect(row.slice(0, sources[i].length).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 4);
            }
          } else expect(h.attention).toBeUndefined();
        }
      });
      model.dispose();
    },
  );

  it('stops only when no live hypothesis scores better than the n-best it returns', async () => {
    const model = sharpModel(over, 3);
    for (const opts of [
      decodeOptions({ beam_size: 3, n_best: 3 }),
      decodeOptions({ beam_size: 2, n_best: 2, length_penalty: 'gnmt', beam_alpha: 1 }),
    ]) {
      const results = await translateBatch(model, sources, { ...opts, return_tree: true });
      for (const r of results) {
        const tree = r.tree ?? [];
        const last = Math.max(...tree.map((n) => n.step));
        const worst = Math.min(...r.hypotheses.map((h) => h.score));
        // Live (kept) hypotheses of the last step, judged like finished ones at their length.
        const depth = (n: (typeof tree)[number]): number => (n.parent === null ? 1 : 1 + depth(tree[n.parent]));
        for (const n of tree.filter((x) => x.step === last && x.kind === 'kept')) {
          expect(n.score / lengthPenalty(opts.length_penalty, opts.beam_alpha, depth(n))).toBeLessThanOrEqual(
            worst + 1e-9,
          );
        }
      }
    }
    model.dispose();
  });

  it('leaves no tensors behind (greedy with top-k, beam with tree and prefix)', async () => {
    const model = sharpModel(over);
    // warm-up: kernels' one-time tensors
    await translateBatch(model, sources.slice(0, 2), decodeOptions({ beam_size: 2 }));
    const before = tf.memory().numTensors;
    await translateBatch(model, sources, decodeOptions({ return_topk: 3 }));
    await translateBatch(
      model,
      sources,
      decodeOptions({ beam_size: 4, n_best: 4, return_tree: true, prefix: sources.map(() => [5, 6]) }),
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('search options', () => {
  const model = () => sharpModel(VARIANTS['gru bidirectional bahdanau bridge'], 4);
  const sources = randomSources(8, 9);

  it('length penalties are exactly the named formulas, and n-best is sorted by the penalised score', async () => {
    expect(lengthPenalty('none', 0.8, 7)).toBe(1);
    expect(lengthPenalty('avg', 0.8, 7)).toBeCloseTo(7 ** 0.8, 12);
    expect(lengthPenalty('gnmt', 0.8, 7)).toBeCloseTo(((5 + 7) / 6) ** 0.8, 12);
    const m = model();
    for (const length_penalty of ['none', 'avg', 'gnmt'] as const) {
      const results = await translateBatch(
        m,
        sources,
        decodeOptions({ beam_size: 5, n_best: 5, length_penalty, beam_alpha: 1.2 }),
      );
      for (const r of results) {
        expect(r.hypotheses.length).toBe(5);
        const scores = r.hypotheses.map((h: Hypothesis) => h.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        for (const h of r.hypotheses)
          expect(h.score).toBeCloseTo(h.logProb / lengthPenalty(length_penalty, 1.2, h.ids.length + 1), 6);
      }
    }
    m.dispose();
  });

  it('max_output_length is absolute above 10 and a ratio of the source length (+10) otherwise', async () => {
    expect(maxOutputLength(25, 4)).toBe(25);
    expect(maxOutputLength(1.5, 5)).toBe(18);
    const m = model();
    // A model that never wants to stop: <eos> has a very low output bias.
    const bias = m.variables.get('decoder/output_layer/bias') as tf.Variable;
    tf.tidy(() =>
      bias.assign(
        tf.add(bias, tf.mul(tf.reshape(tf.oneHot(tf.tensor1d([EOS_ID], 'int32'), bias.shape[0]), bias.shape), -50)),
      ),
    );
    const results = await translateBatch(m, [[4, 5, 6]], decodeOptions({ max_output_length: 1 }));
    expect(results[0].hypotheses[0].ids.length).toBe(maxOutputLength(1, 3) - 1); // room left for <eos>
    expect(results[0].hypotheses[0].eosLogProb).toBeNull(); // cut, not ended by the model
    m.dispose();
  });

  it('min_output_length forbids an early <eos>; no_repeat_ngram_size forbids a repeated n-gram', async () => {
    const m = model();
    const long = await translateBatch(m, sources, decodeOptions({ min_output_length: 6 }));
    for (const r of long) expect(r.hypotheses[0].ids.length).toBeGreaterThanOrEqual(6);
    const plain = await translateBatch(m, sources, decodeOptions({ max_output_length: 20 }));
    const noRepeat = await translateBatch(
      m,
      sources,
      decodeOptions({ max_output_length: 20, no_repeat_ngram_size: 2 }),
    );
    const hasRepeat = (ids: number[]) => new Set(ids.slice(1).map((x, i) => `${ids[i]},${x}`)).size < ids.length - 1;
    expect(plain.some((r) => hasRepeat(r.hypotheses[0].ids))).toBe(true); // the constraint has something to do
    for (const r of noRepeat) expect(hasRepeat(r.hypotheses[0].ids)).toBe(false);
    m.dispose();
  });

  it('repetition_penalty > 1 makes an already produced token less likely', () => {
    const row = new Float32Array([0, 0, -3, -1, -2, -0.5]);
    constrainRow(row, [4, 5], decodeOptions({ repetition_penalty: 2, min_output_length: 0 }));
    expect(Array.from(row)).toEqual([-Infinity, -Infinity, -3, -1, -4, -1]);
  });

  it('a forced prefix is kept as is and scored; decoding continues after it', async () => {
    const m = model();
    const prefix = [7, 8, 9];
    const free = await translateBatch(m, sources, decodeOptions({ beam_size: 3 }));
    const forced = await translateBatch(
      m,
      sources,
      decodeOptions({ beam_size: 3, n_best: 3, prefix: sources.map(() => prefix) }),
    );
    for (const [i, r] of forced.entries()) {
      expect(free[i].hypotheses[0].ids.slice(0, 3)).not.toEqual(prefix);
      for (const h of r.hypotheses) {
        expect(h.ids.slice(0, 3)).toEqual(prefix);
        prefix.forEach((id, t) =>
          expect(h.tokenLogProbs[t]).toBeCloseTo(nextLogProbs(m, sources[i], prefix.slice(0, t))[id], 4),
        );
      }
      // After the prefix, greedy continuation is the argmax given the prefix.
      const next = nextLogProbs(m, sources[i], prefix);
      constrainRow(next, prefix, decodeOptions());
      const greedy = (await translateBatch(m, [sources[i]], decodeOptions({ prefix: [prefix] })))[0].hypotheses[0];
      expect(greedy.ids[3] ?? EOS_ID).toBe(topK(next, 1)[0].id);
    }
    m.dispose();
  });

  it('greedy top-k lists the k best candidates of every step, best first, the chosen token among them', async () => {
    const m = model();
    const results = await translateBatch(m, sources, decodeOptions({ return_topk: 4, max_output_length: 40 }));
    for (const r of results) {
      const h = r.hypotheses[0];
      expect(h.topk).toHaveLength(h.ids.length + 1);
      (h.topk ?? []).forEach((step, t) => {
        expect(step).toHaveLength(4);
        expect(step.map((c) => c.logprob)).toEqual([...step.map((c) => c.logprob)].sort((a, b) => b - a));
        // Candidates are shown after the constraints (no <pad>/<sos>), so the greedy choice is the first.
        // (At max length the last step is cut to <eos> whatever the candidates.)
        if (t < h.ids.length) expect(step[0].id).toBe(h.ids[t]);
        else if (h.ids.length < 39) expect(step[0].id).toBe(EOS_ID);
      });
    }
    m.dispose();
  });

  it(
    'the beam tree holds every expanded candidate; each ' +
      'hypothesis is a path of kept nodes ending in a finished one',
    async () => {
      const m = model();
      const [r] = await translateBatch(m, [sources[0]], decodeOptions({ beam_size: 3, n_best: 3, return_tree: true }));
      const tree = r.tree ?? [];
      expect(tree.length).toBeGreaterThan(3);
      tree.forEach((n, i) => {
        expect(n.id).toBe(i);
        if (n.parent !== null) {
          expect(tree[n.parent].kind).toBe('kept');
          expect(tree[n.parent].step).toBe(n.step - 1);
          expect(n.score).toBeCloseTo(tree[n.parent].score + n.logprob, 5);
        } else expect(n.step).toBe(0);
      });
      expect(tree.some((n) => n.kind === 'pruned')).toBe(true);
      for (const h of r.hypotheses) {
        const end = tree.find(
          (n) => n.kind === 'finished' && Math.abs(n.score - h.logProb) < 1e-6 && n.step === h.ids.length,
        );
        expect(end).toBeDefined();
        const path: number[] = [];
        for (let n = end ? end.parent : null; n !== null; n = tree[n].parent) path.unshift(tree[n].token);
        expect(path).toEqual(h.ids);
      }
      m.dispose();
    },
  );

  it('an empty source and an empty batch decode without error', async () => {
    const m = model();
    expect(await translateBatch(m, [], decodeOptions())).toEqual([]);
    const [r] = await translateBatch(m, [[]], decodeOptions({ beam_size: 2 }));
    expect(r.hypotheses.length).toBe(1);
    m.dispose();
  });
});

describe('on wasm (row copies, softmax-based log-probs)', () => {
  it('greedy and beam give the same hypotheses and scores as on cpu, with no leaks', async () => {
    const sources = randomSources(6, 21);
    const opts = [
      decodeOptions({ return_topk: 2 }),
      decodeOptions({ beam_size: 3, n_best: 2, length_penalty: 'gnmt', beam_alpha: 1 }),
    ];
    const decodeAll = async () => {
      const all = [];
      for (const over of Object.values(VARIANTS)) {
        const m = sharpModel(over, 3);
        const out = [];
        for (const o of opts) out.push(await translateBatch(m, sources, o));
        m.dispose();
        all.push(out);
      }
      return all;
    };
    await initBackend('cpu');
    const cpu = await decodeAll();
    await initBackend('wasm');
    await decodeAll(); // warm-up
    const before = tf.memory().numTensors;
    const wasm = await decodeAll();
    expect(tf.memory().numTensors).toBe(before);
    await initBackend('cpu');
    wasm.forEach((perModel, m) =>
      perModel.forEach((results, o) =>
        results.forEach((r, i) => {
          const ref = cpu[m][o][i];
          expect(r.hypotheses.map((h) => h.ids)).toEqual(ref.hypotheses.map((h) => h.ids));
          r.hypotheses.forEach((h, j) => expect(h.score).toBeCloseTo(ref.hypotheses[j].score, 3));
        }),
      ),
    );
  });
});
