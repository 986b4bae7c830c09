import { describe, expect, it } from 'vitest';
import { pairedApproxRandomization } from '../src-main/core/metrics/approx-randomization.ts';
import { compareSystems } from '../src-main/core/metrics/significance.ts';
import { bleuVector } from './support/bleu-vectors.ts';

/**
 * Approximate randomisation (sacreBLEU --paired-ar) and the N-systems entry point for BLEU and chrF
 * together. The bootstrap's agreement with sacreBLEU's --paired-bs (3 systems vs a baseline, within
 * sacreBLEU's own seed spread) is in metrics-bootstrap.test.ts; the same systems here:
 * drop (last word dropped on every even line), small (the same on 6 lines only), same (the baseline).
 */
const v = bleuVector('hi-medium-intl');
const dropLast = (h: string) => h.split(' ').slice(0, -1).join(' ');
const systems = [
  { name: 'drop', hyps: v.hyps.map((h, i) => (i % 2 === 0 ? dropLast(h) : h)) },
  { name: 'small', hyps: v.hyps.map((h, i) => (i % 2 === 0 && i <= 10 ? dropLast(h) : h)) },
  { name: 'same', hyps: v.hyps },
];
const bleu = { tokenize: 'intl' as const };

describe('paired approximate randomisation', () => {
  const ar = pairedApproxRandomization(v.hyps, systems, v.refs, { bleu, n_samples: 2000 });
  const [drop, small, same] = ar.systems;

  it('scores and deltas are the corpus scores; an identical system has p = 1', () => {
    expect(ar.baseline.score).toBeCloseTo(41.2136, 3);
    expect(drop.delta).toBeCloseTo(drop.score - ar.baseline.score, 12);
    expect([same.delta, same.p_value]).toEqual([0, 1]);
  });

  it('a clear difference is significant at the resolution of the trials; a 6-line change is borderline', () => {
    expect(drop.p_value).toBeCloseTo(1 / 2001, 9); // no shuffle reaches the observed difference
    expect(small.p_value).toBeGreaterThan(0.01);
    expect(small.p_value).toBeLessThan(0.08);
  });

  it('is seeded (same seed, same p; another seed, a p within the trials spread) and signs ar:N|seed:S', () => {
    const again = pairedApproxRandomization(v.hyps, [systems[1]], v.refs, { bleu, n_samples: 2000 });
    expect(again.systems[0].p_value).toBe(small.p_value);
    const other = pairedApproxRandomization(v.hyps, [systems[1]], v.refs, { bleu, n_samples: 2000, seed: 7 });
    // binomial spread of a p near 0.03 over 2000 trials: sd ≈ 0.004
    expect(Math.abs(other.systems[0].p_value - small.p_value)).toBeLessThan(0.02);
    expect(ar.signature).toMatch(/^nrefs:1\|ar:2000\|seed:12345\|case:mixed\|eff:no\|tok:intl\|/);
  });

  it('swapping the roles of baseline and system gives the same p (the test is symmetric)', () => {
    const swapped = pairedApproxRandomization(systems[1].hyps, [{ name: 'base', hyps: v.hyps }], v.refs, {
      bleu,
      n_samples: 2000,
    });
    expect(swapped.systems[0].p_value).toBe(small.p_value);
    expect(swapped.systems[0].delta).toBeCloseTo(-small.delta, 12);
  });
});

describe('compareSystems: N systems, BLEU and chrF at once', () => {
  it('bootstrap by default (sacreBLEU --paired-bs), randomisation on request, both metrics named', () => {
    const bs = compareSystems(v.hyps, systems, v.refs, { bleu, n_samples: 300 });
    expect(bs.method).toBe('bs');
    expect([bs.bleu.metric, bs.chrf.metric]).toEqual(['bleu', 'chrf']);
    expect(bs.bleu.systems.map((s) => s.name)).toEqual(['drop', 'small', 'same']);
    expect(bs.chrf.signature).toMatch(/^nrefs:1\|bs:300\|seed:12345\|case:mixed\|eff:yes\|nc:6/);
    const ar = compareSystems(v.hyps, systems.slice(0, 1), v.refs, { bleu, method: 'ar', n_samples: 300 });
    expect(ar.bleu.signature).toMatch(/ar:300/);
    expect(ar.chrf.systems[0].p_value).toBeCloseTo(1 / 301, 9);
    expect(ar.bleu.systems[0].score).toBeCloseTo(bs.bleu.systems[0].score, 12);
  });
});
