import { learnMerges } from './bpe-learn.ts';
import { charClusters } from './tokenize.ts';

/**
 * Byte-pair encoding (Sennrich et al., 2016) over words, subword-nmt style:
 * merges are learned on the train split's word counts with an end-of-word
 * marker, and a split word marks every piece but its last with "@@"
 * ("नमस्ते" → "नम@@ स्ते"). The alphabet is character *clusters*, so no
 * merge can leave a matra or virama without its consonant.
 */

const EOW = '</w>';
export const CONTINUATION = '@@';
const ALL_AT = /^@+$/;

export interface BpeJSON {
  merges: Array<[string, string]>;
}

export class Bpe {
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, string[]>();
  /** symbol → the pair its first merge joined */
  private readonly madeFrom = new Map<string, readonly [string, string]>();

  constructor(readonly merges: ReadonlyArray<readonly [string, string]>) {
    this.ranks = new Map(merges.map(([a, b], i) => [pairKey(a, b), i]));
    for (const [a, b] of merges) if (!this.madeFrom.has(a + b)) this.madeFrom.set(a + b, [a, b]);
  }

  /** Learns up to `numMerges` merges from a list of words (each occurrence counts). */
  static learn(words: Iterable<string>, numMerges: number): Bpe {
    const counts = new Map<string, number>();
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    return Bpe.learnFromCounts(counts, numMerges);
  }

  /** Learns up to `numMerges` merges from word types and their counts (bpe-learn.ts). */
  static learnFromCounts(counts: ReadonlyMap<string, number>, numMerges: number): Bpe {
    return new Bpe(learnMerges(counts, numMerges, EOW));
  }

  /**
   * One word → its pieces, all but the last ending in "@@". With `known` (the vocabulary), a piece it
   * lacks is split back into the two pieces it was merged from, recursively (subword-nmt's
   * --vocabulary filter), so a rare piece cut from a size-limited vocabulary is spelled with smaller
   * ones rather than becoming <unk>; only a single character cluster the vocabulary lacks stays as is.
   */
  segmentWord(word: string, known?: (piece: string) => boolean): string[] {
    // A run of "@" (the tokenizer's only token that can contain the marker) stays whole, so joinPieces can tell it
    // apart.
    if (ALL_AT.test(word)) return [word];
    const symbols = this.symbolsOf(word);
    if (!known) return symbols.map(toPiece);
    const pieces: string[] = [];
    const emit = (symbol: string): void => {
      const piece = toPiece(symbol);
      const parts = known(piece) ? undefined : this.madeFrom.get(symbol);
      if (parts) {
        emit(parts[0]);
        emit(parts[1]);
      } else pieces.push(piece);
    };
    for (const symbol of symbols) emit(symbol);
    return pieces;
  }

  /** The merged symbols of a word, the last one carrying the end-of-word marker. */
  private symbolsOf(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    let s = [...charClusters(word).slice(0, -1), charClusters(word).at(-1) + EOW];
    for (;;) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = this.ranks.get(pairKey(s[i], s[i + 1]));
        if (r !== undefined && r < bestRank) [bestRank, bestAt] = [r, i];
      }
      if (bestAt < 0) break;
      s = mergeOnce(s, s[bestAt], s[bestAt + 1]);
    }
    if (this.cache.size < 100_000) this.cache.set(word, s);
    return s;
  }

  segment(words: readonly string[], known?: (piece: string) => boolean): string[] {
    return words.flatMap((w) => (w ? this.segmentWord(w, known) : []));
  }

  toJSON(): BpeJSON {
    return { merges: this.merges.map(([a, b]) => [a, b]) };
  }

  static fromJSON(json: BpeJSON): Bpe {
    return new Bpe(json.merges);
  }
}

/** Pieces back to words: "नम@@ स्ते" → "नमस्ते". */
export function joinPieces(pieces: readonly string[]): string[] {
  const words: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (ALL_AT.test(p)) {
      if (cur) words.push(cur);
      words.push(p);
      cur = '';
    } else if (p.endsWith(CONTINUATION)) cur += p.slice(0, -CONTINUATION.length);
    else {
      words.push(cur + p);
      cur = '';
    }
  }
  if (cur) words.push(cur);
  return words;
}

/** A symbol as it is written in the text: the last one without the end-of-word marker, the others with "@@". */
function toPiece(symbol: string): string {
  return symbol.endsWith(EOW) ? symbol.slice(0, -EOW.length) : symbol + CONTINUATION;
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

function mergeOnce(s: readonly string[], a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
      out.push(a + b);
      i++;
    } else out.push(s[i]);
  }
  return out;
}
