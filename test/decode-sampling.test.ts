import { describe, expect, it } from 'vitest';
import { DECODE_FLAGS, decodeSettings } from '../src-main/cli/decode-flags.ts';
import { sampleRng, sampleToken } from '../src-main/core/decode/sampling.ts';
import { loadTranslator } from '../src-main/core/inference/translator.ts';
import { Rng } from '../src-main/core/rng.ts';
import { makeRun, tempDb } from './inference-fixtures.ts';

/** Temperature, top-k and top-p sampling of one row of log-probs. */
const row = (probs: number[]) => Float32Array.from(probs.map((p) => (p === 0 ? -Infinity : Math.log(p))));
const counts = (logp: Float32Array, opts: { temperature: number; top_k: number; top_p: number }, n = 20_000) => {
  const rng = new Rng(7);
  const c = new Array<number>(logp.length).fill(0);
  for (let i = 0; i < n; i++) c[sampleToken(logp, opts, rng)?.id ?? 0]++;
  return c.map((x) => x / n);
};
const plain = { temperature: 1, top_k: 0, top_p: 1 };

describe('sampleToken', () => {
  it('draws in proportion to the probabilities, never a forbidden token', () => {
    const freq = counts(row([0.5, 0.3, 0, 0.2]), plain);
    expect(freq[0]).toBeCloseTo(0.5, 1);
    expect(freq[1]).toBeCloseTo(0.3, 1);
    expect(freq[2]).toBe(0);
    expect(freq[3]).toBeCloseTo(0.2, 1);
    expect(sampleToken(row([0, 0]), plain, new Rng(1))).toBeNull();
  });

  it('returns the model log-prob of the token, whatever the temperature', () => {
    const logp = row([0.7, 0.3]);
    const s = sampleToken(logp, { ...plain, temperature: 5 }, new Rng(3));
    expect(s?.logprob).toBe(logp[s?.id ?? -1]);
  });

  it('temperature sharpens (< 1) and flattens (> 1): p^(1/T) renormalised', () => {
    const p = [0.6, 0.3, 0.1];
    const cold = counts(row(p), { ...plain, temperature: 0.5 });
    const z = p.reduce((s, x) => s + x ** 2, 0);
    p.forEach((x, i) => expect(cold[i]).toBeCloseTo(x ** 2 / z, 1));
    const hot = counts(row(p), { ...plain, temperature: 100 });
    hot.forEach((f) => expect(f).toBeCloseTo(1 / 3, 1));
  });

  it('top_k keeps the k most likely; top_p the smallest set reaching p', () => {
    expect(counts(row([0.4, 0.3, 0.2, 0.1]), { ...plain, top_k: 2 })).toEqual([
      expect.closeTo(4 / 7, 1),
      expect.closeTo(3 / 7, 1),
      0,
      0,
    ]);
    // 0.4 + 0.3 = 0.7 reaches 0.65: the two most likely, renormalised
    const nucleus = counts(row([0.4, 0.3, 0.2, 0.1]), { ...plain, top_p: 0.65 });
    expect(nucleus.slice(2)).toEqual([0, 0]);
    expect(nucleus[0]).toBeCloseTo(4 / 7, 1);
    // a tiny top_p still keeps the best token
    expect(counts(row([0.4, 0.3, 0.2, 0.1]), { ...plain, top_p: 0.01 }, 100)).toEqual([1, 0, 0, 0]);
  });

  it('a seed reproduces the draws; the generator of a sentence ignores its neighbours', () => {
    const logp = row([0.25, 0.25, 0.25, 0.25]);
    const draw = (rng: Rng) => Array.from({ length: 20 }, () => sampleToken(logp, plain, rng)?.id);
    expect(draw(sampleRng(5, [4, 9, 2], 0))).toEqual(draw(sampleRng(5, [4, 9, 2], 0)));
    expect(draw(sampleRng(5, [4, 9, 2], 0))).not.toEqual(draw(sampleRng(6, [4, 9, 2], 0)));
    expect(draw(sampleRng(5, [4, 9, 2], 0))).not.toEqual(draw(sampleRng(5, [4, 9, 2], 1)));
  });
});

describe('sampling in the search', () => {
  const SOURCES = ['How are you?', 'Thank you.', 'Where is the station?', 'My name is John.'];
  const texts = (out: Array<{ hypotheses: Array<{ text: string }> }>) =>
    out.map((t) => t.hypotheses.map((h) => h.text));

  it('top_k 1 is greedy; a seed reproduces the samples, alone or in a batch; n_best samples a sentence', async () => {
    const { db } = tempDb();
    const { runId } = await makeRun(db, {}, [{ step: 10, bleu: 3, seed: 4 }]);
    const t = await loadTranslator(db, runId, 'best', 'cpu');
    // Flat enough that samples differ (the fixture's output layer is sharpened).
    const hot = { sampling: true, temperature: 3 };
    const greedy = await t.translate(SOURCES, { beam_size: 1 });
    const topOne = await t.translate(SOURCES, { sampling: true, top_k: 1, sampling_seed: 9 });
    expect(texts(topOne)).toEqual(texts(greedy));
    topOne.forEach((x, i) => expect(x.hypotheses[0].score).toBeCloseTo(greedy[i].hypotheses[0].score, 5));

    const a = await t.translate(SOURCES, { ...hot, n_best: 3, sampling_seed: 1 });
    expect(a.every((x) => x.hypotheses.length === 3)).toBe(true);
    expect(texts(await t.translate(SOURCES, { ...hot, n_best: 3, sampling_seed: 1 }))).toEqual(texts(a));
    const alone = await t.translate([SOURCES[2]], { ...hot, n_best: 3, sampling_seed: 1 });
    expect(texts(alone)[0]).toEqual(texts(a)[2]);
    const seeds = await Promise.all(
      [2, 3, 4].map((seed) => t.translate(SOURCES, { ...hot, n_best: 3, sampling_seed: seed })),
    );
    expect(seeds.some((b) => JSON.stringify(texts(b)) !== JSON.stringify(texts(a)))).toBe(true);
    // Samples are ranked by score, and each score is the model's log-prob of what was drawn.
    for (const x of a) {
      const scores = x.hypotheses.map((h) => h.score);
      expect([...scores].sort((p, q) => q - p)).toEqual(scores);
    }
  });
});

describe('sampling flags', () => {
  it('--sampling is a switch; --temperature, --top-k, --top-p, --sampling-seed take values within the schema', () => {
    expect(DECODE_FLAGS.sampling).toEqual({ type: 'boolean' });
    const o = { sampling: true, temperature: '0.5', 'top-k': '20', 'top-p': '0.9', 'sampling-seed': '7' };
    expect(decodeSettings(o)).toEqual({ sampling: true, temperature: 0.5, top_k: 20, top_p: 0.9, sampling_seed: 7 });
    expect(() => decodeSettings({ temperature: '0' })).toThrow(/--temperature/);
    expect(() => decodeSettings({ 'top-p': '1.5' })).toThrow(/--top-p/);
  });
});
