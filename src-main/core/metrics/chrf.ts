import { charNgrams, wordNgrams, type NgramCounts } from './ngrams.ts';
import { SACREBLEU_VERSION, checkStreams } from './bleu.ts';
import { splitWs } from './sacre-tokenizers.ts';

/**
 * chrF (Popović, 2015) and chrF++ (word_order 2), as sacreBLEU 2.x computes
 * them: character n-grams over the text with whitespace removed, word n-grams
 * after peeling one ASCII punctuation mark off a word's end (or start),
 * statistics summed over the corpus (for several references, each segment
 * takes the reference with the best segment F-score), then the F-beta of the
 * precision and recall averaged over the orders that occur.
 */
export interface ChrfOptions {
  char_order?: number;
  word_order?: number;
  beta?: number;
  lowercase?: boolean;
  /** chrF++.py-style eps smoothing instead of sacreBLEU 2's effective order */
  eps_smoothing?: boolean;
}

export interface ChrfScore {
  score: number;
  signature: string;
  /** [hyp, ref, match] counts per order, chars first then words */
  stats: number[];
}

const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

export function corpusChrf(
  hyps: readonly string[],
  refs: ReadonlyArray<readonly string[]>,
  opts: ChrfOptions = {},
): ChrfScore {
  checkStreams(hyps, refs);
  const o = withDefaults(opts);
  const stats = new Array<number>(3 * (o.char_order + o.word_order)).fill(0);
  for (let i = 0; i < hyps.length; i++) {
    const seg = segmentStats(
      hyps[i],
      refs.map((r) => r[i]),
      o,
    );
    for (let j = 0; j < stats.length; j++) stats[j] += seg[j];
  }
  return { score: chrfFromStats(stats, o), stats, signature: chrfSignature(refs.length, o) };
}

/** The [hyp, ref, match] counts of one segment against its best reference. */
export function segmentStats(hyp: string, refs: readonly string[], opts: ChrfOptions = {}): number[] {
  const o = withDefaults(opts);
  const prep = (s: string) => (o.lowercase ? s.toLowerCase() : s);
  const hypGrams = extract(prep(hyp), o);
  let best: number[] = [];
  let bestF = -1;
  for (const ref of refs) {
    const refGrams = extract(prep(ref), o);
    const stats = hypGrams.flatMap((h, k) => matchStats(h, refGrams[k]));
    const f = chrfFromStats(stats, o);
    if (f > bestF) [bestF, best] = [f, stats];
  }
  return best;
}

export function chrfFromStats(stats: readonly number[], opts: ChrfOptions = {}): number {
  const o = withDefaults(opts);
  const eps = 1e-16;
  const factor = o.beta ** 2;
  const order = o.char_order + o.word_order;
  let score = 0;
  let effective = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const [nHyp, nRef, nMatch] = stats.slice(3 * i, 3 * i + 3);
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effective++;
    }
  }
  if (o.eps_smoothing) return (100 * score) / order;
  if (effective === 0) return 0;
  avgPrec /= effective;
  avgRec /= effective;
  if (avgPrec + avgRec === 0) return 0;
  return (100 * (1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec);
}

export function chrfSignature(nrefs: number, opts: ChrfOptions = {}): string {
  const o = withDefaults(opts);
  const [c, eff] = [o.lowercase ? 'lc' : 'mixed', o.eps_smoothing ? 'no' : 'yes'];
  const orders = `nc:${o.char_order}|nw:${o.word_order}`;
  return `nrefs:${nrefs}|case:${c}|eff:${eff}|${orders}|space:no|version:${SACREBLEU_VERSION}`;
}

function withDefaults(o: ChrfOptions): Required<ChrfOptions> {
  return {
    char_order: o.char_order ?? 6,
    word_order: o.word_order ?? 0,
    beta: o.beta ?? 2,
    lowercase: o.lowercase ?? false,
    eps_smoothing: o.eps_smoothing ?? false,
  };
}

/** Per order: char n-gram counts 1..char_order, then word n-gram counts 1..word_order. */
function extract(text: string, o: Required<ChrfOptions>): NgramCounts[] {
  const chars = Array.from(splitWs(text).join(''));
  const grams: NgramCounts[] = [];
  for (let n = 1; n <= o.char_order; n++) grams.push(charNgrams(chars, n));
  if (o.word_order > 0) {
    const words = peelPunctuation(text);
    for (let n = 1; n <= o.word_order; n++) grams.push(wordNgrams(words, n, n));
  }
  return grams;
}

function peelPunctuation(text: string): string[] {
  const out: string[] = [];
  for (const w of splitWs(text)) {
    const chars = Array.from(w);
    if (chars.length === 1) out.push(w);
    else if (PUNCTS.has(chars[chars.length - 1])) out.push(chars.slice(0, -1).join(''), chars[chars.length - 1]);
    else if (PUNCTS.has(chars[0])) out.push(chars[0], chars.slice(1).join(''));
    else out.push(w);
  }
  return out;
}

function matchStats(hyp: NgramCounts, ref: NgramCounts): number[] {
  let nHyp = 0;
  let nMatch = 0;
  let nRef = 0;
  for (const [g, n] of hyp) {
    nHyp += n;
    const r = ref.get(g);
    if (r !== undefined) nMatch += Math.min(n, r);
  }
  for (const n of ref.values()) nRef += n;
  // sacreBLEU counts no hypothesis n-grams for an order the reference has none of.
  return [nRef > 0 ? nHyp : 0, nRef, nMatch];
}
