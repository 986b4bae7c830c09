import { badInput } from '../../common/errors.ts';
import { ngramOrder, wordNgrams, type NgramCounts } from './ngrams.ts';
import { rstripWs, sacreTokenize, splitWs, type SacreTokenize } from './sacre-tokenizers.ts';

/**
 * Corpus BLEU (Papineni et al., 2002) computed exactly as sacreBLEU 2.x does:
 * the same tokenizers, closest reference length (ties → the shorter), clipped
 * counts against the maximum over references, and its smoothing methods.
 */
export type SmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  tokenize?: SacreTokenize;
  lowercase?: boolean;
  smooth_method?: SmoothMethod;
  /** floor: default 0.1; add-k: default 1 */
  smooth_value?: number;
  effective_order?: boolean;
}

export interface BleuScore {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
  signature: string;
}

const MAX_ORDER = 4;
const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = { exp: null, floor: 0.1, 'add-k': 1, none: null };
/** The sacreBLEU release whose scores these functions reproduce (tested). */
export const SACREBLEU_VERSION = '2.5.1';

/**
 * @param hyps system outputs, one per segment
 * @param refs reference streams: refs[k][i] is the k-th reference of segment i
 */
export function corpusBleu(
  hyps: readonly string[],
  refs: ReadonlyArray<readonly string[]>,
  opts: BleuOptions = {},
): BleuScore {
  const sum = new Array<number>(STATS_LEN).fill(0);
  for (const seg of bleuSegmentStats(hyps, refs, opts)) for (let j = 0; j < STATS_LEN; j++) sum[j] += seg[j];
  return scoreBleuStats(sum, refs.length, opts);
}

/** Length of one segment's sufficient statistics: counts[4], totals[4], sys_len, ref_len. */
export const STATS_LEN = 2 * MAX_ORDER + 2;

/** Per-segment sufficient statistics (summed for the corpus, resampled by the bootstrap). */
export function bleuSegmentStats(
  hyps: readonly string[],
  refs: ReadonlyArray<readonly string[]>,
  opts: BleuOptions = {},
): number[][] {
  checkStreams(hyps, refs);
  const tokenize = opts.tokenize ?? '13a';
  const prep = (s: string) => sacreTokenize(rstripWs(opts.lowercase ? s.toLowerCase() : s), tokenize);
  return hyps.map((hyp, i) => {
    const stats = new Array<number>(STATS_LEN).fill(0);
    const hypWords = splitWs(prep(hyp));
    const refMax: NgramCounts = new Map();
    let closestLen = -1;
    let closestDiff = Infinity;
    for (const stream of refs) {
      const words = splitWs(prep(stream[i]));
      const diff = Math.abs(hypWords.length - words.length);
      if (diff < closestDiff || (diff === closestDiff && words.length < closestLen))
        [closestDiff, closestLen] = [diff, words.length];
      for (const [g, n] of wordNgrams(words, 1, MAX_ORDER)) if (n > (refMax.get(g) ?? 0)) refMax.set(g, n);
    }
    for (const [g, n] of wordNgrams(hypWords, 1, MAX_ORDER))
      stats[ngramOrder(g) - 1] += Math.min(n, refMax.get(g) ?? 0);
    for (let n = 1; n <= MAX_ORDER; n++) stats[MAX_ORDER + n - 1] = Math.max(0, hypWords.length - n + 1);
    stats[2 * MAX_ORDER] = hypWords.length;
    stats[2 * MAX_ORDER + 1] = closestLen;
    return stats;
  });
}

/** Corpus BLEU from summed statistics. */
export function scoreBleuStats(sum: readonly number[], nrefs: number, opts: BleuOptions = {}): BleuScore {
  const r = bleuFromStats(
    sum.slice(0, MAX_ORDER),
    sum.slice(MAX_ORDER, 2 * MAX_ORDER),
    sum[2 * MAX_ORDER],
    sum[2 * MAX_ORDER + 1],
    opts.smooth_method ?? 'exp',
    opts.smooth_value,
    opts.effective_order ?? false,
  );
  return { ...r, signature: bleuSignature(nrefs, opts.tokenize ?? '13a', opts) };
}

/** BLEU from sufficient statistics (also what paired bootstrap resamples). */
export function bleuFromStats(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  smooth: SmoothMethod = 'exp',
  smoothValue?: number,
  effectiveOrder = false,
): Omit<BleuScore, 'signature'> {
  const value = smoothValue ?? SMOOTH_DEFAULTS[smooth] ?? 0;
  const correct = [...correctIn];
  const total = [...totalIn];
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(MAX_ORDER).fill(0);
  const base = { counts: [...correctIn], totals: [...totalIn], bp, sys_len: sysLen, ref_len: refLen };
  if (!correct.some((c) => c > 0)) return { score: 0, precisions, ...base };

  let smoothMteval = 1;
  let effOrder = MAX_ORDER;
  for (let n = 1; n <= MAX_ORDER; n++) {
    if (smooth === 'add-k' && n > 1) {
      correct[n - 1] += value;
      total[n - 1] += value;
    }
    if (total[n - 1] === 0) break;
    if (effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (smooth === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (smooth === 'floor') precisions[n - 1] = (100 * value) / total[n - 1];
    } else precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
  }
  const logSum = precisions.slice(0, effOrder).reduce((s, p) => s + (p === 0 ? -9999999999 : Math.log(p)), 0);
  return { score: bp * Math.exp(logSum / effOrder), precisions, ...base };
}

export function bleuSignature(nrefs: number, tokenize: SacreTokenize, opts: BleuOptions): string {
  const smooth = opts.smooth_method ?? 'exp';
  const def = SMOOTH_DEFAULTS[smooth];
  const smoothStr = def === null ? smooth : `${smooth}[${(opts.smooth_value ?? def).toFixed(2)}]`;
  const c = opts.lowercase ? 'lc' : 'mixed';
  const eff = opts.effective_order ? 'yes' : 'no';
  return `nrefs:${nrefs}|case:${c}|eff:${eff}|tok:${tokenize}|smooth:${smoothStr}|version:${SACREBLEU_VERSION}`;
}

export function checkStreams(hyps: readonly string[], refs: ReadonlyArray<readonly string[]>): void {
  if (refs.length === 0) throw badInput('at least one reference stream is needed', { field: 'refs' });
  refs.forEach((r, k) => {
    if (r.length !== hyps.length) {
      throw badInput(`reference stream ${k + 1} has ${r.length} lines but there are ${hyps.length} hypotheses`, {
        field: 'refs',
      });
    }
  });
}
