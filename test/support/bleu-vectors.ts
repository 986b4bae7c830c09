import { readFileSync } from 'node:fs';

/** One case of ../shared/bleu-vectors.json: sacreBLEU 2.5's scores for hypotheses against reference streams. */
export interface BleuVector {
  name: string;
  tokenize: '13a' | 'intl';
  lowercase: boolean;
  hyps: string[];
  /** reference streams, each aligned with hyps */
  refs: string[][];
  bleu: number;
  bleu_counts: number[];
  bleu_totals: number[];
  sys_len: number;
  ref_len: number;
  chrf: number;
}

export const bleuVectors = (
  JSON.parse(readFileSync(new URL('../../../shared/bleu-vectors.json', import.meta.url), 'utf8')) as {
    cases: BleuVector[];
  }
).cases;

export function bleuVector(name: string): BleuVector {
  const v = bleuVectors.find((c) => c.name === name);
  if (!v) throw new Error(`no case "${name}" in ../shared/bleu-vectors.json`);
  return v;
}
