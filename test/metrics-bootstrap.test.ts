import { describe, expect, it } from 'vitest';
import { pairedBootstrap, pairedBootstrapMany } from '../src-main/core/metrics/bootstrap.ts';
import { bleuVector } from './support/bleu-vectors.ts';

/**
 * Paired bootstrap against sacreBLEU 2.6.0's `--paired-bs` on the same files
 * (baseline = the hi-medium hypotheses of ../shared/bleu-vectors.json, -tok intl).
 * The draws differ (numpy vs our seeded generator), so we compare within the
 * spread sacreBLEU itself shows across seeds 12345, 1 and 2:
 *   drop (last word dropped on even lines): BLEU 39.3 (μ 39.2 ± 3.3), chrF2 63.9 (μ 63.9 ± 2.1), p = 0.0010 for both
 *   small (the same, on 6 lines only):      BLEU 41.1 (μ 41.0–41.1 ± 3.1–3.3) p = 0.066–0.079; chrF2 p = 0.098–0.118
 *   baseline:                               BLEU 41.2 (μ 41.1 ± 3.3), chrF2 64.8 (μ 64.8 ± 2.0)
 */
const v = bleuVector('hi-medium-intl');
const dropLast = (h: string) => h.split(' ').slice(0, -1).join(' ');
const drop = v.hyps.map((h, i) => (i % 2 === 0 ? dropLast(h) : h));
const small = v.hyps.map((h, i) => (i % 2 === 0 && i <= 10 ? dropLast(h) : h));
const systems = [
  { name: 'drop', hyps: drop },
  { name: 'small', hyps: small },
  { name: 'same', hyps: v.hyps },
];

describe('paired bootstrap agrees with sacreBLEU --paired-bs', () => {
  const bleu = pairedBootstrapMany(v.hyps, systems, v.refs, { bleu: { tokenize: 'intl' } });
  const chrf = pairedBootstrapMany(v.hyps, systems, v.refs, { metric: 'chrf' });
  const [bDrop, bSmall, bSame] = bleu.systems;
  const [cDrop, cSmall, cSame] = chrf.systems;

  it('means and 95% CI half-widths', () => {
    expect(bleu.baseline.score).toBeCloseTo(41.2136, 3);
    expect(Math.abs(bleu.baseline.mean - 41.1)).toBeLessThan(0.3);
    expect(Math.abs(bleu.baseline.ci_half - 3.2)).toBeLessThan(0.4);
    expect(Math.abs(bDrop.mean - 39.2)).toBeLessThan(0.3);
    expect(Math.abs(bDrop.ci_half - 3.2)).toBeLessThan(0.4);
    expect(Math.abs(cDrop.mean - 63.9)).toBeLessThan(0.3);
    expect(Math.abs(cDrop.ci_half - 2.05)).toBeLessThan(0.3);
    expect(bDrop.ci[0]).toBeLessThan(bDrop.mean);
    expect(bDrop.ci[1]).toBeGreaterThan(bDrop.mean);
  });

  it('p-values: a clear difference is significant, a 6-line change is not', () => {
    expect(bDrop.p_value).toBeCloseTo(1 / 1001, 6);
    expect(cDrop.p_value).toBeCloseTo(1 / 1001, 6);
    expect(bSmall.p_value).toBeGreaterThan(0.04);
    expect(bSmall.p_value).toBeLessThan(0.12);
    expect(cSmall.p_value).toBeGreaterThan(0.06);
    expect(cSmall.p_value).toBeLessThan(0.16);
  });

  it('a system identical to the baseline has delta 0 and p = 1', () => {
    expect([bSame.delta, bSame.p_value, cSame.delta, cSame.p_value]).toEqual([0, 1, 0, 1]);
  });

  it('signature carries bs and seed after nrefs, as sacreBLEU prints it; same seed, same figures', () => {
    expect(bleu.signature).toMatch(/^nrefs:1\|bs:1000\|seed:12345\|case:mixed\|eff:no\|tok:intl\|smooth:exp\|version:/);
    expect(chrf.signature).toMatch(
      /^nrefs:1\|bs:1000\|seed:12345\|case:mixed\|eff:yes\|nc:6\|nw:0\|space:no\|version:/,
    );
    const again = pairedBootstrap(v.hyps, drop, v.refs, { bleu: { tokenize: 'intl' } });
    expect(again.system.mean).toBe(bDrop.mean);
    expect(again.p_value).toBe(bDrop.p_value);
    const other = pairedBootstrap(v.hyps, drop, v.refs, { bleu: { tokenize: 'intl' }, seed: 7, n_samples: 200 });
    expect(other.system.mean).not.toBe(bDrop.mean);
    expect(other.signature).toContain('|bs:200|seed:7|');
  });
});
