import { describe, expect, it } from 'vitest';
import { corpusBleu } from '../src-main/core/metrics/bleu.ts';
import { pairedBootstrap } from '../src-main/core/metrics/bootstrap.ts';
import { corpusChrf } from '../src-main/core/metrics/chrf.ts';
import { sacreTokenize } from '../src-main/core/metrics/sacre-tokenizers.ts';
import { bleuVectors } from './support/bleu-vectors.ts';

describe('sacreBLEU parity (../shared/bleu-vectors.json)', () => {
  it.each(bleuVectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const b = corpusBleu(v.hyps, v.refs, { tokenize: v.tokenize, lowercase: v.lowercase });
    expect(b.score).toBeCloseTo(v.bleu, 4);
    expect(b.counts).toEqual(v.bleu_counts);
    expect(b.totals).toEqual(v.bleu_totals);
    expect([b.sys_len, b.ref_len]).toEqual([v.sys_len, v.ref_len]);
    expect(corpusChrf(v.hyps, v.refs).score).toBeCloseTo(v.chrf, 4);
    expect(b.signature).toBe(`nrefs:${v.refs.length}|case:mixed|eff:no|tok:${v.tokenize}|smooth:exp|version:2.5.1`);
  });
});

describe('BLEU options', () => {
  it('13a leaves the danda on the word, intl splits it', () => {
    expect(sacreTokenize('वह घर गया।', '13a')).toBe('वह घर गया।');
    expect(sacreTokenize('वह घर गया।', 'intl')).toBe('वह घर गया ।');
    expect(sacreTokenize('It costs $3.50, ok?', '13a')).toBe('It costs $ 3.50 , ok ?');
  });

  it('smoothing methods differ only when a higher-order n-gram never matches', () => {
    const hyps = ['the cat sat on mat'];
    const refs = [['the cat sat on the mat']];
    const none = corpusBleu(hyps, refs, { smooth_method: 'none' }).score;
    const exp = corpusBleu(hyps, refs, { smooth_method: 'exp' }).score;
    const floor = corpusBleu(hyps, refs, { smooth_method: 'floor' });
    expect(none).toBeGreaterThan(0);
    expect(exp).toBeCloseTo(none, 10);
    expect(floor.signature).toContain('smooth:floor[0.10]');
    // no 4-gram matches: unsmoothed BLEU collapses to 0, exp smoothing keeps a score
    expect(corpusBleu(['a b c d'], [['a b c e']], { smooth_method: 'none' }).score).toBeLessThan(1e-6);
    expect(corpusBleu(['a b c d'], [['a b c e']], { smooth_method: 'exp' }).score).toBeGreaterThan(1);
    expect(corpusBleu(['a b'], [['a b c']], { effective_order: true }).score).toBeGreaterThan(50);
  });

  it('lowercase and mismatched streams', () => {
    expect(
      corpusBleu(['The Cat'], [['the cat']], { lowercase: true, tokenize: 'none', effective_order: true }).score,
    ).toBeCloseTo(100, 6);
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(/1 lines but there are 2 hypotheses/);
  });

  it('chrF++ adds word n-grams', () => {
    const pp = corpusChrf(['the cat sat'], [['the cat sat down']], { word_order: 2 });
    expect(pp.signature).toContain('nw:2');
    expect(pp.score).not.toBeCloseTo(corpusChrf(['the cat sat'], [['the cat sat down']]).score, 3);
  });
});

describe('paired bootstrap', () => {
  const v = bleuVectors[0];
  it('a system identical to the baseline is not significantly different', () => {
    const r = pairedBootstrap(v.hyps, v.hyps, v.refs, { n_samples: 200 });
    expect(r.delta).toBe(0);
    expect(r.p_value).toBe(1);
  });
  it('the reference itself beats a scrambled system with p < 0.05', () => {
    const r = pairedBootstrap(v.hyps, v.refs[0], v.refs, { n_samples: 200 });
    expect(r.delta).toBeGreaterThan(50);
    expect(r.p_value).toBeLessThan(0.05);
    expect(r.baseline.ci[0]).toBeLessThanOrEqual(r.baseline.score);
    expect(r.baseline.ci[1]).toBeGreaterThanOrEqual(r.baseline.score);
  });
});
