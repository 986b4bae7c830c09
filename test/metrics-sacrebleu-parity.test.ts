import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusBleu, type BleuOptions } from '../src-main/core/metrics/bleu.ts';
import { corpusChrf, type ChrfOptions } from '../src-main/core/metrics/chrf.ts';

/**
 * Options that ../shared/bleu-vectors.json does not exercise, checked against
 * scores the real sacreBLEU computed on generated segments (see
 * test/data/make-sacrebleu-parity.py): every tokenizer, every smoothing
 * method, effective order, lowercase, 2-3 references, chrF++, eps smoothing,
 * and awkward characters (Unicode spaces, astral code points, HTML entities).
 */
interface Case {
  metric: 'bleu' | 'chrf';
  opts: Record<string, unknown>;
  hyps: string[];
  refs: string[][];
  score: number;
  counts?: number[];
  totals?: number[];
  sys_len?: number;
  ref_len?: number;
  signature: string;
}

const { cases } = JSON.parse(readFileSync(new URL('./data/sacrebleu-parity.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const withoutVersion = (sig: string) => sig.replace(/\|version:[^|]*$/, '');
const label = (c: Case) => `${c.metric} ${JSON.stringify(c.opts)} nrefs=${c.refs.length}`;

describe('BLEU equals sacreBLEU for every option', () => {
  it.each(cases.filter((c) => c.metric === 'bleu').map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const r = corpusBleu(c.hyps, c.refs, c.opts as BleuOptions);
    expect(r.score).toBeCloseTo(c.score, 4);
    expect([r.sys_len, r.ref_len]).toEqual([c.sys_len, c.ref_len]);
    // sacreBLEU reports add-k counts with k already added to orders 2..4; ours are the raw counts.
    if (c.opts.smooth_method !== 'add-k') expect([r.counts, r.totals]).toEqual([c.counts, c.totals]);
    expect(withoutVersion(r.signature)).toBe(withoutVersion(c.signature));
  });
});

describe('chrF equals sacreBLEU for every option', () => {
  it.each(cases.filter((c) => c.metric === 'chrf').map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const r = corpusChrf(c.hyps, c.refs, c.opts as ChrfOptions);
    expect(r.score).toBeCloseTo(c.score, 4);
    expect(withoutVersion(r.signature)).toBe(withoutVersion(c.signature));
  });
});
